import { EVENT_ID, YAMLException, constructFromEvents, parseEvents, type Event } from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './k8s-schema.js';
import type { SourceFile } from './source-file.js';
import type { PosNode } from './locate.js';

/** One YAML document of a file, with the events that locate its nodes. */
export interface YamlDocument {
  readonly file: SourceFile;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly value: unknown;
  /**
   * The document's event stream. The locator reads it to map paths to source ranges; the pipeline
   * drops it once the file has been extracted, so memory stays bounded on large repositories.
   */
  events: Event[] | undefined;
  /** Lazily built position tree (see locate.ts). */
  tree?: PosNode | undefined;
}

/** Something about the file the user should know: it could not be read, or only in part. */
export interface ParseProblem {
  code: 'syntax' | 'alias-limit';
  message: string;
  /** Offset in the file where the problem is. */
  offset: number;
}

export interface ParsedYaml {
  documents: YamlDocument[];
  problems: ParseProblem[];
}

/** Nesting deeper than this is not configuration; js-yaml's own default is 100. */
const MAX_DEPTH = 100;
/**
 * A document whose aliases would expand to more nodes than this is refused: aliases load as shared
 * references, so an "alias bomb" costs nothing to load and explodes only when something walks it.
 * Refusing it up front lets every later walker treat values as plain trees.
 */
const MAX_EXPANDED_NODES = 200_000;

/**
 * Parses every document of a YAML (or JSON) file the way Kubernetes reads it: YAML 1.1 scalars,
 * duplicate keys are an error. A broken document costs only itself: the others are still returned.
 */
export function parseYaml(file: SourceFile): ParsedYaml {
  const problems: ParseProblem[] = [];
  let events: Event[];
  try {
    events = parseEvents(file.text, { maxDepth: MAX_DEPTH });
  } catch (error) {
    problems.push(toProblem(error, 0));
    return { documents: salvageDocuments(file, problems), problems };
  }
  return { documents: constructDocuments(file, events, 0, 0, problems), problems };
}

function constructDocuments(
  file: SourceFile,
  events: Event[],
  baseOffset: number,
  firstIndex: number,
  problems: ParseProblem[],
): YamlDocument[] {
  const documents: YamlDocument[] = [];
  let index = firstIndex;
  for (const slice of splitDocuments(events)) {
    const docIndex = index++;
    if (baseOffset !== 0) shiftOffsets(slice, baseOffset);
    const expanded = expandedSize(slice, file.text);
    if (expanded > MAX_EXPANDED_NODES) {
      problems.push({
        code: 'alias-limit',
        message: `YAML aliases in document ${docIndex + 1} expand to more than ${MAX_EXPANDED_NODES} nodes; the document is not checked`,
        offset: firstOffset(slice) ?? baseOffset,
      });
      continue;
    }
    try {
      const [value] = constructFromEvents(slice, { source: file.text, schema: KUBERNETES_YAML_SCHEMA });
      documents.push({ file, index: docIndex, value, events: slice });
    } catch (error) {
      problems.push(toProblem(error, firstOffset(slice) ?? baseOffset));
    }
  }
  return documents;
}

/**
 * After a syntax error, read the documents that are intact. Kubernetes tooling splits a stream on
 * `---` lines before parsing each document, so the same split finds the documents kubectl would
 * still apply. Only the first error is reported; the others follow from it more often than not.
 */
function salvageDocuments(file: SourceFile, problems: ParseProblem[]): YamlDocument[] {
  const documents: YamlDocument[] = [];
  const separator = /^---[ \t]*(?:#.*)?$/gm;
  const bounds: number[] = [0];
  for (let m = separator.exec(file.text); m; m = separator.exec(file.text)) bounds.push(m.index);
  bounds.push(file.text.length);
  let index = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const chunk = file.text.slice(start, bounds[i + 1]);
    let events: Event[];
    try {
      events = parseEvents(chunk, { maxDepth: MAX_DEPTH });
    } catch {
      index += 1;
      continue;
    }
    const docs = constructDocuments(file, events, start, index, problems);
    index += Math.max(1, countDocuments(events));
    documents.push(...docs);
  }
  return documents;
}

function* splitDocuments(events: Event[]): Generator<Event[]> {
  let depth = 0;
  let begin = -1;
  for (let i = 0; i < events.length; i++) {
    const type = events[i]!.type;
    if (type === EVENT_ID.DOCUMENT) {
      begin = i;
      depth = 1;
    } else if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE) {
      depth++;
    } else if (type === EVENT_ID.POP) {
      depth--;
      if (depth === 0 && begin >= 0) {
        const slice = events.slice(begin, i + 1);
        begin = -1;
        // An empty document (only comments, or a trailing `---`) has no content event.
        if (slice.length > 2) yield slice;
      }
    }
  }
}

function countDocuments(events: Event[]): number {
  let n = 0;
  for (const e of events) if (e.type === EVENT_ID.DOCUMENT) n++;
  return n;
}

function shiftOffsets(events: Event[], by: number): void {
  for (const e of events) {
    const m = e as unknown as Record<string, number>;
    for (const key of OFFSET_KEYS) {
      const v = m[key];
      if (typeof v === 'number' && v >= 0) m[key] = v + by;
    }
  }
}
const OFFSET_KEYS = ['start', 'valueStart', 'valueEnd', 'anchorStart', 'anchorEnd', 'tagStart', 'tagEnd'];

function firstOffset(events: Event[]): number | undefined {
  for (const e of events) {
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start;
    if (e.type === EVENT_ID.SCALAR) return e.valueStart;
  }
  return undefined;
}

/**
 * Number of nodes the document would have with every alias expanded. Anchors are measured when
 * their node closes; an alias adds the measured size of the anchor it names.
 */
function expandedSize(events: Event[], text: string): number {
  let hasAlias = false;
  for (const e of events) {
    if (e.type === EVENT_ID.ALIAS) {
      hasAlias = true;
      break;
    }
  }
  if (!hasAlias) return 0;
  const anchorSize = new Map<string, number>();
  const stack: { size: number; anchor: string | undefined }[] = [{ size: 0, anchor: undefined }];
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) =>
    e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : undefined;
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        stack.push({ size: 1, anchor: anchorOf(e) });
        break;
      case EVENT_ID.SCALAR: {
        const anchor = anchorOf(e);
        if (anchor !== undefined) anchorSize.set(anchor, 1);
        stack[stack.length - 1]!.size += 1;
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        stack[stack.length - 1]!.size += anchorSize.get(name) ?? 1;
        break;
      }
      case EVENT_ID.POP: {
        if (stack.length <= 1) break;
        const done = stack.pop()!;
        if (done.anchor !== undefined) anchorSize.set(done.anchor, done.size);
        stack[stack.length - 1]!.size += done.size;
        if (stack[stack.length - 1]!.size > MAX_EXPANDED_NODES) return stack[stack.length - 1]!.size;
        break;
      }
    }
  }
  return stack[0]!.size;
}

function toProblem(error: unknown, fallbackOffset: number): ParseProblem {
  if (error instanceof YAMLException) {
    const offset = error.mark?.position ?? fallbackOffset;
    return { code: 'syntax', message: describeYamlError(error.reason), offset };
  }
  // js-yaml documents that anything may be thrown from untrusted input; the run must go on.
  return { code: 'syntax', message: `could not be read as YAML: ${String(error)}`, offset: fallbackOffset };
}

function describeYamlError(reason: string): string {
  if (reason.startsWith('duplicated mapping key')) {
    return 'duplicate key: Kubernetes rejects a mapping that sets the same key twice';
  }
  return `invalid YAML: ${reason}`;
}
