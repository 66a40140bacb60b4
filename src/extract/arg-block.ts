import type { LineFix, Setting } from '../model/types.js';
import type { Path } from '../parse/locate.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import { get, isObj, scalarText } from '../util/values.js';
import { isPlaceholder } from './argv.js';
import { appendEntry, nodeAt, replaceOnLine, spanAt, yamlString } from './spans.js';

/** Flags written as a YAML block: kubeadm `extraArgs`, `kubeletExtraArgs`, k3s `*-arg` lists. */
export interface ArgBlock {
  settings: Setting[];
  /** Builds the edit that adds a flag to the block, when its layout allows one. */
  addFlag: ((flag: string, value: string) => LineFix | undefined) | undefined;
}

/**
 * Reads `extraArgs` in either kubeadm shape: a map (`v1beta3` and older, Cluster API v1beta1)
 * `{name: value}`, or a list (`v1beta4`, Cluster API v1beta2) `[{name, value}]`, in which a name
 * may repeat and the last one wins. Names are written without dashes.
 */
export function readArgBlock(doc: YamlDocument, path: Path, value: unknown): ArgBlock {
  const node = nodeAt(doc, path);
  const settings: Setting[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const name = scalarText(get(item, 'name'));
      const v = scalarText(get(item, 'value')) ?? '';
      if (!name) return;
      settings.push(setting(doc, [...path, index], [...path, index, 'value'], name, v));
    });
    return {
      settings,
      addFlag: node?.kind === 'seq' ? (flag, v) => appendEntry(doc, node, [`name: ${bare(flag)}`, `value: ${yamlString(v)}`], true) : undefined,
    };
  }
  if (isObj(value)) {
    for (const [name, raw] of Object.entries(value)) {
      const v = scalarText(raw);
      if (v === undefined) continue;
      settings.push(setting(doc, [...path, name], [...path, name], name, v));
    }
    return {
      settings,
      addFlag: node?.kind === 'map' ? (flag, v) => appendEntry(doc, node, [`${bare(flag)}: ${yamlString(v)}`]) : undefined,
    };
  }
  return { settings, addFlag: undefined };
}

/**
 * Reads a k3s/RKE2 `*-arg` value: a list of `flag=value` strings, or one such string. The flag
 * may be written with or without its dashes.
 */
export function readArgList(doc: YamlDocument, path: Path, value: unknown): ArgBlock {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const settings: Setting[] = [];
  items.forEach((item, index) => {
    const text = scalarText(item);
    if (text === undefined) return;
    const itemPath = Array.isArray(value) ? [...path, index] : path;
    const eq = text.indexOf('=');
    const name = eq >= 0 ? text.slice(0, eq) : text;
    const v = eq >= 0 ? text.slice(eq + 1) : 'true';
    const at = spanAt(doc, itemPath);
    const itemNode = nodeAt(doc, itemPath);
    const literal = itemNode && doc.file.text.slice(itemNode.start, itemNode.end) === text;
    const valueAt: Span | undefined =
      literal && eq >= 0 ? { file: doc.file, start: itemNode.start + eq + 1, end: itemNode.end } : undefined;
    settings.push({
      flag: `--${bare(name)}`,
      value: v,
      at,
      valueAt,
      origin: 'explicit',
      unresolved: isPlaceholder(v) || undefined,
      rewrite: valueAt ? (nv) => replaceOnLine(valueAt, nv) : undefined,
    });
  });
  const node = nodeAt(doc, path);
  return {
    settings,
    addFlag: node?.kind === 'seq' ? (flag, v) => appendEntry(doc, node, [`${bare(flag)}=${v}`], true) : undefined,
  };
}

function setting(doc: YamlDocument, entryPath: Path, valuePath: Path, name: string, value: string): Setting {
  const valueNode = nodeAt(doc, valuePath);
  const valueAt: Span | undefined = valueNode ? { file: doc.file, start: valueNode.start, end: valueNode.end } : undefined;
  return {
    flag: `--${bare(name)}`,
    value,
    // In a `name`/`value` list the value line is the one to change (and the one a fix rewrites).
    at: valueAt && valuePath.length > entryPath.length ? valueAt : spanAt(doc, entryPath),
    valueAt,
    origin: 'explicit',
    unresolved: isPlaceholder(value) || undefined,
    rewrite: valueAt && valueNode?.kind === 'scalar' ? (nv) => replaceOnLine(valueAt, valueNode.style === 1 ? yamlString(nv) : nv) : undefined,
  };
}

/** `--x`, `-x` or `x` → `x`. */
export function bare(flag: string): string {
  return flag.replace(/^-+/, '');
}
