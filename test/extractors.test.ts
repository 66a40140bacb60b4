import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPath } from './helpers.js';

/** Writes files (paths may have folders) into a fresh folder and checks it. */
function check(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-extract-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const result = checkPath(dir);
  return {
    ...result,
    rules: (prefix = '') => result.findings.filter((f) => f.ruleId.startsWith(prefix)).map((f) => `${f.file}:${f.line} ${f.ruleId}`),
  };
}

const TLS_RULES = /^(etcd-|apiserver-(etcd|tls-cert|client-ca|kubelet-client-cert|secure-port|insecure|kubelet-https))/;

describe('kubeadm', () => {
  it('gives a ClusterConfiguration with only defaults no etcd-TLS or API-server-TLS finding', () => {
    const result = check({ 'kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.33.2\n' });
    expect(result.findings.filter((f) => TLS_RULES.test(f.ruleId)).map((f) => f.ruleId)).toEqual([]);
    expect(result.model.scopes[0]!.components.map((c) => c.name).sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
  });

  it('says a finding on a default is kubeadm\'s and points at the block that should set it', () => {
    const result = check({
      'kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    enable-admission-plugins: NodeRestriction\n',
    });
    const f = result.findings.find((x) => x.ruleId === 'apiserver-anonymous-auth')!;
    expect(f.line).toBe(4); // extraArgs:
    expect(f.message).toContain('`--anonymous-auth` not set; kube-apiserver default is `true`');
    expect(f.fix).toEqual({ line: 5, replacement: '    enable-admission-plugins: NodeRestriction\n    anonymous-auth: "false"' });
  });

  it('uses only the files etcd.external names, and models no local etcd', () => {
    const result = check({
      'kubeadm.yaml': [
        'apiVersion: kubeadm.k8s.io/v1beta3',
        'kind: ClusterConfiguration',
        'etcd:',
        '  external:',
        '    endpoints: ["https://10.0.0.5:2379", "http://10.0.0.6:2379"]',
        '    caFile: /etc/etcd/ca.crt',
      ].join('\n'),
    });
    expect(result.rules('apiserver-etcd')).toEqual(['kubeadm.yaml:4 apiserver-etcd-client-cert', 'kubeadm.yaml:5 apiserver-etcd-servers-https']);
    expect(result.model.scopes[0]!.components.some((c) => c.name === 'etcd')).toBe(false);
  });

  it('leaves authorization to a structured AuthorizationConfiguration, as kubeadm does', () => {
    const result = check({
      'kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: authorization-config\n      value: /etc/kubernetes/authz.yaml\n',
    });
    expect(result.rules('apiserver-authorization')).toEqual([]);
  });

  it('reads kubeletExtraArgs over the KubeletConfiguration of the same file', () => {
    const result = check({
      'kubeadm.yaml': [
        'apiVersion: kubeadm.k8s.io/v1beta3',
        'kind: InitConfiguration',
        'nodeRegistration:',
        '  kubeletExtraArgs:',
        '    read-only-port: "10255"',
        '---',
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'authorization:',
        '  mode: AlwaysAllow',
      ].join('\n'),
    });
    expect(result.rules('kubelet-authorization').concat(result.rules('kubelet-read-only'))).toEqual([
      'kubeadm.yaml:10 kubelet-authorization-not-always-allow',
      'kubeadm.yaml:5 kubelet-read-only-port',
    ]);
  });
});

describe('k3s and RKE2', () => {
  it('recognises a config.yaml by its keys and applies the distribution\'s own settings', () => {
    const result = check({ 'k3s/config.yaml': 'cluster-init: true\nwrite-kubeconfig-mode: "0600"\n' });
    const names = result.model.scopes[0]!.components.map((c) => `${c.name}:${c.distribution}`).sort();
    expect(names).toContain('etcd:k3s');
    expect(result.findings.filter((f) => /anonymous|authorization|etcd-client|etcd-peer-tls/.test(f.ruleId))).toEqual([]);
  });

  it('does not take other YAML for a k3s config (Ansible variables, Helm values)', () => {
    const result = check({
      'group_vars/servers.yml': 'group_rke2_config:\n  profile: cis\n  kube-apiserver-arg: [anonymous-auth=true]\n',
      'values.yaml': 'replicaCount: 2\nimage: {tag: v1}\n',
    });
    expect(result.model.scopes.flatMap((s) => s.components)).toEqual([]);
  });

  it('treats kine on a local socket as no network datastore', () => {
    const result = check({ 'k3s/config.yaml': 'kube-apiserver-arg: [profiling=false]\n' });
    expect(result.rules('apiserver-etcd')).toEqual([]);
  });

  it('reads config.yaml.d drop-ins after config.yaml: a later list replaces, `option+` appends', () => {
    const base = { 'etc/rancher/k3s/config.yaml': 'write-kubeconfig-mode: "0600"\nkube-apiserver-arg:\n  - audit-log-path=/var/log/audit.log\n' };
    const replaced = check({ ...base, 'etc/rancher/k3s/config.yaml.d/50-timeout.yaml': 'kube-apiserver-arg:\n  - request-timeout=300s\n' });
    expect(replaced.rules('apiserver-audit-log-path')).toEqual(['etc/rancher/k3s/config.yaml.d/50-timeout.yaml:1 apiserver-audit-log-path']);
    const appended = check({ ...base, 'etc/rancher/k3s/config.yaml.d/50-timeout.yaml': 'kube-apiserver-arg+:\n  - request-timeout=300s\n' });
    expect(appended.rules('apiserver-audit-log-path')).toEqual([]);
    expect(appended.model.scopes[0]!.components.filter((c) => c.name === 'kube-apiserver')).toHaveLength(1);
  });

  it('takes secrets-encryption from the drop-in that sets it last', () => {
    const result = check({
      'etc/rancher/k3s/config.yaml': 'write-kubeconfig-mode: "0600"\nsecrets-encryption: true\n',
      'etc/rancher/k3s/config.yaml.d/90-off.yaml': 'secrets-encryption: false\n',
    });
    expect(result.rules('apiserver-encryption')).toEqual(['etc/rancher/k3s/config.yaml.d/90-off.yaml:1 apiserver-encryption-provider-config']);
  });

  it('encrypts Secrets by default on RKE2, and only with secrets-encryption on k3s', () => {
    expect(check({ 'rke2/config.yaml': 'profile: cis\ntls-san: [a]\n' }).rules('apiserver-encryption')).toEqual([]);
    expect(check({ 'k3s/config.yaml': 'tls-san: [a]\nwrite-kubeconfig-mode: "0600"\n' }).rules('apiserver-encryption')).toEqual([
      'k3s/config.yaml:1 apiserver-encryption-provider-config',
    ]);
  });
});

describe('systemd', () => {
  it('merges a unit with its drop-ins: Environment accumulates, a later ExecStart replaces', () => {
    const result = check({
      'kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --authorization-mode=AlwaysAllow\n',
      'kubelet.service.d/10-flags.conf': '[Service]\nEnvironment="ARGS=--read-only-port=10255 --authorization-mode=Webhook --anonymous-auth=false"\nExecStart=\nExecStart=/usr/bin/kubelet $ARGS\n',
    });
    expect(result.rules('kubelet-authorization')).toEqual([]);
    expect(result.rules('kubelet-read-only')).toEqual(['kubelet.service.d/10-flags.conf:2 kubelet-read-only-port']);
  });

  it('does not judge settings a variable from an EnvironmentFile may hold, but still judges what is written', () => {
    const result = check({
      'kubelet.service': '[Service]\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/usr/bin/kubelet --anonymous-auth=true $KUBELET_EXTRA_ARGS\n',
    });
    expect(result.rules('kubelet-')).toEqual(['kubelet.service:3 kubelet-anonymous-auth']);
    expect(result.model.scopes[0]!.components[0]!.opaque).toMatch(/\$KUBELET_EXTRA_ARGS comes from \/etc\/default\/kubelet/);
  });

  it('adds a missing flag on its own continuation line', () => {
    const result = check({ 'kube-scheduler.service': '[Service]\nExecStart=/usr/local/bin/kube-scheduler \\\n  --kubeconfig=/etc/k/s.conf \\\n  --leader-elect=true\n' });
    const f = result.findings.find((x) => x.ruleId === 'scheduler-profiling')!;
    expect(f.fix).toEqual({ line: 2, replacement: 'ExecStart=/usr/local/bin/kube-scheduler \\\n  --profiling=false \\' });
  });
});

describe('kind', () => {
  it('reads kubeadmConfigPatches where they are written, and judges only what they touch', () => {
    const result = check({
      'kind.yaml': [
        'kind: Cluster',
        'apiVersion: kind.x-k8s.io/v1alpha4',
        'kubeadmConfigPatches:',
        '  - |',
        '    kind: ClusterConfiguration',
        '    scheduler:',
        '      extraArgs:',
        '        bind-address: "0.0.0.0"',
      ].join('\n'),
    });
    expect(result.model.scopes[0]!.components.map((c) => c.name)).toEqual(['kube-scheduler']);
    const f = result.findings.find((x) => x.ruleId === 'scheduler-bind-address')!;
    expect([f.line, f.column]).toEqual([8, 9]);
    expect(f.fix).toEqual({ line: 8, replacement: '        bind-address: "127.0.0.1"' });
  });
});
