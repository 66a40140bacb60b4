import type { Component, ComponentName, Distribution, Setting } from '../model/types.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import { get, isObj, scalarText, str } from '../util/values.js';
import { readArgList } from './arg-block.js';
import { componentDefaults, distributionSettings, putAll } from './component.js';
import { keySpanAt, spanAt } from './spans.js';

/** The `*-arg` keys and the components they pass flags to. */
const ARG_KEYS: [string, ComponentName][] = [
  ['kube-apiserver-arg', 'kube-apiserver'],
  ['kube-controller-manager-arg', 'kube-controller-manager'],
  ['kube-scheduler-arg', 'kube-scheduler'],
  ['etcd-arg', 'etcd'],
  ['kubelet-arg', 'kubelet'],
  ['kube-proxy-arg', 'kube-proxy'],
];

/** Keys only a k3s or RKE2 server/agent configuration has; two of them, or one `*-arg`, make one. */
const DISTINCTIVE_KEYS = new Set([
  'write-kubeconfig-mode',
  'tls-san',
  'cluster-init',
  'secrets-encryption',
  'protect-kernel-defaults',
  'datastore-endpoint',
  'disable-etcd',
  'etcd-expose-metrics',
  'node-taint',
  'node-label',
  'token-file',
  'profile',
  'cni',
  'pod-security-admission-config-file',
  'audit-policy-file',
  'system-default-registry',
  'disable-network-policy',
  'flannel-backend',
  'cluster-cidr',
  'service-cidr',
]);

/**
 * k3s and RKE2 read `/etc/rancher/{k3s,rke2}/config.yaml` (and `config.yaml.d/*.yaml`): a plain
 * map of their own options, with `*-arg` lists passed on to the components. Recognised by its keys,
 * since the file has no apiVersion or kind.
 */
export function isK3sConfig(path: string, value: unknown): boolean {
  if (!isObj(value) || 'apiVersion' in value || 'kind' in value) return false;
  const keys = Object.keys(value);
  if (keys.some((k) => ARG_KEYS.some(([arg]) => arg === k))) return true;
  return keys.filter((k) => DISTINCTIVE_KEYS.has(k)).length >= 2 || (/(k3s|rke2)/i.test(path) && keys.some((k) => DISTINCTIVE_KEYS.has(k)));
}

export function distributionOf(path: string, value: Record<string, unknown>): Distribution {
  if (/rke2/i.test(path)) return 'rke2';
  if (/k3s/i.test(path)) return 'k3s';
  return 'profile' in value || 'cni' in value ? 'rke2' : 'k3s';
}

export function extractK3sConfig(doc: YamlDocument, out: Component[]): void {
  const value = doc.value;
  if (!isK3sConfig(doc.file.path, value) || !isObj(value)) return;
  const distribution = distributionOf(doc.file.path, value);
  const label = distribution === 'rke2' ? 'RKE2' : 'k3s';
  const dataDir = str(value['data-dir']) ?? `/var/lib/rancher/${distribution}`;
  const vars = { pki: `${dataDir}/server/tls`, agent: `${dataDir}/agent` };
  const home: Span = { file: doc.file, start: 0, end: 0 };
  const server = !('server' in value && !('cluster-init' in value)) || Object.keys(value).some((k) => k.startsWith('kube-apiserver'));
  // k3s keeps its state in SQLite through kine unless etcd is asked for; RKE2 runs etcd by default.
  const datastore = str(value['datastore-endpoint']);
  const embeddedEtcd =
    !datastore && (distribution === 'rke2' ? value['disable-etcd'] !== true : value['cluster-init'] === true || 'etcd-arg' in value);

  for (const [key, name] of ARG_KEYS) {
    if (name !== 'kubelet' && name !== 'kube-proxy' && !server) continue;
    if (name === 'etcd' && !embeddedEtcd) continue;
    if (name === 'kube-proxy' && !(key in value)) continue;
    const anchor = key in value ? keySpanAt(doc, [key]) : home;
    const args = readArgList(doc, [key], value[key]);
    const settings = new Map<string, Setting>();
    putAll(settings, distributionSettings(distribution, name, vars, anchor));
    if (name === 'kube-apiserver') {
      if (embeddedEtcd) putAll(settings, distributionSettings(distribution, 'etcd-client', vars, anchor));
      if (datastore) settings.set('--etcd-servers', { flag: '--etcd-servers', configKey: 'datastore-endpoint', value: datastore, at: spanAt(doc, ['datastore-endpoint']), origin: 'explicit' });
      ownKeys(doc, value, distribution, settings);
    }
    if (name === 'kubelet' && value['protect-kernel-defaults'] !== undefined) {
      const v = scalarText(value['protect-kernel-defaults']) ?? 'false';
      settings.set('--protect-kernel-defaults', { flag: '--protect-kernel-defaults', configKey: 'protect-kernel-defaults', value: v, at: spanAt(doc, ['protect-kernel-defaults']), origin: 'explicit' });
    }
    putAll(settings, args.settings);
    out.push({
      name,
      identity: `${label}-config:${name}`,
      file: doc.file,
      format: 'k3s',
      distribution,
      ...componentDefaults(name),
      anchor: anchor === home ? firstKey(doc) : anchor,
      settings,
      mounts: [],
      addFlag: args.addFlag,
    });
  }
}

/** Options of the distribution itself that become API server flags. */
function ownKeys(doc: YamlDocument, value: Record<string, unknown>, distribution: Distribution, settings: Map<string, Setting>): void {
  const dataDir = str(value['data-dir']) ?? `/var/lib/rancher/${distribution}`;
  const encrypt = value['secrets-encryption'];
  // RKE2 encrypts Secrets unless told otherwise; k3s only with `secrets-encryption: true`.
  if (encrypt === true || (distribution === 'rke2' && encrypt !== false)) {
    const at = encrypt === undefined ? firstKey(doc) : spanAt(doc, ['secrets-encryption']);
    settings.set('--encryption-provider-config', {
      flag: '--encryption-provider-config',
      configKey: encrypt === undefined ? undefined : 'secrets-encryption',
      value: `${dataDir}/server/cred/encryption-config.json`,
      at,
      origin: encrypt === undefined ? 'default' : 'explicit',
      defaultBy: 'RKE2',
    });
  }
  const policy = str(value['audit-policy-file']);
  if (policy) {
    settings.set('--audit-policy-file', { flag: '--audit-policy-file', configKey: 'audit-policy-file', value: policy, at: spanAt(doc, ['audit-policy-file']), origin: 'explicit' });
  }
}

function firstKey(doc: YamlDocument): Span {
  const first = isObj(doc.value) ? Object.keys(doc.value)[0] : undefined;
  return first ? keySpanAt(doc, [first]) : { file: doc.file, start: 0, end: 0 };
}
