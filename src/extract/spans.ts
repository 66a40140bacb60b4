import { locate, spanOf, subSpan, type Path, type PosNode } from '../parse/locate.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import type { LineFix } from '../model/types.js';

/**
 * Source ranges for paths of a document. A path that does not exist maps to its closest existing
 * ancestor, so a finding about a missing key lands on the block that should hold it.
 */
export function spanAt(doc: YamlDocument, path: Path): Span {
  const found = locate(doc, path);
  if (!found) return { file: doc.file, start: 0, end: 0 };
  const { start, end } = found.exact ? spanOf(found.node) : keyLine(found.node);
  return { file: doc.file, start, end };
}

/** The key of a mapping entry alone (the line a reviewer reads as "this block"). */
export function keySpanAt(doc: YamlDocument, path: Path): Span {
  const found = locate(doc, path);
  if (!found) return { file: doc.file, start: 0, end: 0 };
  const { start, end } = keyLine(found.node);
  return { file: doc.file, start, end };
}

export function nodeAt(doc: YamlDocument, path: Path): PosNode | undefined {
  const found = locate(doc, path);
  return found?.exact ? found.node : undefined;
}

function keyLine(node: PosNode): { start: number; end: number } {
  if (node.keyStart !== undefined) return { start: node.keyStart, end: node.keyEnd ?? node.keyStart };
  return { start: node.start, end: node.start };
}

/** The range of part of a scalar's value. */
export function partSpan(doc: YamlDocument, node: PosNode, value: string, offset: number, length: number): Span {
  const { start, end } = subSpan(node, doc.file.text, value, offset, length);
  return { file: doc.file, start, end };
}

/**
 * The edit that replaces one range with new text, when the range sits on a single line.
 * Returns the whole new line, as a suggestion needs it.
 */
export function replaceOnLine(span: Span, text: string): LineFix | undefined {
  const from = span.file.position(span.start);
  const to = span.file.position(span.end);
  if (from.line !== to.line) return undefined;
  const line = span.file.line(from.line);
  return {
    line: from.line,
    replacement: line.slice(0, from.column - 1) + text + line.slice(to.column - 1),
  };
}

/**
 * The edit that adds an item after the last item of a block sequence, written in the same
 * indentation and quoting as its neighbour. Undefined for flow sequences (`[a, b]`).
 */
export function appendToSequence(doc: YamlDocument, sequence: PosNode, itemText: string): LineFix | undefined {
  const last = sequence.items?.[sequence.items.length - 1];
  if (!last || last.kind !== 'scalar' || last.style === 4 || last.style === 5) return undefined;
  const file = doc.file;
  const at = file.position(last.start);
  const endAt = file.position(last.end);
  if (at.line !== endAt.line) return undefined;
  const line = file.line(at.line);
  // The item must be the only thing on a `- item` line; anything else (flow style) is not edited.
  const indicator = /^(\s*)-\s+/.exec(line);
  if (!indicator || indicator[0].length > at.column - 1) return undefined;
  const quote = last.style === 2 ? "'" : last.style === 3 ? '"' : '';
  const body = quote ? `${quote}${itemText}${quote}` : itemText;
  return { line: endAt.line, replacement: `${line}\n${indicator[1]}- ${body}` };
}

/**
 * The edit that adds `lines` as a new entry after the last entry of a block mapping (or of a
 * block sequence when `item` is set: the first line gets the `- ` indicator), at the indentation
 * of its neighbours. Undefined for flow collections or when the layout is not the plain one.
 */
export function appendEntry(doc: YamlDocument, collection: PosNode, lines: string[], item = false): LineFix | undefined {
  const file = doc.file;
  const children = item ? collection.items : [...(collection.entries?.values() ?? [])];
  const last = children?.[children.length - 1];
  if (!last) return undefined;
  const first = file.position(last.keyStart ?? last.start);
  const lastLine = file.position(Math.max(last.end - 1, last.start)).line;
  const firstText = file.line(first.line);
  let indent: string;
  if (item) {
    const indicator = /^(\s*)-\s+/.exec(firstText);
    if (!indicator || indicator[0].length > first.column - 1) return undefined;
    indent = indicator[1]!;
  } else {
    indent = firstText.slice(0, first.column - 1);
    if (indent.trim() !== '' && !/^\s*-\s+$/.test(indent)) return undefined; // flow style
    indent = ' '.repeat(indent.length);
  }
  if (file.line(lastLine).trimEnd().endsWith('}') || file.line(lastLine).trimEnd().endsWith(']')) return undefined;
  const added = lines.map((text, i) => (item ? `${indent}${i === 0 ? '- ' : '  '}${text}` : `${indent}${text}`));
  return { line: lastLine, replacement: [file.line(lastLine), ...added].join('\n') };
}

/** A YAML double-quoted scalar for a value we write into a file. */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}
