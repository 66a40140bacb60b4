import type { ComponentName, Distribution, EncryptionConfig, Extracted, Setting } from '../model/types.js';
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

/** Every option of the distribution that kubeharden reads (a near miss of one is reported). */
export const K3S_OPTIONS_READ: readonly string[] = [
  ...ARG_KEYS.map(([key]) => key),
  ...DISTINCTIVE_KEYS,
  'data-dir',
  'server',
  'disable-etcd',
  'secrets-encryption-provider',
];

/** A k3s option key without the `+` that appends to it in a drop-in. */
function optionName(key: string): string {
  return key.endsWith('+') ? key.slice(0, -1) : key;
}

/** A drop-in of `config.yaml.d/` (of k3s or RKE2, or beside a `config.yaml`). */
const DROP_IN = /(^|\/)config\.yaml\.d\/[^/]+\.ya?ml$/;

/**
 * k3s and RKE2 read `/etc/rancher/{k3s,rke2}/config.yaml` (and `config.yaml.d/*.yaml`): a plain
 * map of their own options, with `*-arg` lists passed on to the components. Recognised by its keys,
 * since the file has no apiVersion or kind.
 */
export function isK3sConfig(path: string, value: unknown): boolean {
  if (!isObj(value) || 'apiVersion' in value || 'kind' in value) return false;
  const keys = Object.keys(value).map(optionName);
  if (keys.some((k) => ARG_KEYS.some(([arg]) => arg === k))) return true;
  const distinctive = keys.filter((k) => DISTINCTIVE_KEYS.has(k)).length;
  return distinctive >= 2 || (distinctive >= 1 && (/(k3s|rke2)/i.test(path) || DROP_IN.test(path)));
}

export function distributionOf(path: string, value: Record<string, unknown>): Distribution {
  if (/rke2/i.test(path)) return 'rke2';
  if (/k3s/i.test(path)) return 'k3s';
  return 'profile' in value || 'cni' in value ? 'rke2' : 'k3s';
}

/** Where one option's value is written: a key of one of the files. */
interface OptionSource {
  doc: YamlDocument;
  key: string;
  value: unknown;
}

/** The options of one node as k3s assembles them from `config.yaml` and its drop-ins. */
class MergedConfig {
  readonly options = new Map<string, OptionSource[]>();

  constructor(readonly docs: readonly YamlDocument[]) {
    // The last file that sets an option wins; `option+` appends to what earlier files set.
    for (const doc of docs) {
      for (const [key, value] of Object.entries(doc.value as Record<string, unknown>)) {
        const name = optionName(key);
        const source = { doc, key, value };
        this.options.set(name, key.endsWith('+') ? [...(this.options.get(name) ?? []), source] : [source]);
      }
    }
  }

  has(name: string): boolean {
    return this.options.has(name);
  }

  value(name: string): unknown {
    return this.options.get(name)?.at(-1)?.value;
  }

  /** The key that sets the option, in the file that sets it last. */
  span(name: string): Span | undefined {
    const source = this.options.get(name)?.at(-1);
    return source && spanAt(source.doc, [source.key]);
  }

  keySpan(name: string): Span | undefined {
    const source = this.options.get(name)?.at(-1);
    return source && keySpanAt(source.doc, [source.key]);
  }

  /** Every flag of an `*-arg` option across the files, later ones overriding earlier ones. */
  args(name: string): ReturnType<typeof readArgList> {
    const blocks = (this.options.get(name) ?? []).map((s) => readArgList(s.doc, [s.key], s.value));
    return { settings: blocks.flatMap((b) => b.settings), addFlag: blocks.at(-1)?.addFlag };
  }
}

/**
 * Groups the k3s/RKE2 configuration documents by node: a `config.yaml` with the drop-ins of its
 * `config.yaml.d/` in the alphabetical order k3s reads them. A drop-in without its `config.yaml`
 * in the repository is judged with the files beside it.
 */
export function extractK3sConfigs(docs: readonly YamlDocument[], out: Extracted): void {
  const groups = new Map<string, YamlDocument[]>();
  for (const doc of [...docs].sort((a, b) => a.file.path.localeCompare(b.file.path) || a.index - b.index)) {
    const path = doc.file.path;
    const key = DROP_IN.test(path) ? path.replace(/config\.yaml\.d\/[^/]+$/, 'config.yaml') : `${path}#${doc.index}`;
    const base = groups.has(`${key}#0`) ? `${key}#0` : key;
    groups.set(base, [...(groups.get(base) ?? []), doc]);
  }
  for (const group of groups.values()) extractMerged(new MergedConfig(group), out);
}

function extractMerged(config: MergedConfig, out: Extracted): void {
  const main = config.docs[0]!;
  const distribution = config.docs.map((d) => distributionOf(d.file.path, d.value as Record<string, unknown>)).includes('rke2')
    ? 'rke2'
    : distributionOf(main.file.path, main.value as Record<string, unknown>);
  const label = distribution === 'rke2' ? 'RKE2' : 'k3s';
  const dataDir = str(config.value('data-dir')) ?? `/var/lib/rancher/${distribution}`;
  const vars = { pki: `${dataDir}/server/tls`, agent: `${dataDir}/agent` };
  const home: Span = { file: main.file, start: 0, end: 0 };
  const server = !(config.has('server') && !config.has('cluster-init')) || [...config.options.keys()].some((k) => k.startsWith('kube-apiserver'));
  // k3s keeps its state in SQLite through kine unless etcd is asked for; RKE2 runs etcd by default.
  const datastore = str(config.value('datastore-endpoint'));
  const embeddedEtcd =
    !datastore && (distribution === 'rke2' ? config.value('disable-etcd') !== true : config.value('cluster-init') === true || config.has('etcd-arg'));

  for (const [key, name] of ARG_KEYS) {
    if (name !== 'kubelet' && name !== 'kube-proxy' && !server) continue;
    if (name === 'etcd' && !embeddedEtcd) continue;
    if (name === 'kube-proxy' && !config.has(key)) continue;
    const anchor = config.keySpan(key) ?? home;
    const args = config.args(key);
    const settings = new Map<string, Setting>();
    putAll(settings, distributionSettings(distribution, name, vars, anchor));
    if (name === 'kube-apiserver') {
      if (embeddedEtcd) putAll(settings, distributionSettings(distribution, 'etcd-client', vars, anchor));
      if (datastore) settings.set('--etcd-servers', { flag: '--etcd-servers', configKey: 'datastore-endpoint', value: datastore, at: config.span('datastore-endpoint')!, origin: 'explicit' });
      ownKeys(config, main, distribution, dataDir, settings);
    }
    const generated = name === 'kube-apiserver' ? generatedEncryption(config, main, distribution, label, settings) : undefined;
    if (generated) out.encryption.push(generated);
    if (name === 'kubelet' && config.value('protect-kernel-defaults') !== undefined) {
      const v = scalarText(config.value('protect-kernel-defaults')) ?? 'false';
      settings.set('--protect-kernel-defaults', { flag: '--protect-kernel-defaults', configKey: 'protect-kernel-defaults', value: v, at: config.span('protect-kernel-defaults')!, origin: 'explicit' });
    }
    putAll(settings, args.settings);
    // `secrets-encryption: false` is where the missing encryption config is decided.
    const encryption = name === 'kube-apiserver' && config.value('secrets-encryption') === false ? config.span('secrets-encryption') : undefined;
    out.components.push({
      name,
      identity: `${label}-config:${name}`,
      file: main.file,
      format: 'k3s',
      distribution,
      ...componentDefaults(name),
      anchor: anchor === home ? firstKey(main) : anchor,
      flagAnchors: encryption && new Map([['--encryption-provider-config', encryption]]),
      settings,
      mounts: [],
      addFlag: args.addFlag,
      references: generated && new Map([['--encryption-provider-config', { kind: 'encryption', config: generated, how: 'generated' }]]),
    });
  }
}

/**
 * With secrets encryption on, k3s and RKE2 write the EncryptionConfiguration themselves: one
 * generated key of `secrets-encryption-provider` (aescbc unless set to secretbox) for Secrets,
 * then identity (docs.k3s.io/security/secrets-encryption).
 */
function generatedEncryption(config: MergedConfig, main: YamlDocument, distribution: Distribution, label: string, settings: Map<string, Setting>): EncryptionConfig | undefined {
  const setting = settings.get('--encryption-provider-config');
  if (!setting) return undefined;
  const provider = str(config.value('secrets-encryption-provider')) ?? 'aescbc';
  const at = config.span('secrets-encryption-provider') ?? setting.at;
  return {
    file: main.file,
    identity: `${label}-config:encryption`,
    at: setting.at,
    legacy: false,
    sops: false,
    generatedBy: label,
    rules: [{ resources: [{ name: 'secrets', at: setting.at }], providers: [{ type: provider, at, keys: [] }, { type: 'identity', at, keys: [] }], at: setting.at }],
  };
}

/** Options of the distribution itself that become API server flags. */
function ownKeys(config: MergedConfig, main: YamlDocument, distribution: Distribution, dataDir: string, settings: Map<string, Setting>): void {
  const encrypt = config.value('secrets-encryption');
  // RKE2 encrypts Secrets unless told otherwise; k3s only with `secrets-encryption: true`.
  if (encrypt === true || (distribution === 'rke2' && encrypt !== false)) {
    const at = encrypt === undefined ? firstKey(main) : config.span('secrets-encryption')!;
    settings.set('--encryption-provider-config', {
      flag: '--encryption-provider-config',
      configKey: encrypt === undefined ? undefined : 'secrets-encryption',
      value: `${dataDir}/server/cred/encryption-config.json`,
      at,
      origin: encrypt === undefined ? 'default' : 'explicit',
      defaultBy: 'RKE2',
    });
  }
  const policy = str(config.value('audit-policy-file'));
  if (policy) {
    settings.set('--audit-policy-file', { flag: '--audit-policy-file', configKey: 'audit-policy-file', value: policy, at: config.span('audit-policy-file')!, origin: 'explicit' });
  }
}

function firstKey(doc: YamlDocument): Span {
  const first = isObj(doc.value) ? Object.keys(doc.value)[0] : undefined;
  return first ? keySpanAt(doc, [first]) : { file: doc.file, start: 0, end: 0 };
}
