import type { Path } from '../parse/locate.js';
import { parseEmbedded } from '../parse/embedded.js';
import { arr, get, isObj, str } from '../util/values.js';
import type { KubeObject } from './objects.js';
import { nodeAt } from './spans.js';

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
