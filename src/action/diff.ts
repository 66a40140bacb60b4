/** One hunk of a unified diff, as `pulls.listFiles` gives it in `patch`. */
export interface Hunk {
  oldStart: number;
  newStart: number;
  /** The hunk's lines in order: ' ' context, '+' added, '-' removed; `noNewline` after a line that ends its file without one. */
  lines: { type: ' ' | '+' | '-'; text: string; noNewline?: boolean }[];
}

const HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** The hunks of a patch (no file headers, as GitHub sends them). Lines outside hunks are ignored. */
export function parsePatch(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  // GitHub's patches end without a newline; a trailing one would read as an extra empty line.
  for (const line of patch.replace(/\n$/, '').split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = { oldStart: Number(header[1]), newStart: Number(header[3]), lines: [] };
      hunks.push(current);
      continue;
    }
    if (!current) continue;
    const type = line[0];
    if (type === '\\') {
      const last = current.lines[current.lines.length - 1];
      if (last) last.noNewline = true;
    } else if (type === ' ' || type === '+' || type === '-') {
      current.lines.push({ type, text: line.slice(1) });
    } else if (line === '') {
      // An empty context line whose leading space a transport trimmed.
      current.lines.push({ type: ' ', text: '' });
    }
  }
  return hunks;
}

/**
 * The head-side lines of each hunk (added and context): the lines a review comment may be put on,
 * by hunk, so that a comment range can be kept within one.
 */
export function commentableLines(hunks: readonly Hunk[]): Map<number, number> {
  const lineToHunk = new Map<number, number>();
  hunks.forEach((h, index) => {
    let line = h.newStart;
    for (const l of h.lines) {
      if (l.type === '-') continue;
      lineToHunk.set(line, index);
      line++;
    }
  });
  return lineToHunk;
}

/** The lines the patch adds (head side). */
export function addedLines(hunks: readonly Hunk[]): Set<number> {
  const added = new Set<number>();
  for (const h of hunks) {
    let line = h.newStart;
    for (const l of h.lines) {
      if (l.type === '-') continue;
      if (l.type === '+') added.add(line);
      line++;
    }
  }
  return added;
}

/**
 * The base version of a file from its head version and the patch between them, or undefined when
 * the head text does not match the patch (a merge commit checked out instead of the head).
 */
export function revertPatch(head: string, hunks: readonly Hunk[]): string | undefined {
  const headEndsWithNewline = head.length === 0 || head.endsWith('\n');
  const headLines = head.length === 0 ? [] : (headEndsWithNewline ? head.slice(0, -1) : head).split('\n');
  const base: string[] = [];
  let baseEndsWithNewline = headEndsWithNewline;
  let next = 0; // index into headLines
  for (const h of hunks) {
    const start = Math.max(h.newStart - 1, 0);
    // An empty head side (`+0,0`) starts after line newStart, not at it.
    const from = h.lines.some((l) => l.type !== '-') ? start : h.newStart;
    if (from < next) return undefined;
    base.push(...headLines.slice(next, from));
    next = from;
    for (const l of h.lines) {
      if (l.type === '-') {
        base.push(l.text);
        if (l.noNewline) baseEndsWithNewline = false;
        continue;
      }
      if (headLines[next] !== l.text) return undefined;
      next++;
      if (l.type === ' ') {
        base.push(l.text);
        if (l.noNewline) baseEndsWithNewline = false;
      } else if (l.noNewline && !h.lines.some((o) => o.type === '-' && o.noNewline)) {
        baseEndsWithNewline = true;
      }
    }
  }
  base.push(...headLines.slice(next));
  if (!base.length) return '';
  return base.join('\n') + (baseEndsWithNewline ? '\n' : '');
}
