import { K3S_OPTIONS_READ, isK3sConfig } from '../extract/k3s.js';
import { keySpanAt, replaceOnLine } from '../extract/spans.js';
import type { YamlDocument } from '../parse/yaml.js';
import { isObj } from '../util/values.js';
import type { SchemaIssue } from './validate.js';
import { nearest } from '../util/nearest.js';

/**
 * k3s and RKE2 accept every flag of `server` and `agent` as a config key and skip an unknown key
 * with a warning in their log. Their options change with every release, so a key is reported only
 * when it is a near miss of an option kubeharden reads: `secrets-encrytion` leaves Secrets in plain
 * text as surely as leaving the option out. `key+` (append, in config.yaml.d) is the same option.
 */
export function k3sOptionIssues(doc: YamlDocument, out: SchemaIssue[]): void {
  const value = doc.value;
  if (!isObj(value) || !isK3sConfig(doc.file.path, value)) return;
  const known = new Set(K3S_OPTIONS_READ);
  for (const key of Object.keys(value)) {
    const option = key.endsWith('+') ? key.slice(0, -1) : key;
    if (known.has(option)) continue;
    const meant = nearest(option, K3S_OPTIONS_READ);
    if (!meant) continue;
    const at = keySpanAt(doc, [key]);
    const plain = doc.file.text.slice(at.start, at.end) === key;
    out.push({
      code: 'unknown-field',
      at,
      detail: `\`${option}\` is not a k3s or RKE2 option (they skip it with a warning); did you mean \`${meant}\`?`,
      identity: `config ${option} unknown`,
      fix: plain ? replaceOnLine(at, key.endsWith('+') ? `${meant}+` : meant) : undefined,
    });
  }
}
