import type { Extracted } from '../model/types.js';
import type { YamlDocument } from '../parse/yaml.js';
import { get, str } from '../util/values.js';
import { extractAuditPolicy } from './audit-policy.js';
import { extractEncryptionConfig } from './encryption-config.js';
import { extractKindCluster, kindPatches } from './kind.js';
import { extractClusterApi, extractKubeadmObject } from './kubeadm.js';
import { extractKubeletConfig, isKubeletConfiguration } from './kubelet-config.js';
import { objectsOf, type KubeObject } from './objects.js';
import { extractStaticPods } from './static-pod.js';

/** Objects the rules read as they are (group of the apiVersion, kind). */
const KEPT_KINDS = new Set([
  'v1 Secret',
  'cert-manager.io Certificate',
  'eksctl.io ClusterConfig',
  'rbac.authorization.k8s.io Role',
  'rbac.authorization.k8s.io ClusterRole',
  'rbac.authorization.k8s.io RoleBinding',
  'rbac.authorization.k8s.io ClusterRoleBinding',
]);

/**
 * Turns the objects of one YAML file into model entries (k3s configurations, which span files,
 * are read by extractK3sConfigs). A file is read as a whole because its
 * documents inform each other: a kubeadm InitConfiguration gives the address etcd listens on,
 * and a KubeletConfiguration beside it is what `kubeletExtraArgs` override.
 */
export function extractYamlFile(documents: readonly YamlDocument[], out: Extracted): KubeObject[] {
  const objects: KubeObject[] = documents.flatMap(objectsOf);
  return extractObjects(objects, out);
}

/** Extracts components from the objects and returns every object read, kind patches included. */
export function extractObjects(objects: readonly KubeObject[], sink: Extracted, options: { partial?: boolean } = {}): KubeObject[] {
  const out = sink.components;
  const read = [...objects];
  const kubeadm = objects.some((o) => o.apiVersion.startsWith('kubeadm.k8s.io/'));
  const init = objects.find((o) => o.kind === 'InitConfiguration' && o.apiVersion.startsWith('kubeadm.k8s.io/'));
  const context = {
    advertiseAddress: str(get(get(init?.value, 'localAPIEndpoint'), 'advertiseAddress')),
    kubeletConfig: kubeadm ? objects.find(isKubeletConfiguration) : undefined,
  };
  for (const object of objects) {
    extractStaticPods(object, out);
    extractKubeadmObject(object, context, out, options.partial);
    extractClusterApi(object, out);
    extractKubeletConfig(object, { kubeadm }, out);
    extractKindCluster(object, out);
    const encryption = extractEncryptionConfig(object);
    if (encryption) sink.encryption.push(encryption);
    const policy = extractAuditPolicy(object);
    if (policy) sink.audit.push(policy);
    if (KEPT_KINDS.has(`${object.apiVersion.split('/')[0]} ${object.kind}`)) sink.objects.push(object);
    const patches = kindPatches(object);
    if (patches.length) read.push(...extractObjects(patches, sink, { partial: true }));
  }
  return read;
}
