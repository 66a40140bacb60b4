import type { Component, ComponentName, Setting } from '../model/types.js';
import type { Path } from '../parse/locate.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import { arr, get, isObj, scalarText, str, type Obj } from '../util/values.js';
import { readArgBlock } from './arg-block.js';
import { componentDefaults, distributionSettings, putAll } from './component.js';
import { kubeletFromConfig } from './kubelet-config.js';
import type { KubeObject } from './objects.js';
import { settingFromYaml } from './yaml-setting.js';
import { keySpanAt, nodeAt, spanAt } from './spans.js';

const KUBEADM_GROUP = 'kubeadm.k8s.io/';

/** A kubeadm configuration: its own document, or embedded in a Cluster API object. */
interface KubeadmConfig {
  doc: YamlDocument;
  value: Obj;
  path: Path;
  kind: 'ClusterConfiguration' | 'InitConfiguration' | 'JoinConfiguration';
  /** Identity of the enclosing object, for fingerprints. */
  owner: string;
  /** The line that stands for the whole configuration (its `kind:`, or the embedding key). */
  home: Span;
  /**
   * kind's `kubeadmConfigPatches` are partial: kind fills in the rest. Only the components a
   * patch mentions are modelled, so an untouched kind cluster is not judged by kubeadm's defaults.
   */
  partial?: boolean;
}

/** What the rest of the file says that a kubeadm configuration needs. */
export interface KubeadmContext {
  /** InitConfiguration.localAPIEndpoint.advertiseAddress, for etcd's URLs. */
  advertiseAddress?: string | undefined;
  /** A KubeletConfiguration in the same file: kubeletExtraArgs override it. */
  kubeletConfig?: KubeObject | undefined;
  /** Cluster API `spec.version` of the owning object. */
  version?: { value: string; at: Span } | undefined;
}

/** kubeadm's own documents: `kubeadm.k8s.io/v1beta1` to `v1beta4`. */
export function extractKubeadmObject(object: KubeObject, context: KubeadmContext, out: Component[], partial = false): void {
  if (!object.apiVersion.startsWith(KUBEADM_GROUP)) return;
  if (object.kind !== 'ClusterConfiguration' && object.kind !== 'InitConfiguration' && object.kind !== 'JoinConfiguration') return;
  const name = str(get(get(object.value, 'metadata'), 'name'));
  extractKubeadm(
    {
      doc: object.doc,
      value: object.value,
      path: object.path,
      kind: object.kind,
      owner: object.origin ?? `${object.kind}/${name ?? `#${object.doc.index + 1}`}`,
      home: keySpanAt(object.doc, [...object.path, 'kind']),
      partial,
    },
    context,
    out,
  );
}

const CAPI_SPECS: Record<string, Path> = {
  KubeadmControlPlane: ['spec', 'kubeadmConfigSpec'],
  KubeadmControlPlaneTemplate: ['spec', 'template', 'spec', 'kubeadmConfigSpec'],
  KubeadmConfig: ['spec'],
  KubeadmConfigTemplate: ['spec', 'template', 'spec'],
};

/** kubeadm configurations inside Cluster API objects (`kubeadmConfigSpec`). */
export function extractClusterApi(object: KubeObject, out: Component[]): void {
  const specPath = CAPI_SPECS[object.kind];
  if (!specPath || !/cluster\.x-k8s\.io\//.test(object.apiVersion)) return;
  let spec: unknown = object.value;
  for (const key of specPath) spec = get(spec, key as string);
  if (!isObj(spec)) return;
  const base = [...object.path, ...specPath];
  const metadata = get(object.value, 'metadata');
  const owner = `${object.kind}/${str(get(metadata, 'namespace')) ?? 'default'}/${str(get(metadata, 'name')) ?? `#${object.doc.index + 1}`}`;
  const version = str(get(get(object.value, 'spec'), 'version'));
  const context: KubeadmContext = {
    advertiseAddress: str(get(get(get(spec, 'initConfiguration'), 'localAPIEndpoint'), 'advertiseAddress')),
    version: version ? { value: version.replace(/^v/, ''), at: keySpanAt(object.doc, [...object.path, 'spec', 'version']) } : undefined,
  };
  const pairs = [
    ['clusterConfiguration', 'ClusterConfiguration'],
    ['initConfiguration', 'InitConfiguration'],
    ['joinConfiguration', 'JoinConfiguration'],
  ] as const;
  for (const [key, kind] of pairs) {
    const value = get(spec, key);
    if (!isObj(value)) continue;
    extractKubeadm(
      { doc: object.doc, value, path: [...base, key], kind, owner: `${owner}.${key}`, home: keySpanAt(object.doc, [...base, key]) },
      context,
      out,
    );
  }
}

function extractKubeadm(config: KubeadmConfig, context: KubeadmContext, out: Component[]): void {
  if (config.kind === 'ClusterConfiguration') clusterComponents(config, context, out);
  else nodeKubelet(config, context, out);
}

function clusterComponents(config: KubeadmConfig, context: KubeadmContext, out: Component[]): void {
  const { doc, value, path } = config;
  const pki = str(get(value, 'certificatesDir')) ?? '/etc/kubernetes/pki';
  const rawVersion = str(get(value, 'kubernetesVersion'));
  const version =
    rawVersion && /^v?\d+\.\d+/.test(rawVersion)
      ? { value: rawVersion.replace(/^v/, ''), at: keySpanAt(doc, [...path, 'kubernetesVersion']) }
      : context.version;
  const vars = { pki, address: context.advertiseAddress };
  const etcd = get(value, 'etcd');
  const external = get(etcd, 'external');

  const sections: [ComponentName, Path][] = [
    ['kube-apiserver', ['apiServer']],
    ['kube-controller-manager', ['controllerManager']],
    ['kube-scheduler', ['scheduler']],
  ];
  if (!isObj(external)) sections.push(['etcd', ['etcd', 'local']]);

  for (const [name, section] of sections) {
    const sectionPath = [...path, ...section];
    let sectionValue: unknown = value;
    for (const key of section) sectionValue = get(sectionValue, key as string);
    if (config.partial && sectionValue === undefined && !(name === 'etcd' && isObj(etcd))) continue;
    const argsPath = [...sectionPath, 'extraArgs'];
    const args = readArgBlock(doc, argsPath, get(sectionValue, 'extraArgs'));
    const anchor = anchorFor(doc, [argsPath, sectionPath, name === 'etcd' ? [...path, 'etcd'] : sectionPath], config.home);
    const settings = new Map<string, Setting>();
    putAll(settings, distributionSettings('kubeadm', name, vars, anchor));
    let flagAnchors: Map<string, Span> | undefined;
    if (name === 'kube-apiserver') {
      wireEtcd(doc, path, etcd, settings, anchor);
      // With external etcd, the client files belong in `etcd.external`.
      if (isObj(external)) {
        const at = keySpanAt(doc, [...path, 'etcd', 'external']);
        flagAnchors = new Map(['--etcd-servers', '--etcd-cafile', '--etcd-certfile', '--etcd-keyfile'].map((f) => [f, at]));
      }
    }
    putAll(settings, args.settings);
    // kubeadm leaves authorization to a structured AuthorizationConfiguration when one is given.
    if (name === 'kube-apiserver' && settings.has('--authorization-config')) {
      if (settings.get('--authorization-mode')?.origin === 'default') settings.delete('--authorization-mode');
    }
    out.push({
      name,
      identity: `${config.owner}:${name}`,
      file: doc.file,
      format: 'kubeadm',
      distribution: 'kubeadm',
      ...componentDefaults(name),
      anchor,
      flagAnchors,
      settings,
      version: name === 'etcd' ? undefined : version,
      mounts: extraVolumes(get(sectionValue, 'extraVolumes')),
      addFlag: args.addFlag,
    });
  }
  kubeadmGates(config, version, out);
}

/**
 * kubeadm itself, as a component: its own `featureGates` (passed to no component) and the
 * validity of the certificates it issues (v1beta4), keyed like flags with the field in `configKey`.
 */
function kubeadmGates(config: KubeadmConfig, version: Component['version'], out: Component[]): void {
  const { doc, value, path } = config;
  const settings = new Map<string, Setting>();
  const fields: [string, string][] = [
    ['featureGates', '--feature-gates'],
    ['certificateValidityPeriod', '--certificate-validity-period'],
    ['caCertificateValidityPeriod', '--ca-certificate-validity-period'],
  ];
  for (const [field, flag] of fields) {
    const v = get(value, field);
    if (v === undefined || v === null) continue;
    const setting = settingFromYaml(doc, [...path, field], v, flag, field);
    if (setting) settings.set(flag, setting);
  }
  if (!settings.size) return;
  out.push({
    name: 'kubeadm',
    identity: `${config.owner}:kubeadm`,
    file: doc.file,
    format: 'kubeadm',
    distribution: 'kubeadm',
    defaults: new Map(),
    defaultsBy: 'kubeadm',
    opaque: 'kubeadm is judged only by what its configuration sets',
    anchor: config.home,
    settings,
    version,
    mounts: [],
  });
}

/**
 * kubeadm points the API server at its local etcd over https with client certificates, unless
 * `etcd.external` names other endpoints (then only the files written there are used), or the
 * local etcd's `advertise-client-urls` is overridden (then the API server follows it).
 */
function wireEtcd(doc: YamlDocument, path: Path, etcd: unknown, settings: Map<string, Setting>, anchor: Span): void {
  const external = get(etcd, 'external');
  if (isObj(external)) {
    for (const flag of ['--etcd-servers', '--etcd-cafile', '--etcd-certfile', '--etcd-keyfile']) settings.delete(flag);
    const externalPath = [...path, 'etcd', 'external'];
    const endpoints = arr(external.endpoints).map(scalarText).filter((e): e is string => !!e);
    if (endpoints.length) {
      const at = spanAt(doc, [...externalPath, 'endpoints']);
      const entries = arr(external.endpoints).map((e, i) => ({ key: scalarText(e) ?? '', at: spanAt(doc, [...externalPath, 'endpoints', i]) }));
      settings.set('--etcd-servers', { flag: '--etcd-servers', configKey: 'etcd.external.endpoints', value: endpoints.join(','), at, entries, origin: 'explicit' });
    }
    for (const [key, flag] of [['caFile', '--etcd-cafile'], ['certFile', '--etcd-certfile'], ['keyFile', '--etcd-keyfile']] as const) {
      const v = str(external[key]);
      if (v) settings.set(flag, { flag, configKey: `etcd.external.${key}`, value: v, at: spanAt(doc, [...externalPath, key]), origin: 'explicit' });
    }
    return;
  }
  const advertised = scalarText(extraArg(get(get(etcd, 'local'), 'extraArgs'), 'advertise-client-urls'));
  if (advertised) {
    settings.set('--etcd-servers', { flag: '--etcd-servers', value: advertised, at: anchor, origin: 'default', defaultBy: 'kubeadm (from etcd advertise-client-urls)' });
  }
}

function extraArg(block: unknown, name: string): unknown {
  if (Array.isArray(block)) return get(block.findLast((item) => get(item, 'name') === name), 'value');
  return get(block, name);
}

/** The kubelet of a node that kubeadm registers: kubeletExtraArgs over the cluster's KubeletConfiguration. */
function nodeKubelet(config: KubeadmConfig, context: KubeadmContext, out: Component[]): void {
  const { doc, value, path } = config;
  const registration = get(value, 'nodeRegistration');
  const extra = get(registration, 'kubeletExtraArgs');
  if (extra === undefined) return; // nothing node-specific: the KubeletConfiguration says it all
  const argsPath = [...path, 'nodeRegistration', 'kubeletExtraArgs'];
  const args = readArgBlock(doc, argsPath, extra);
  // A setting left out belongs in the KubeletConfiguration when there is one; there it is also
  // reported once, not once per node.
  const kubeletConfig = context.kubeletConfig;
  const anchor = kubeletConfig
    ? keySpanAt(kubeletConfig.doc, [...kubeletConfig.path, 'kind'])
    : anchorFor(doc, [argsPath, [...path, 'nodeRegistration']], config.home);
  const settings = new Map<string, Setting>();
  putAll(settings, distributionSettings('kubeadm', 'kubelet', { pki: '/etc/kubernetes/pki' }, anchor));
  if (kubeletConfig) putAll(settings, kubeletFromConfig(kubeletConfig).settings.values());
  putAll(settings, args.settings);
  out.push({
    name: 'kubelet',
    identity: `${config.owner}:kubelet`,
    file: doc.file,
    format: 'kubeadm',
    distribution: 'kubeadm',
    ...componentDefaults('kubelet', 'config-file'),
    anchor,
    settings,
    version: context.version,
    mounts: [],
    // Findings on missing settings land on the KubeletConfiguration, and a fix must edit the line it is on.
    addFlag: kubeletConfig ? undefined : args.addFlag,
  });
}

/** The first of `paths` that exists (its key line), else the configuration's home line. */
function anchorFor(doc: YamlDocument, paths: Path[], home: Span): Span {
  for (const p of paths) if (nodeAt(doc, p)) return keySpanAt(doc, p);
  return home;
}

function extraVolumes(volumes: unknown): { hostPath: string; mountPath: string }[] {
  return arr(volumes)
    .map((v) => ({ hostPath: str(get(v, 'hostPath')) ?? '', mountPath: str(get(v, 'mountPath')) ?? '' }))
    .filter((v) => v.hostPath && v.mountPath);
}
