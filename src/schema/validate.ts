import { VALIDATORS } from 'virtual:kubeharden-config-validators';
import type { KubeObject } from '../extract/objects.js';
import { keySpanAt, replaceOnLine, spanAt } from '../extract/spans.js';
import type { LineFix } from '../model/types.js';
import type { Path } from '../parse/locate.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import { nearest } from '../util/nearest.js';
import { get, isObj, str } from '../util/values.js';
import { BUILTIN_KINDS, type BuiltinError } from './builtin-kinds.js';
import { CONFIG_SCHEMAS } from './config-schemas.js';

/** An object that does not match its schema, as the `schema` analyzer reports it. */
export interface SchemaIssue {
  code: 'unknown-field' | 'invalid';
  at: Span;
  /** One sentence naming the field and what is wrong with it. */
  detail: string;
  /** The object and field, independent of lines. */
  identity: string;
  fix?: LineFix | undefined;
}

type Validator = (data: unknown) => { ok: boolean; errors: readonly SchemaError[] };

interface SchemaError extends BuiltinError {
  /** The schema object holding the failed keyword (config kinds only, for "did you mean"). */
  parentSchema?: Record<string, unknown> | undefined;
}

function validatorFor(apiVersion: string, kind: string): Validator | undefined {
  const builtin = BUILTIN_KINDS[apiVersion]?.[kind];
  if (builtin) {
    return (data) => ({ ok: builtin(data), errors: builtin.errors ?? [] });
  }
  const config = VALIDATORS[`${apiVersion} ${kind}`];
  const schema = CONFIG_SCHEMAS[apiVersion]?.[kind];
  if (config && schema) {
    return (data) => ({
      ok: config(data),
      errors: (config.errors ?? []).map((e) => ({ ...e, parentSchema: schemaAt(schema, e.schemaPath) })),
    });
  }
  return undefined;
}

/** Whether kubeharden has a schema for this kind (others are not validated). */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return BUILTIN_KINDS[apiVersion]?.[kind] !== undefined || CONFIG_SCHEMAS[apiVersion]?.[kind] !== undefined;
}

/**
 * Validates each object against the schema of its kind. A kind patch (an object with an `origin`)
 * is a partial object merged into kubeadm's own, so the fields it leaves out are not missing.
 */
export function validateObjects(objects: readonly KubeObject[], out: SchemaIssue[]): void {
  for (const object of objects) {
    const validate = validatorFor(object.apiVersion, object.kind);
    if (!validate) continue;
    const { ok, errors } = validate(object.value);
    if (ok) continue;
    const seen = new Set<string>();
    for (const error of errors) {
      if (object.origin && error.keyword === 'required') continue;
      const issue = describe(object, error);
      if (!issue || seen.has(issue.identity)) continue;
      seen.add(issue.identity);
      out.push(issue);
    }
  }
}

function describe(object: KubeObject, error: SchemaError): SchemaIssue | undefined {
  const inner = pointerPath(object.value, error.instancePath);
  if (!inner) return undefined;
  const path: Path = [...object.path, ...inner];
  const where = inner.length ? `\`${dotted(inner)}\`` : `the ${object.kind}`;
  const name = objectName(object);
  const identity = (field: Path, what: string) => `${name} ${dotted(field)} ${what}`;
  const params = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const field = [...inner, key];
      const known = isObj(error.parentSchema?.properties) ? Object.keys(error.parentSchema.properties) : [];
      const suggestion = nearest(key, known);
      const at = keySpanAt(object.doc, [...path, key]);
      return {
        code: 'unknown-field',
        at,
        detail:
          `\`${dotted(field)}\` is not a field of ${object.kind} ${object.apiVersion}` +
          (suggestion ? `; did you mean \`${suggestion}\`?` : ''),
        identity: identity(field, 'unknown'),
        fix: suggestion ? renameKey(at, key, suggestion) : undefined,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return {
        code: 'invalid',
        at: inner.length ? keySpanAt(object.doc, path) : spanAt(object.doc, [...path, 'kind']),
        detail: `${where} has no \`${missing}\`, which ${object.kind} requires`,
        identity: identity([...inner, missing], 'required'),
      };
    }
    default: {
      const value = valueAt(object.value, inner);
      return {
        code: 'invalid',
        at: spanAt(object.doc, path),
        detail: `${where} ${expectation(error, value)}`,
        identity: identity(inner, error.keyword),
      };
    }
  }
}

/** What the schema asked for, in words, with what was written. */
function expectation(error: SchemaError, value: unknown): string {
  const p = error.params;
  const got = `it is ${shape(value)}`;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(p.type) ? (p.type as string[]) : [String(p.type)];
      return `must be ${types.map(article).join(' or ')}; ${got}`;
    }
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}; ${got}`;
    case 'const':
      return `must be \`${String(p.allowedValue)}\`; ${got}`;
    case 'format':
      return `is not a valid ${String(p.format)}; ${got}`;
    case 'minItems':
      return `needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `takes at most ${String(p.limit)} items`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}; ${got}`;
    case 'pattern':
      return `does not match \`${String(p.pattern)}\`; ${got}`;
    default:
      return `does not satisfy the schema (${error.keyword}); ${got}`;
  }
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function shape(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `\`${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}\``;
  return `\`${String(value)}\``;
}

/** The rename as a one-line edit, when the key is written plainly on one line. */
function renameKey(at: Span, key: string, to: string): LineFix | undefined {
  if (at.file.text.slice(at.start, at.end) !== key) return undefined;
  return replaceOnLine(at, to);
}

/** The schema object that holds the keyword at `schemaPath` (`#/properties/a/additionalProperties`). */
function schemaAt(root: Record<string, unknown>, schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const segment of schemaPath.split('/').slice(1, -1)) node = get(node, segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return isObj(node) ? node : undefined;
}

/** A JSON pointer as a path into the value (sequence indexes as numbers). */
function pointerPath(root: unknown, pointer: string): Path | undefined {
  if (!pointer) return [];
  const path: (string | number)[] = [];
  let value = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(segment);
      if (!Number.isInteger(index)) return undefined;
      path.push(index);
      value = value[index];
    } else {
      path.push(segment);
      value = get(value, segment);
    }
  }
  return path;
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) value = typeof segment === 'number' ? (Array.isArray(value) ? value[segment] : undefined) : get(value, segment);
  return value;
}

/** `spec.containers[0].ports[1].containerPort` */
function dotted(path: Path): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function objectName(object: KubeObject): string {
  const metadata = object.value.metadata;
  const name = str(get(metadata, 'name')) ?? str(get(metadata, 'generateName')) ?? '';
  const namespace = str(get(metadata, 'namespace'));
  return `${object.kind}/${namespace ? `${namespace}/` : ''}${name}${object.origin ? `@${object.origin}` : ''}`;
}


const KNOWN_KINDS = new Set([...Object.values(BUILTIN_KINDS), ...Object.values(CONFIG_SCHEMAS)].flatMap((kinds) => Object.keys(kinds)));

/**
 * A document that names a kind kubeharden validates but no apiVersion: kubectl and the components
 * refuse it, and no rule can read it. (A document with neither is not an object at all: values
 * files, workflows and compose files are YAML too.)
 */
export function typeMetaIssues(doc: YamlDocument, out: SchemaIssue[]): void {
  const value = doc.value;
  if (!isObj(value) || get(value, 'apiVersion') !== undefined) return;
  const kind = str(get(value, 'kind'));
  if (!kind || !KNOWN_KINDS.has(kind)) return;
  out.push({
    code: 'invalid',
    at: keySpanAt(doc, ['kind']),
    detail: `the ${kind} has no \`apiVersion\``,
    identity: `${kind}#${doc.index} apiVersion required`,
  });
}
