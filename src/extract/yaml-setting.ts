import type { Setting } from '../model/types.js';
import type { Path } from '../parse/locate.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import { isObj, scalarText } from '../util/values.js';
import { isPlaceholder } from './argv.js';
import { nodeAt, replaceOnLine, spanAt } from './spans.js';

/**
 * A config-file field read as the flag it stands for. Lists become comma lists and maps a
 * `Name=value` list (`featureGates`), each entry keeping its own position.
 */
export function settingFromYaml(doc: YamlDocument, path: Path, value: unknown, flag: string, configKey: string): Setting | undefined {
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
  if (text === undefined) return undefined;
  const scalar = node?.kind === 'scalar';
  return {
    flag,
    configKey,
    value: text,
    at: spanAt(doc, path),
    valueAt,
    entries,
    origin: 'explicit',
    unresolved: isPlaceholder(text) || undefined,
    rewrite: scalar && valueAt ? (v) => replaceOnLine(valueAt, v) : undefined,
  };
}
