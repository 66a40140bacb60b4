import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { MemoryTree } from '../src/source/tree.js';
import { TEST_TODAY } from './helpers.js';

/** A kube-apiserver static pod that mounts /etc/kubernetes/enc from the host. */
function apiserver(flag: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: kube-apiserver, namespace: kube-system}',
    'spec:',
    '  containers:',
    '    - name: kube-apiserver',
    '      image: registry.k8s.io/kube-apiserver:v1.35.5',
    `      command: [kube-apiserver, "${flag}"]`,
    '      volumeMounts: [{name: enc, mountPath: /srv/enc}]',
    '  volumes: [{name: enc, hostPath: {path: /etc/kubernetes/enc}}]',
    '',
  ].join('\n');
}

const IDENTITY_FIRST = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - identity: {}\n';
const KMS_V2 = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - kms: {apiVersion: v2, name: kms, endpoint: unix:///kms.sock}\n';

function references(files: Record<string, string>, mapping: Record<string, string> = {}) {
  const result = check(new MemoryTree(files), { rules: BUILTIN_RULES, today: TEST_TODAY, files: mapping });
  const apiserver = result.model.scopes.flatMap((s) => s.components).find((c) => c.name === 'kube-apiserver')!;
  const reference = apiserver.references?.get('--encryption-provider-config');
  const notices = result.findings.filter((f) => f.ruleId === 'file-reference-unresolved').map((f) => f.message);
  if (reference?.kind === 'encryption') return { to: reference.config.file.path, how: reference.how, notices };
  return { to: undefined, why: reference?.kind === 'unresolved' ? reference.why : undefined, notices };
}

describe('path flags resolved to repository files', () => {
  it('follows the container path through its hostPath mount to a repository file ending with the host path', () => {
    const files = {
      'cp1/kube-apiserver.yaml': apiserver('--encryption-provider-config=/srv/enc/config.yaml'),
      'cp1/etc/kubernetes/enc/config.yaml': IDENTITY_FIRST,
      'templates/other-encryption.yaml': KMS_V2,
    };
    expect(references(files)).toEqual({ to: 'cp1/etc/kubernetes/enc/config.yaml', how: 'path', notices: [] });
  });

  it('prefers the mapping of .kubeharden.yml, and says so when the mapped file holds no such document', () => {
    const files = { 'kube-apiserver.yaml': apiserver('--encryption-provider-config=/srv/enc/config.yaml'), 'a.yaml': KMS_V2, 'b.yaml': IDENTITY_FIRST };
    expect(references(files, { '/etc/kubernetes/enc/config.yaml': 'b.yaml' })).toMatchObject({ to: 'b.yaml', how: 'mapping' });
    expect(references(files, { '/etc/kubernetes/enc/config.yaml': 'kube-apiserver.yaml' })).toMatchObject({
      to: undefined,
      why: '.kubeharden.yml maps it to kube-apiserver.yaml, which holds no EncryptionConfiguration',
    });
  });

  it('takes the only EncryptionConfiguration of the cluster as a last resort, and otherwise reports a notice, never a guess', () => {
    const one = { 'kube-apiserver.yaml': apiserver('--encryption-provider-config=/srv/enc/config.yaml'), 'enc.yaml': KMS_V2 };
    expect(references(one)).toMatchObject({ to: 'enc.yaml', how: 'only-one' });
    const two = { ...one, 'enc2.yaml': IDENTITY_FIRST };
    const result = references(two);
    expect(result.to).toBeUndefined();
    expect(result.notices).toEqual([
      "`--encryption-provider-config=/srv/enc/config.yaml` names a file kubeharden cannot find in the repository: none of the 2 EncryptionConfiguration files of this cluster is at /etc/kubernetes/enc/config.yaml, where the container's mount comes from. Its content is not checked; map `/etc/kubernetes/enc/config.yaml` to the repository file under `files:` in .kubeharden.yml.",
    ]);
  });

  it('judges the configuration k3s generates for secrets-encryption', () => {
    const result = check(new MemoryTree({ 'k3s/config.yaml': 'write-kubeconfig-mode: "0600"\nsecrets-encryption: true\n' }), { rules: BUILTIN_RULES, today: TEST_TODAY });
    expect(result.findings.filter((f) => f.area === 'encryption').map((f) => `${f.line} ${f.ruleId}`)).toEqual(['2 encryption-provider-weak']);
  });
});
