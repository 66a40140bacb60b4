import fields from '../data/kubelet-config-fields.json' with { type: 'json' };
import type { Component, Setting } from '../model/types.js';
import { get, str } from '../util/values.js';
import { componentDefaults, distributionSettings, putAll } from './component.js';
import type { KubeObject } from './objects.js';
import { keySpanAt } from './spans.js';
import { settingFromYaml } from './yaml-setting.js';

const FIELDS = fields.fields as Record<string, string>;

export function isKubeletConfiguration(object: KubeObject): boolean {
  return object.kind === 'KubeletConfiguration' && object.apiVersion.startsWith('kubelet.config.k8s.io/');
}

/**
 * The settings a KubeletConfiguration writes, under the flag names they stand for (both names are
 * kept: `configKey` is what the file says). Lists become comma lists, `featureGates` a `Name=bool`
 * list, each entry with its own line.
 */
export function kubeletFromConfig(object: KubeObject): { settings: Map<string, Setting> } {
  const { doc } = object;
  const settings = new Map<string, Setting>();
  for (const [key, flag] of Object.entries(FIELDS)) {
    const keys = key.split('.');
    let value: unknown = object.value;
    for (const k of keys) value = get(value, k);
    if (value === undefined || value === null) continue;
    const setting = settingFromYaml(doc, [...object.path, ...keys], value, flag, key);
    if (setting) settings.set(flag, setting);
  }
  return { settings };
}

/**
 * A KubeletConfiguration document. One that kubeadm manages (it sits beside kubeadm documents)
 * also gets what kubeadm writes into it when a field is left out.
 */
export function extractKubeletConfig(object: KubeObject, context: { kubeadm: boolean }, out: Component[]): void {
  if (!isKubeletConfiguration(object)) return;
  const home = keySpanAt(object.doc, [...object.path, 'kind']);
  const settings = new Map<string, Setting>();
  if (context.kubeadm) putAll(settings, distributionSettings('kubeadm', 'kubelet', { pki: '/etc/kubernetes/pki' }, home));
  putAll(settings, kubeletFromConfig(object).settings.values());
  out.push({
    name: 'kubelet',
    identity: `${object.origin ?? `KubeletConfiguration/${str(get(get(object.value, 'metadata'), 'name')) ?? `#${object.doc.index + 1}`}`}:kubelet`,
    file: object.doc.file,
    format: 'kubelet-config',
    distribution: context.kubeadm ? 'kubeadm' : undefined,
    ...componentDefaults('kubelet', 'config-file'),
    anchor: home,
    settings,
    mounts: [],
  });
}
