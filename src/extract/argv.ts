/**
 * Command lines as Go programs read them (pflag for Kubernetes components, the flag package for
 * etcd): `--x=y`, `--x y`, bare `--x` meaning true, a repeated flag meaning its last value.
 */

/** One word of a command line, with where it sits in the value it was read from. */
export interface Word {
  text: string;
  /** Which source value holds it (an index the caller understands, e.g. the list item). */
  source: number;
  /** Offset of the word inside that source value. */
  offset: number;
}

export interface FlagOccurrence {
  /** Normalised name with two leading dashes. */
  name: string;
  value: string;
  /** Written as a bare `--x` (a boolean set to true). */
  bare: boolean;
  /** The words that make up the flag: one (`--x=y`, `--x`) or two (`--x y`). */
  words: Word[];
  /** The word holding the value, and the value's offset inside that word's text. */
  valueWord: Word;
  valueOffset: number;
}

/**
 * Reads flags from the words that follow a program's name. Positional words are skipped, as
 * Kubernetes components take none. `singleDash` accepts `-name` as `--name` (Go's flag package,
 * which etcd uses); pflag reads a single dash as a shorthand, which no setting we judge uses.
 */
export function parseFlags(words: Word[], options: { singleDash: boolean }): FlagOccurrence[] {
  const flags: FlagOccurrence[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const text = word.text;
    let dashes = 0;
    if (text.startsWith('--')) dashes = 2;
    else if (options.singleDash && text.startsWith('-') && text.length > 1) dashes = 1;
    if (!dashes || text.length === dashes) continue;
    const eq = text.indexOf('=');
    const name = '--' + (eq >= 0 ? text.slice(dashes, eq) : text.slice(dashes));
    if (eq >= 0) {
      flags.push({ name, value: text.slice(eq + 1), bare: false, words: [word], valueWord: word, valueOffset: eq + 1 });
      continue;
    }
    const next = words[i + 1];
    if (next && !next.text.startsWith('-')) {
      flags.push({ name, value: next.text, bare: false, words: [word, next], valueWord: next, valueOffset: 0 });
      i++;
      continue;
    }
    flags.push({ name, value: 'true', bare: true, words: [word], valueWord: word, valueOffset: text.length });
  }
  return flags;
}

/**
 * Splits a shell command string into words the way `sh -c` would for the simple scripts found in
 * manifests (quotes, backslashes, `$(...)` kept inside a word). Stops at the first `;`, `&&`, `||`
 * or `|` outside quotes: what follows is another command. Offsets point into `script`.
 */
export function shellWords(script: string, source: number): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = script.length;
  while (i < n) {
    while (i < n && /\s/.test(script[i]!)) i++;
    if (i >= n) break;
    const c = script[i]!;
    if (c === ';' || c === '|' || (c === '&' && script[i + 1] === '&')) break;
    const start = i;
    let text = '';
    while (i < n && !/\s/.test(script[i]!)) {
      const ch = script[i]!;
      if (ch === ';' || ch === '|' || (ch === '&' && script[i + 1] === '&')) break;
      if (ch === "'") {
        const close = script.indexOf("'", i + 1);
        const end = close < 0 ? n : close;
        text += script.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (i < n && script[i] !== '"') {
          if (script[i] === '\\' && i + 1 < n) i++;
          text += script[i];
          i++;
        }
        i++;
      } else if (ch === '\\' && i + 1 < n) {
        text += script[i + 1];
        i += 2;
      } else if (ch === '$' && script[i + 1] === '(') {
        const close = script.indexOf(')', i);
        const end = close < 0 ? n : close + 1;
        text += script.slice(i, end);
        i = end;
      } else {
        text += ch;
        i++;
      }
    }
    words.push({ text, source, offset: start });
  }
  return words;
}

/** Values that are filled in later by a template engine, envsubst or the kubelet. */
export function isPlaceholder(value: string): boolean {
  return /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{.*\}\}|__[a-z]+__/.test(value);
}
