import type { Component, ComponentName, LineFix, Setting } from '../model/types.js';
import type { SourceFile, Span } from '../parse/source-file.js';
import { environmentAssignments, parseUnit, unitWords, type UnitEntry } from '../parse/systemd.js';
import { isPlaceholder, parseFlags, type Word } from './argv.js';
import { componentDefaults } from './component.js';
import { replaceOnLine } from './spans.js';
import { BINARIES, opaqueReason } from './static-pod.js';

/** Unit files and drop-ins: `*.service`, and `*.conf` files that hold a [Service] section. */
export function isUnitFile(path: string, text: string): boolean {
  return /\.service$/.test(path) || (/\.conf$/.test(path) && /^\s*\[Service\]/m.test(text));
}

/**
 * A component started by a systemd unit's `ExecStart=` (the Kubernetes The Hard Way layout, and
 * kubelet units). `Environment=` variables are expanded where the command line uses them; a
 * variable from an `EnvironmentFile=` cannot be seen, and makes the component opaque.
 */
export function extractUnit(files: readonly SourceFile[], out: Component[]): void {
  // The unit first, then its drop-ins in name order, as systemd reads them.
  const env = new Map<string, { value: string; start: number; file: SourceFile }>();
  const envFiles: string[] = [];
  let exec: { entry: UnitEntry; file: SourceFile } | undefined;
  for (const unitFile of files) {
    for (const entry of parseUnit(unitFile)) {
      if (entry.section !== 'Service') continue;
      if (entry.key === 'Environment') {
        for (const a of environmentAssignments(unitFile, entry)) env.set(a.name, { value: a.value, start: a.start, file: unitFile });
      } else if (entry.key === 'EnvironmentFile') {
        envFiles.push(unitFile.text.slice(entry.valueStart, entry.valueEnd).trim().replace(/^-/, ''));
      } else if (entry.key === 'ExecStart') {
        // An empty ExecStart= resets the list (how drop-ins replace the command).
        exec = unitFile.text.slice(entry.valueStart, entry.valueEnd).trim() ? { entry, file: unitFile } : undefined;
      }
    }
  }
  if (!exec) return;
  const file = exec.file;

  const starts: { file: SourceFile; start: number }[] = [];
  const words: Word[] = [];
  const unknown: string[] = [];
  for (const w of unitWords(file, exec.entry.valueStart, exec.entry.valueEnd)) {
    if (w.variable !== undefined) {
      const defined = env.get(w.variable);
      if (!defined) {
        unknown.push(w.variable);
        continue;
      }
      // `$VAR` splits at whitespace into several words, each found inside the Environment= value.
      for (const m of defined.value.matchAll(/\S+/g)) {
        starts.push({ file: defined.file, start: defined.start + m.index });
        words.push({ text: m[0], source: starts.length - 1, offset: 0 });
      }
      continue;
    }
    starts.push({ file, start: w.start });
    words.push({ text: w.text, source: starts.length - 1, offset: 0 });
  }
  const first = words[0];
  if (!first) return;
  const program = first.text.replace(/^[-@+!:]+/, '');
  const name: ComponentName | undefined = BINARIES[program.slice(program.lastIndexOf('/') + 1)];
  if (!name) return;

  const span = (word: Word, offset = 0, length = word.text.length - offset): Span => {
    const origin = starts[word.source]!;
    const start = origin.start + word.offset + offset;
    return { file: origin.file, start, end: start + length };
  };
  const settings = new Map<string, Setting>();
  for (const flag of parseFlags(words.slice(1), { singleDash: name === 'etcd' })) {
    const a = span(flag.words[0]!);
    const b = span(flag.words[flag.words.length - 1]!);
    const valueAt = flag.bare ? undefined : span(flag.valueWord, flag.valueOffset, flag.value.length);
    const literal = valueAt && valueAt.file.text.slice(valueAt.start, valueAt.end) === flag.value;
    settings.set(flag.name, {
      flag: flag.name,
      value: flag.value,
      at: { file: a.file, start: a.start, end: a.file === b.file ? Math.max(a.end, b.end) : a.end },
      valueAt: literal ? valueAt : undefined,
      origin: 'explicit',
      unresolved: isPlaceholder(flag.value) || undefined,
      rewrite: literal ? (v) => replaceOnLine(valueAt, v) : flag.bare ? (v) => replaceOnLine(a, `${flag.name}=${v}`) : undefined,
    });
  }
  const anchor: Span = { file, start: exec.entry.keyStart, end: exec.entry.keyStart + 'ExecStart'.length };
  let hidden = unknown.length
    ? `${unknown.map((v) => `$${v}`).join(', ')} come${unknown.length === 1 ? 's' : ''} from ${envFiles.length ? envFiles.join(', ') : 'the environment'}, which is not read`
    : undefined;
  // A kubelet unit without flags is the base that drop-ins complete (kubelet.service.d/*.conf).
  if (!hidden && name === 'kubelet' && settings.size === 0) hidden = 'a kubelet unit without flags is completed by drop-ins that are not in the repository';
  out.push({
    name,
    identity: `systemd:${files[0]!.path.slice(files[0]!.path.lastIndexOf('/') + 1)}:${name}`,
    file,
    format: 'systemd',
    ...componentDefaults(name),
    opaque: hidden ?? opaqueReason(name, settings),
    anchor,
    settings,
    mounts: [],
    addFlag: (flag, value) => insertAfterExecLine(file, exec!.entry, `${flag}=${value}`),
  });
}

/** Adds a flag on its own continuation line right after the `ExecStart=` line, in the unit's style. */
function insertAfterExecLine(file: SourceFile, exec: UnitEntry, text: string): LineFix | undefined {
  const line = file.position(exec.keyStart).line;
  const execText = file.line(line);
  const next = file.line(line + 1);
  if (!execText.trimEnd().endsWith('\\') || !next.trim()) return undefined;
  const indent = /^\s*/.exec(next)![0];
  return { line, replacement: `${execText}\n${indent}${text} \\` };
}
