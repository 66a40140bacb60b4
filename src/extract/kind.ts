import type { Component, ComponentName, Setting } from '../model/types.js';
import type { Path } from '../parse/locate.js';
import { parseEmbedded } from '../parse/embedded.js';
import { arr, get, isObj, str } from '../util/values.js';
import type { KubeObject } from './objects.js';
import { keySpanAt, nodeAt } from './spans.js';
import { imageVersion } from './static-pod.js';
import { settingFromYaml } from './yaml-setting.js';

/** kind fills in the apiVersion of a patch that leaves it out; so do we. */
const PATCH_API_VERSIONS: Record<string, string> = {
  ClusterConfiguration: 'kubeadm.k8s.io/v1beta3',
  InitConfiguration: 'kubeadm.k8s.io/v1beta3',
  JoinConfiguration: 'kubeadm.k8s.io/v1beta3',
  KubeletConfiguration: 'kubelet.config.k8s.io/v1beta1',
};

/**
 * A kind `Cluster`: kind runs kubeadm, and its `kubeadmConfigPatches` (for the whole cluster or
 * one node) are kubeadm documents written as strings. They are parsed where they stand and read
 * as partial kubeadm configurations: only what a patch touches is judged.
 */
export function kindPatches(object: KubeObject): KubeObject[] {
  if (object.kind !== 'Cluster' || !object.apiVersion.startsWith('kind.x-k8s.io/')) return [];
  const lists: Path[] = [[...object.path, 'kubeadmConfigPatches']];
  arr(object.value.nodes).forEach((_, i) => lists.push([...object.path, 'nodes', i, 'kubeadmConfigPatches']));
  const out: KubeObject[] = [];
  for (const listPath of lists) {
    let list: unknown = object.doc.value;
    for (const key of listPath) list = typeof key === 'number' ? arr(list)[key] : get(list, key);
    arr(list).forEach((patch, index) => {
      const node = nodeAt(object.doc, [...listPath, index]);
      if (typeof patch !== 'string' || !node) return;
      for (const doc of parseEmbedded(object.doc, node, patch)) {
        if (!isObj(doc.value)) continue;
        const kind = str(doc.value.kind);
        const apiVersion = str(doc.value.apiVersion) ?? (kind ? PATCH_API_VERSIONS[kind] : undefined);
        if (!kind || !apiVersion) continue;
        const where = listPath.slice(object.path.length).join('.');
        out.push({ doc, value: doc.value, path: [], apiVersion, kind, origin: `kind-Cluster.${where}[${index}].${kind}` });
      }
    });
  }
  return out;
}

/** The components kind configures from a `Cluster`'s own `featureGates` and `runtimeConfig`. */
const KIND_GATED: ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'];

/**
 * A kind `Cluster`'s `featureGates` go to every component and its `runtimeConfig` to the API
 * server. kind writes everything else, so these components are opaque: only what the file sets is
 * judged. The Kubernetes version is the control-plane node image's tag (`kindest/node:v1.33.1`).
 */
export function extractKindCluster(object: KubeObject, out: Component[]): void {
  if (object.kind !== 'Cluster' || !object.apiVersion.startsWith('kind.x-k8s.io/')) return;
  const { doc, path } = object;
  const gates = object.value.featureGates;
  const runtime = object.value.runtimeConfig;
  if (!isObj(gates) && !isObj(runtime)) return;
  const nodes = arr(object.value.nodes);
  const index = Math.max(0, nodes.findIndex((n) => get(n, 'role') === 'control-plane'));
  const image = str(get(nodes[index], 'image'));
  const tag = image ? imageVersion(image) : undefined;
  const version = tag ? { value: tag, at: keySpanAt(doc, [...path, 'nodes', index, 'image']) } : undefined;
  const name = str(get(object.value.metadata, 'name')) ?? str(object.value.name) ?? 'kind';
  for (const component of KIND_GATED) {
    const settings = new Map<string, Setting>();
    const gateSetting = isObj(gates) ? settingFromYaml(doc, [...path, 'featureGates'], gates, '--feature-gates', 'featureGates') : undefined;
    if (gateSetting) settings.set('--feature-gates', gateSetting);
    if (component === 'kube-apiserver' && isObj(runtime)) {
      const runtimeSetting = settingFromYaml(doc, [...path, 'runtimeConfig'], runtime, '--runtime-config', 'runtimeConfig');
      if (runtimeSetting) settings.set('--runtime-config', runtimeSetting);
    }
    if (!settings.size) continue;
    out.push({
      name: component,
      identity: `kind-Cluster/${name}:${component}`,
      file: doc.file,
      format: 'kind',
      defaults: new Map(),
      defaultsBy: component,
      opaque: 'kind writes the rest of this configuration',
      anchor: keySpanAt(doc, [...path, 'kind']),
      settings,
      version,
      mounts: [],
    });
  }
}
