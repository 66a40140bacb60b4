import { readFileSync } from 'node:fs';
import path from 'node:path';
import { positionTree } from '../../src/parse/locate.js';
import { SourceFile } from '../../src/parse/source-file.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { arr, get, str } from '../../src/util/values.js';
import { checkPath, SHARED } from '../helpers.js';

export const CHECKOV = path.join(SHARED, 'peer-suites', 'checkov');

/**
 * Checkov check → the kubeharden rule(s) that judge the same thing. A flag removed from Kubernetes
 * is judged by `flag-removed` at versions that no longer have it (Checkov's fixtures name no version,
 * so they are judged at the newest release).
 */
export const CHECKOV_RULES: Record<string, string | string[]> = {
  CKV_K8S_68: 'apiserver-anonymous-auth',
  CKV_K8S_69: ['apiserver-basic-auth-file', 'flag-removed'],
  CKV_K8S_70: 'apiserver-token-auth-file',
  CKV_K8S_71: ['apiserver-kubelet-https', 'flag-removed'],
  CKV_K8S_72: 'apiserver-kubelet-client-cert',
  CKV_K8S_73: 'apiserver-kubelet-certificate-authority',
  CKV_K8S_74: 'apiserver-authorization-not-always-allow',
  CKV_K8S_75: 'apiserver-authorization-node',
  CKV_K8S_77: 'apiserver-authorization-rbac',
  CKV_K8S_78: 'apiserver-event-rate-limit',
  CKV_K8S_79: 'apiserver-always-admit',
  CKV_K8S_80: 'apiserver-always-pull-images',
  CKV_K8S_82: 'apiserver-service-account-plugin',
  CKV_K8S_83: 'apiserver-namespace-lifecycle-plugin',
  CKV_K8S_85: 'apiserver-node-restriction',
  CKV_K8S_86: ['apiserver-insecure-bind-address', 'flag-removed'],
  CKV_K8S_88: ['apiserver-insecure-port', 'flag-removed'],
  CKV_K8S_89: 'apiserver-secure-port',
  CKV_K8S_90: 'apiserver-profiling',
  CKV_K8S_91: 'apiserver-audit-log-path',
  CKV_K8S_92: 'apiserver-audit-log-maxage',
  CKV_K8S_93: 'apiserver-audit-log-maxbackup',
  CKV_K8S_94: 'apiserver-audit-log-maxsize',
  CKV_K8S_96: 'apiserver-service-account-lookup',
  CKV_K8S_97: 'apiserver-service-account-key-file',
  CKV_K8S_99: 'apiserver-etcd-client-cert',
  CKV_K8S_100: 'apiserver-tls-cert',
  CKV_K8S_102: 'apiserver-etcd-ca',
  CKV_K8S_104: 'apiserver-encryption-provider-config',
  CKV_K8S_105: 'apiserver-tls-cipher-suites',
  CKV_K8S_106: 'controller-manager-terminated-pod-gc',
  CKV_K8S_107: 'controller-manager-profiling',
  CKV_K8S_108: 'controller-manager-service-account-credentials',
  CKV_K8S_110: 'controller-manager-service-account-private-key',
  CKV_K8S_111: 'controller-manager-root-ca-file',
  CKV_K8S_112: ['controller-manager-rotate-kubelet-server-cert', 'kubelet-rotate-server-certificate'],
  CKV_K8S_113: 'controller-manager-bind-address',
  CKV_K8S_114: 'scheduler-profiling',
  CKV_K8S_115: 'scheduler-bind-address',
  CKV_K8S_116: 'etcd-client-tls',
  CKV_K8S_117: 'etcd-client-cert-auth',
  CKV_K8S_118: 'etcd-auto-tls',
  CKV_K8S_119: 'etcd-peer-tls',
  CKV_K8S_121: 'etcd-peer-client-cert-auth',
  CKV_K8S_138: 'kubelet-anonymous-auth',
  CKV_K8S_139: 'kubelet-authorization-not-always-allow',
  CKV_K8S_140: 'kubelet-client-ca',
  CKV_K8S_141: 'kubelet-read-only-port',
  CKV_K8S_143: 'kubelet-streaming-idle-timeout',
  CKV_K8S_144: 'kubelet-protect-kernel-defaults',
  CKV_K8S_145: 'kubelet-iptables-util-chains',
  CKV_K8S_146: 'kubelet-hostname-override',
  CKV_K8S_147: 'kubelet-event-qps',
  CKV_K8S_148: 'kubelet-tls-cert',
  CKV_K8S_149: 'kubelet-rotate-certificates',
  CKV_K8S_151: 'kubelet-tls-cipher-suites',
};

export interface Label {
  check: string;
  class: string;
  component: string;
  file: string;
  expect: { passed: string[]; failed: string[]; noResult?: string[] };
}

export function checkovLabels(components: string[]): Label[] {
  const labels = JSON.parse(readFileSync(path.join(CHECKOV, 'labels.json'), 'utf8')) as Label[];
  return labels.filter((l) => l.component.split('+').some((c) => components.includes(c)));
}

export interface Verdict {
  check: string;
  file: string;
  resource: string;
  checkov: 'passed' | 'failed';
  kubeharden: 'passed' | 'failed';
}

/** Our verdict per resource: failed when the rule reports a finding inside that resource's document. */
export function verdicts(label: Label, ruleIds: string | string[]): Verdict[] {
  const ids = new Set([ruleIds].flat());
  const abs = path.join(CHECKOV, label.file);
  const findings = checkPath(abs, { root: CHECKOV }).findings.filter((f) => ids.has(f.ruleId));
  const file = new SourceFile(label.file, readFileSync(abs, 'utf8'));
  const ranges: { id: string; from: number; to: number }[] = [];
  for (const doc of parseYaml(file).documents) {
    const tree = positionTree(doc);
    if (!tree) continue;
    const items = str(get(doc.value, 'kind'))?.endsWith('List') ? arr(get(doc.value, 'items')) : [doc.value];
    for (const item of items) {
      const id = `${str(get(item, 'kind'))}.${str(get(get(item, 'metadata'), 'namespace')) ?? 'default'}.${str(get(get(item, 'metadata'), 'name'))}`;
      ranges.push({ id, from: file.position(tree.start).line, to: file.position(tree.end).line });
    }
  }
  const out: Verdict[] = [];
  for (const [expected, ids] of [['passed', label.expect.passed], ['failed', label.expect.failed]] as const) {
    for (const resource of ids) {
      const range = ranges.find((r) => r.id === resource);
      const hit = range && findings.some((f) => f.line >= range.from && f.line <= range.to);
      out.push({ check: label.check, file: label.file, resource, checkov: expected, kubeharden: hit ? 'failed' : 'passed' });
    }
  }
  return out;
}
