import type { SourceFile } from './source-file.js';

/** One `Key=Value` line of a unit (continuation lines joined), with where its value is in the file. */
export interface UnitEntry {
  section: string;
  key: string;
  keyStart: number;
  /** The value's raw text range in the file (continuations included). */
  valueStart: number;
  valueEnd: number;
}

/**
 * Reads a systemd unit or drop-in the way systemd does for the parts that matter here: sections,
 * `Key=Value` entries, `#`/`;` comments, and a trailing `\` joining the next line.
 */
export function parseUnit(file: SourceFile): UnitEntry[] {
  const text = file.text;
  const entries: UnitEntry[] = [];
  let section = '';
  let i = 0;
  while (i < text.length) {
    const lineEnd = endOfLine(text, i);
    const line = text.slice(i, lineEnd);
    const trimmed = line.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = trimmed.slice(1, -1);
    } else if (trimmed && !trimmed.startsWith('#') && !trimmed.startsWith(';')) {
      const eq = line.indexOf('=');
      if (eq > 0) {
        const keyStart = i + (line.length - line.trimStart().length);
        let end = lineEnd;
        // A line ending in a backslash continues on the next one.
        while (text.slice(0, end).trimEnd().endsWith('\\') && end < text.length) end = endOfLine(text, end + 1);
        entries.push({ section, key: line.slice(0, eq).trim(), keyStart, valueStart: i + eq + 1, valueEnd: end });
        i = end + 1;
        continue;
      }
    }
    i = lineEnd + 1;
  }
  return entries;
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** A word of a command line in a unit, with its range in the file. */
export interface UnitWord {
  text: string;
  start: number;
  end: number;
  /** `$VAR` or `${VAR}` not yet expanded. */
  variable?: string | undefined;
}

/** Splits an ExecStart value into words: quotes, `\`-continuations, `$VAR` references. */
export function unitWords(file: SourceFile, start: number, end: number): UnitWord[] {
  const text = file.text;
  const words: UnitWord[] = [];
  let i = start;
  while (i < end) {
    while (i < end && (/\s/.test(text[i]!) || (text[i] === '\\' && /\r?\n/.test(text.slice(i + 1, i + 3))))) i++;
    if (i >= end) break;
    const wordStart = i;
    let word = '';
    let quoted = false;
    while (i < end && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === '\\' && /\r?\n/.test(text.slice(i + 1, i + 3))) break;
      if (c === '"' || c === "'") {
        quoted = true;
        const close = text.indexOf(c, i + 1);
        const stop = close < 0 || close > end ? end : close;
        word += text.slice(i + 1, stop);
        i = stop + 1;
      } else {
        word += c;
        i++;
      }
    }
    const variable = !quoted ? /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word)?.[1] : undefined;
    words.push({ text: word, start: wordStart, end: i, variable });
  }
  return words;
}

/** `Environment="A=x y" B=z` → the assignments, each with its value's range in the file. */
export function environmentAssignments(file: SourceFile, entry: UnitEntry): { name: string; value: string; start: number; end: number }[] {
  return unitWords(file, entry.valueStart, entry.valueEnd).flatMap((word) => {
    const eq = word.text.indexOf('=');
    if (eq <= 0) return [];
    // The value starts after `NAME=` inside the word's raw text (which may open with a quote).
    const raw = file.text.slice(word.start, word.end);
    const start = word.start + raw.indexOf('=') + 1;
    return [{ name: word.text.slice(0, eq), value: word.text.slice(eq + 1), start, end: word.end - (/["']$/.test(raw) ? 1 : 0) }];
  });
}
