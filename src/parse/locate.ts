import { EVENT_ID, getScalarValue, type Event } from 'js-yaml';
import type { YamlDocument } from './yaml.js';

export type PathSegment = string | number;
/** A path into a document's value: mapping keys and sequence indexes. */
export type Path = readonly PathSegment[];

/** Where one node of a document sits in its file. Offsets are 0-based and end-exclusive. */
export interface PosNode {
  kind: 'map' | 'seq' | 'scalar' | 'alias';
  start: number;
  end: number;
  /** For a value in a mapping: the range of its key. */
  keyStart?: number;
  keyEnd?: number;
  /** js-yaml scalar style (1 plain, 2 single-quoted, 3 double-quoted, 4 literal, 5 folded). */
  style?: number;
  entries?: Map<string, PosNode>;
  items?: PosNode[];
}

/** The result of looking a path up: the node itself, or the closest ancestor that exists. */
export interface Located {
  node: PosNode;
  /** False when the path does not exist and `node` is its nearest existing ancestor. */
  exact: boolean;
}

/** Looks a path up in a document. The position tree is built on first use and cached. */
export function locate(doc: YamlDocument, path: Path): Located | undefined {
  const root = positionTree(doc);
  if (!root) return undefined;
  let node = root;
  for (const segment of path) {
    const next =
      typeof segment === 'number' ? node.items?.[segment] : node.entries?.get(segment);
    if (!next) return { node, exact: false };
    node = next;
  }
  return { node, exact: true };
}

/** The range a finding about this node should underline: its key and value for a mapping entry. */
export function spanOf(node: PosNode): { start: number; end: number } {
  return { start: node.keyStart ?? node.start, end: Math.max(node.end, node.keyEnd ?? node.end) };
}

export function positionTree(doc: YamlDocument): PosNode | undefined {
  if (doc.tree) return doc.tree;
  if (!doc.events) return undefined;
  doc.tree = buildTree(doc.events, doc.file.text);
  return doc.tree;
}

interface Frame {
  node: PosNode;
  /** For a mapping: the key just read, waiting for its value. */
  pendingKey: { name: string; start: number; end: number } | undefined;
  expectKey: boolean;
}

function buildTree(events: readonly Event[], text: string): PosNode | undefined {
  let root: PosNode | undefined;
  const stack: Frame[] = [];

  const attach = (node: PosNode): boolean => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      root = node;
      return true;
    }
    if (parent.node.kind === 'seq') {
      parent.node.items!.push(node);
      return true;
    }
    if (parent.expectKey) {
      // A key. Only scalar keys can be addressed by a path; complex keys are skipped with their value.
      parent.expectKey = false;
      parent.pendingKey =
        node.kind === 'scalar' ? { name: getKeyText(node, text), start: node.start, end: node.end } : undefined;
      return false;
    }
    parent.expectKey = true;
    const key = parent.pendingKey;
    parent.pendingKey = undefined;
    if (key) {
      node.keyStart = key.start;
      node.keyEnd = key.end;
      parent.node.entries!.set(key.name, node);
    }
    return true;
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const node: PosNode =
          e.type === EVENT_ID.MAPPING
            ? { kind: 'map', start: e.start, end: e.start, entries: new Map() }
            : { kind: 'seq', start: e.start, end: e.start, items: [] };
        attach(node);
        stack.push({ node, pendingKey: undefined, expectKey: e.type === EVENT_ID.MAPPING });
        break;
      }
      case EVENT_ID.SCALAR: {
        const start = e.valueStart;
        const end = Math.max(e.valueEnd, start);
        const node: PosNode = { kind: 'scalar', start, end, style: e.style };
        attach(node);
        extend(stack, end);
        break;
      }
      case EVENT_ID.ALIAS: {
        const node: PosNode = { kind: 'alias', start: Math.max(0, e.anchorStart - 1), end: e.anchorEnd };
        attach(node);
        extend(stack, e.anchorEnd);
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return root;
}

function extend(stack: Frame[], end: number): void {
  for (let i = stack.length - 1; i >= 0; i--) {
    const node = stack[i]!.node;
    if (node.end >= end) break;
    node.end = end;
  }
}

function getKeyText(node: PosNode, text: string): string {
  // Plain and quoted keys without escapes are their source text; only those need no decoding.
  const raw = text.slice(node.start, node.end);
  if (node.style === 1 || (node.style === 2 && !raw.includes("'")) || (node.style === 3 && !raw.includes('\\'))) {
    return raw;
  }
  return getScalarValue(text, {
    type: EVENT_ID.SCALAR,
    valueStart: node.start,
    valueEnd: node.end,
    anchorStart: -1,
    anchorEnd: -1,
    tagStart: -1,
    tagEnd: -1,
    style: node.style as 1,
    chomping: 1,
    indent: -1,
    fast: false,
  });
}

/**
 * The range of a piece of a scalar's decoded value (e.g. one entry of `--feature-gates=A=true,B=false`).
 * Exact when the scalar's source text spells the value literally (plain or simply quoted scalars);
 * otherwise the whole scalar, which is still the right line.
 */
export function subSpan(
  node: PosNode,
  text: string,
  value: string,
  offset: number,
  length: number,
): { start: number; end: number } {
  if (node.kind === 'scalar' && node.style !== 4 && node.style !== 5) {
    const raw = text.slice(node.start, node.end);
    if (raw === value) return { start: node.start + offset, end: node.start + offset + length };
    const piece = value.slice(offset, offset + length);
    const at = raw.indexOf(piece);
    if (at >= 0 && raw.indexOf(piece, at + 1) < 0) return { start: node.start + at, end: node.start + at + length };
  }
  return { start: node.start, end: node.end };
}
