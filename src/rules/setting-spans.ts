import type { Setting } from '../model/types.js';
import type { Span } from '../parse/source-file.js';
import { listEntries } from './flag-eval.js';

/** Where one entry of a list or map value is written, when the entries are separate in the file. */
export function entrySpan(setting: Setting, key: string): Span | undefined {
  return setting.entries?.find((e) => e.key === key)?.at;
}

/** The range of part of a setting's value; the whole value when its source text is not literal. */
export function valuePart(setting: Setting, offset: number, length: number): Span {
  const v = setting.valueAt;
  if (!v) return setting.at;
  if (v.file.text.slice(v.start, v.end) === setting.value) {
    return { file: v.file, start: v.start + offset, end: v.start + offset + length };
  }
  return v;
}


/** One `key=value` item of a list setting (`--feature-gates`, `--runtime-config`), with where it is written. */
export interface SettingItem {
  key: string;
  /** The text after `=`, or undefined when the item has none. */
  value: string | undefined;
  /** The item as written, `Key=value`. */
  text: string;
  at: Span;
}

/** The items of a comma list (or of a YAML map or list the setting was read from). */
export function settingItems(setting: Setting): SettingItem[] {
  return listEntries(setting.value).map(({ entry, offset }) => {
    const eq = entry.indexOf('=');
    const key = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : entry.slice(eq + 1).trim();
    return { key, value, text: entry, at: entrySpan(setting, key) ?? entrySpan(setting, entry) ?? valuePart(setting, offset, entry.length) };
  });
}
