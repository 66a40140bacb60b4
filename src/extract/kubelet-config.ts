import fields from '../data/kubelet-config-fields.json' with { type: 'json' };
import type { Component, Setting } from '../model/types.js';
import type { Span } from '../parse/source-file.js';
import { get, isObj, scalarText, str } from '../util/values.js';
import { isPlaceholder } from './argv.js';
import { componentDefaults, distributionSettings, putAll } from './component.js';
import type { KubeObject } from './objects.js';
import { keySpanAt, nodeAt, replaceOnLine, spanAt } from './spans.js';

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
    const path = [...object.path, ...keys];
    const node = nodeAt(doc, path);
    const valueAt: Span | undefined = node ? { file: doc.file, start: node.start, end: node.end } : undefined;
    let text: string | undefined;
    let entries: { key: string; at: Span }[] | undefined;
    if (Array.isArray(value)) {
      text = value.map(scalarText).filter((v) => v !== undefined).join(',');
      entries = value.map((v, i) => ({ key: scalarText(v) ?? '', at: spanAt(doc, [...path, i]) }));
    } else if (isObj(value)) {
      text = Object.entries(value)
        .map(([k, v]) => `${k}=${scalarText(v)}`)
        .join(',');
      entries = Object.keys(value).map((k) => ({ key: k, at: spanAt(doc, [...path, k]) }));
    } else {
      text = scalarText(value);
    }
    if (text === undefined) continue;
    const scalar = node?.kind === 'scalar';
    settings.set(flag, {
      flag,
      configKey: key,
      value: text,
      at: spanAt(doc, path),
      valueAt,
      entries,
      origin: 'explicit',
      unresolved: isPlaceholder(text) || undefined,
      rewrite: scalar && valueAt ? (v) => replaceOnLine(valueAt, v) : undefined,
    });
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
