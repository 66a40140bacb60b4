import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { MemoryTree } from '../src/source/tree.js';
import { TEST_TODAY } from './helpers.js';

/** A static pod of the API server at `version`, with extra flags. */
function apiserver(version: string, ...flags: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: kube-apiserver, namespace: kube-system}',
    'spec:',
    '  containers:',
    '    - name: kube-apiserver',
    `      image: registry.k8s.io/kube-apiserver:${version}`,
    '      command:',
    '        - kube-apiserver',
    ...flags.map((f) => `        - ${f}`),
    '',
  ].join('\n');
}

function run(files: Record<string, string>, options: { today?: string; kubernetesVersion?: string } = {}) {
  const result = check(new MemoryTree(files), { rules: BUILTIN_RULES, today: options.today ?? TEST_TODAY, kubernetesVersion: options.kubernetesVersion });
  return result.findings
    .filter((f) => f.area === 'feature-gates' || f.area === 'versions')
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
}

const GATES = '--feature-gates=ClusterTrustBundle=true,PodSecurity=true';

describe('feature gates across versions', () => {
  // ClusterTrustBundle: alpha (off) 1.27–1.32, beta (off) 1.33–1.36. PodSecurity: GA 1.25–1.27, removed in 1.28.
  it('judges the same --feature-gates list by the version each cluster runs', () => {
    expect(run({ 'a.yaml': apiserver('v1.27.16', GATES) })).toEqual([
      'a.yaml:7:7 version-end-of-life Kubernetes 1.27 has been out of support since 2024-07-16: it gets no security fixes.',
      'a.yaml:10:27 feature-gate-alpha `ClusterTrustBundle=true` turns on an alpha feature (alpha since 1.27, at Kubernetes 1.27).',
      'a.yaml:10:51 feature-gate-ga-default `PodSecurity=true` sets a GA gate to its default (GA since 1.25, at Kubernetes 1.27); the gate goes away in a later release.',
    ]);
    expect(run({ 'a.yaml': apiserver('v1.33.12', GATES) })).toEqual([
      'a.yaml:7:7 version-end-of-life Kubernetes 1.33 has been out of support since 2026-06-28: it gets no security fixes.',
      'a.yaml:10:27 feature-gate-beta-changed `ClusterTrustBundle=true` turns on a beta feature that is off by default (beta since 1.33, at Kubernetes 1.33).',
      'a.yaml:10:51 feature-gate-rejected `PodSecurity=true`: the gate was removed in 1.28, and at Kubernetes 1.33 the component does not start with it.',
    ]);
    expect(run({ 'a.yaml': apiserver('v1.36.1', GATES) })).toEqual([
      'a.yaml:10:27 feature-gate-beta-changed `ClusterTrustBundle=true` turns on a beta feature that is off by default (beta since 1.33, at Kubernetes 1.36).',
      'a.yaml:10:51 feature-gate-rejected `PodSecurity=true`: the gate was removed in 1.28, and at Kubernetes 1.36 the component does not start with it.',
    ]);
  });

  it('refuses a gate locked to its default set to the other value', () => {
    // InPlacePodVerticalScaling: GA and locked to true from 1.35.
    expect(run({ 'a.yaml': apiserver('v1.35.5', '--feature-gates=InPlacePodVerticalScaling=false') })).toEqual([
      'a.yaml:10:27 feature-gate-rejected `InPlacePodVerticalScaling=false`: the gate is locked to `true` (GA since 1.35) at Kubernetes 1.35, so the component does not start.',
    ]);
  });

  it('warns when a beta gate changes its default', () => {
    expect(run({ 'a.yaml': apiserver('v1.33.12', '--feature-gates=InPlacePodVerticalScaling=false') })).toContainEqual(
      'a.yaml:10:27 feature-gate-beta-changed `InPlacePodVerticalScaling=false` turns off a beta feature that is on by default (beta since 1.33, at Kubernetes 1.33).',
    );
  });

  it('puts an unknown gate and a removed flag on their exact positions, with a suggestion', () => {
    const findings = run({ 'a.yaml': apiserver('v1.35.5', '--insecure-port=0', '--feature-gates=AllAlpha=false,SidecarContainer=true') });
    expect(findings).toEqual([
      'a.yaml:10:11 flag-removed `--insecure-port` was removed in 1.24; at Kubernetes 1.35 kube-apiserver does not start with it.',
      'a.yaml:11:42 feature-gate-rejected `SidecarContainer=true` is not a Kubernetes feature gate at Kubernetes 1.35, so the component does not start; did you mean `SidecarContainers`?',
    ]);
  });

  it('reads gates from KubeletConfiguration, kubeadm extraArgs, kind and k3s, and runtime-config alpha APIs', () => {
    const findings = run({
      'kubelet.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfeatureGates:\n  MemoryQoS: true\n',
      'kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.35.5\napiServer:\n  extraArgs:\n    - name: feature-gates\n      value: AllAlpha=true\n',
      'kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nruntimeConfig:\n  resource.k8s.io/v1alpha3: "true"\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.35.5\n',
      'k3s/config.yaml': 'write-kubeconfig-mode: "0600"\nkubelet-arg:\n  - feature-gates=MemoryQoS=true\n',
    });
    expect(findings.filter((f) => !f.includes('version-unknown'))).toEqual([
      'k3s/config.yaml:3:19 feature-gate-alpha `MemoryQoS=true` turns on an alpha feature (alpha since 1.22, at assumed Kubernetes 1.36).',
      'kind.yaml:4:3 runtime-config-alpha-api `resource.k8s.io/v1alpha3=true` turns on the alpha API version v1alpha3.',
      'kubeadm.yaml:7:14 feature-gate-alpha `AllAlpha=true` turns on every alpha feature (at Kubernetes 1.35).',
      'kubelet.yaml:4:3 feature-gate-alpha `MemoryQoS=true` turns on an alpha feature (alpha since 1.22, at assumed Kubernetes 1.36).',
    ]);
  });
});

describe("kubeadm's own feature gates", () => {
  it('are judged with the kubeadm facts, not as component gates, and only where those facts reach', () => {
    const kubeadm = (version: string) =>
      `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: ${version}\nfeatureGates:\n  RootlessControlPlane: true\n  PublicKeysECDSA: true\n  ControlPlaneKubeletLocalMode: true\n`;
    expect(run({ 'kubeadm.yaml': kubeadm('v1.33.12') }, { today: '2026-04-01' })).toEqual([
      'kubeadm.yaml:5:3 feature-gate-alpha `RootlessControlPlane=true` turns on an alpha feature (alpha since 1.22, at Kubernetes 1.33).',
      'kubeadm.yaml:6:3 feature-gate-deprecated `PublicKeysECDSA=true` sets a deprecated gate (deprecated since 1.30, at Kubernetes 1.33).',
    ]);
  });
});

describe('the cluster version', () => {
  it('is read from kubeadm, Cluster API, kind node images and image tags, and --kubernetes-version overrides it', () => {
    const files = {
      'capi.yaml': 'apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata: {name: cp}\nspec:\n  version: v1.30.2\n  kubeadmConfigSpec:\n    clusterConfiguration: {}\n',
    };
    expect(run(files)).toEqual(['capi.yaml:5:3 version-end-of-life Kubernetes 1.30 has been out of support since 2025-07-15: it gets no security fixes.']);
    expect(run(files, { kubernetesVersion: '1.36.1' })).toEqual([]);
  });

  it('says once when no version is written, and what the version rules then assume', () => {
    const findings = run({ 'kubelet.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^kubelet\.yaml:2:1 version-unknown No Kubernetes version is written for this cluster; version-dependent rules assume 1\.36/);
  });

  it('reports an end of life within 60 days as a warning, and patch releases behind as a notice', () => {
    expect(run({ 'a.yaml': apiserver('v1.35.5') }, { today: '2027-01-15' })).toEqual([
      "a.yaml:7:7 version-end-of-life-soon Kubernetes 1.35 goes out of support on 2027-02-28, in 44 days (kubeharden's release facts are from 2026-05-13, over six months old: a newer patch or release may exist).",
    ]);
    expect(run({ 'a.yaml': apiserver('v1.36.0') }, { today: '2026-06-01' })).toEqual([
      'a.yaml:7:7 version-patch-behind Kubernetes 1.36.0 is 1 patch release behind 1.36.1.',
    ]);
  });

  it('reports components outside the skew policy within one node, not across folders', () => {
    const scheduler = (v: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: kube-scheduler}\nspec:\n  containers:\n    - name: kube-scheduler\n      image: registry.k8s.io/kube-scheduler:${v}\n      command: [kube-scheduler, --profiling=false]\n`;
    expect(run({ 'node/kube-apiserver.yaml': apiserver('v1.35.5'), 'node/kube-scheduler.yaml': scheduler('v1.36.1') })).toEqual([
      'node/kube-scheduler.yaml:7:7 version-skew kube-scheduler 1.36 is newer than kube-apiserver 1.35; the skew policy does not allow a newer kube-scheduler.',
    ]);
    expect(run({ 'a/kube-apiserver.yaml': apiserver('v1.35.5'), 'b/kube-scheduler.yaml': scheduler('v1.36.1') })).toEqual([]);
  });
});
