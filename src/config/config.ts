import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import type { ComponentName, Distribution } from '../model/types.js';
import { locate, type Path } from '../parse/locate.js';
import { SourceFile, type Span } from '../parse/source-file.js';
import { parseYaml, type YamlDocument } from '../parse/yaml.js';
import { CelSyntaxError, compileCustomRule, type CustomRuleSpec } from '../rules/custom.js';
import { AREAS, type Rule, type Severity } from '../rules/types.js';
import { baselineExceptions, type BaselineName } from '../findings/baselines.js';
import { CONFIG_SCHEMA } from './schema.js';

export type Preset = 'recommended' | 'strict' | 'cis';

/** A cluster of `clusters:`: the paths that describe it, and what the files may not say. */
export interface ClusterConfig {
  name: string;
  paths: string[];
  kubernetesVersion?: string | undefined;
  distribution?: Distribution | undefined;
}

/** An entry of `exceptions:`, with where it is written (for the notices about it). */
export interface Exception {
  rules: string[];
  paths: string[];
  object?: { kind?: string; namespace?: string; name?: string } | undefined;
  /** For RBAC findings: who holds the capability (no namespace: a ServiceAccount of any namespace). */
  subject?: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string } | undefined;
  /** For RBAC findings: `cluster` or a namespace. */
  scope?: string | undefined;
  reason: string;
  until?: string | undefined;
  at: Span;
  /** Set when the exception comes from a shipped baseline (which gives no notices when unused). */
  baseline?: string | undefined;
}

/** `.kubeharden.yml` as validated. Every key is documented in docs/configuration.md. */
export interface Config {
  preset: Preset;
  /** Globs of the only files to read (empty: all). */
  include: string[];
  /** Globs of files not to read. */
  exclude: string[];
  /** Per rule id, `area:<area>` or `tag:<tag>`: `off`, or a severity that replaces the rule's own. */
  rules: Record<string, 'off' | Severity>;
  failOn?: Severity | 'none';
  mode?: 'new' | 'all';
  kubernetesVersion?: string;
  /** Host path → repository path of files that flags name. */
  files: Record<string, string>;
  clusters: ClusterConfig[];
  /** `exceptions:`, then those of the `baselines:` named. */
  exceptions: Exception[];
  /** Compiled `custom-rules:`. */
  customRules: Rule[];
  /** Where the config came from, for messages. */
  path?: string;
}

/** A mistake in the configuration: the CLI exits 2 with this message, which names file, line and key. */
export class ConfigError extends Error {}

export const CONFIG_FILE_NAMES = ['.kubeharden.yml', '.kubeharden.yaml'];

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(CONFIG_SCHEMA);

export function emptyConfig(): Config {
  return { preset: 'recommended', include: [], exclude: [], rules: {}, files: {}, clusters: [], exceptions: [], customRules: [] };
}

interface RawConfig {
  preset?: Preset;
  include?: string[];
  exclude?: string[];
  rules?: Record<string, 'off' | false | Severity>;
  'fail-on'?: Severity | 'none';
  mode?: 'new' | 'all';
  'kubernetes-version'?: string;
  files?: Record<string, string>;
  clusters?: { name: string; paths: string[]; 'kubernetes-version'?: string; distribution?: Distribution }[];
  exceptions?: { rules: string[]; paths?: string[]; object?: Exception['object']; subject?: Exception['subject']; scope?: string; reason: string; until?: string }[];
  baselines?: BaselineName[];
  'custom-rules'?: (Omit<CustomRuleSpec, 'components'> & { components?: ComponentName[] })[];
}

function spanOf(doc: YamlDocument, file: SourceFile, p: Path): Span {
  const node = locate(doc, p)?.node;
  return { file, start: node?.start ?? 0, end: node?.start ?? 0 };
}

/** Parses and validates a config file's text. Throws ConfigError naming the line and key at fault. */
export function parseConfig(configPath: string, text: string, rules: readonly Rule[]): Config {
  const file = new SourceFile(configPath, text);
  const parsed = parseYaml(file);
  const problem = parsed.problems[0];
  if (problem) throw new ConfigError(`${at(file, problem.offset)}: ${problem.message}`);
  const doc = parsed.documents[0];
  if (!doc || doc.value === null || doc.value === undefined) return { ...emptyConfig(), path: configPath };
  if (!validate(doc.value)) {
    const error = pickError(validate.errors ?? []);
    const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
    if (error.propertyName !== undefined) {
      throw new ConfigError(`${where(doc, [...segments, error.propertyName])}: "${error.propertyName}" is not a valid key under ${segments.join('.')} (it ${error.message})`);
    }
    const extra = error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty: string }).additionalProperty) : undefined;
    const key = [...segments, ...(extra ? [extra] : [])].join('.') || '(top level)';
    const what = extra ? `unknown key "${extra}"` : `"${key}" ${error.message}`;
    throw new ConfigError(`${where(doc, extra ? [...segments, extra] : segments)}: ${what}`);
  }
  const value = doc.value as RawConfig;
  const fail = (p: Path, message: string): never => {
    throw new ConfigError(`${where(doc, p)}: ${message}`);
  };

  const customRules = (value['custom-rules'] ?? []).map((spec, i) => {
    if (rules.some((r) => r.id === spec.id || r.aliases?.includes(spec.id))) fail(['custom-rules', i, 'id'], `custom rule id "${spec.id}" is a built-in rule's`);
    try {
      return compileCustomRule(spec, configPath);
    } catch (error) {
      if (!(error instanceof CelSyntaxError)) throw error;
      const node = locate(doc, ['custom-rules', i, 'expression'])?.node;
      const start = node ? node.start + (text[node.start] === '"' || text[node.start] === "'" ? 1 : 0) + error.column - 1 : 0;
      throw new ConfigError(`${at(file, start)}: custom rule "${spec.id}": the CEL expression does not parse: ${error.message}`);
    }
  });
  const seenCustom = new Set<string>();
  customRules.forEach((r, i) => {
    if (seenCustom.has(r.id)) fail(['custom-rules', i, 'id'], `custom rule id "${r.id}" is defined twice`);
    seenCustom.add(r.id);
  });
  const all = [...rules, ...customRules];
  const canonical = new Map<string, string>();
  for (const rule of all) for (const name of [rule.id, ...(rule.aliases ?? [])]) canonical.set(name, rule.id);
  const tags = new Set(all.flatMap((r) => r.tags ?? []));

  const ruleSettings: Record<string, 'off' | Severity> = {};
  for (const [key, setting] of Object.entries(value.rules ?? {})) {
    const resolved = resolveSelector(key, canonical, tags);
    if (!resolved) fail(['rules', key], `unknown rule id "${key}" under rules (see docs/rules.md; areas are written area:<area>, tags tag:<tag>)`);
    ruleSettings[resolved!] = setting === false ? 'off' : setting;
  }

  const globLists: [Path, string[] | undefined][] = [
    [['include'], value.include],
    [['exclude'], value.exclude],
    ...(value.clusters ?? []).map((c, i): [Path, string[]] => [['clusters', i, 'paths'], c.paths]),
    ...(value.exceptions ?? []).map((e, i): [Path, string[] | undefined] => [['exceptions', i, 'paths'], e.paths]),
  ];
  for (const [listPath, list] of globLists) {
    (list ?? []).forEach((glob, index) => {
      try {
        picomatch.makeRe(glob);
      } catch {
        fail([...listPath, index], `"${glob}" is not a valid glob`);
      }
    });
  }

  const exceptions = (value.exceptions ?? []).map((e, i): Exception => {
    e.rules.forEach((id, j) => {
      if (!canonical.has(id)) fail(['exceptions', i, 'rules', j], `unknown rule id "${id}" in an exception`);
    });
    if (e.until && Number.isNaN(Date.parse(e.until))) fail(['exceptions', i, 'until'], `"${e.until}" is not a date`);
    return {
      rules: e.rules.map((id) => canonical.get(id)!),
      paths: e.paths ?? [],
      object: e.object,
      subject: e.subject,
      scope: e.scope,
      reason: e.reason,
      until: e.until,
      at: spanOf(doc, file, ['exceptions', i]),
    };
  });

  return {
    preset: value.preset ?? 'recommended',
    include: value.include ?? [],
    exclude: value.exclude ?? [],
    rules: ruleSettings,
    ...(value['fail-on'] ? { failOn: value['fail-on'] } : {}),
    ...(value.mode ? { mode: value.mode } : {}),
    ...(value['kubernetes-version'] ? { kubernetesVersion: value['kubernetes-version'] } : {}),
    files: value.files ?? {},
    clusters: (value.clusters ?? []).map((c) => ({ name: c.name, paths: c.paths, kubernetesVersion: c['kubernetes-version'], distribution: c.distribution })),
    exceptions: [...exceptions, ...baselineExceptions([...new Set(value.baselines ?? [])], spanOf(doc, file, ['baselines']))],
    customRules,
    path: configPath,
  };
}

/** A `rules:` key: a rule id (or a former id), `area:<area>` or `tag:<tag>`, in canonical form. */
function resolveSelector(key: string, canonical: Map<string, string>, tags: Set<string>): string | undefined {
  if (key.startsWith('area:')) return (AREAS as readonly string[]).includes(key.slice(5)) ? key : undefined;
  if (key.startsWith('tag:')) return tags.has(key.slice(4)) ? key : undefined;
  return canonical.get(key);
}

/**
 * The configuration in force: the file given explicitly, else `.kubeharden.yml` at the root, else
 * none. Paths in messages are relative to the root when the file is inside it.
 */
export function loadConfig(root: string, rules: readonly Rule[], explicit?: string): Config {
  const file = explicit
    ? path.resolve(root, explicit)
    : CONFIG_FILE_NAMES.map((name) => path.join(root, name)).find((candidate) => existsSync(candidate));
  if (!file) return emptyConfig();
  if (!existsSync(file)) throw new ConfigError(`config file ${explicit} does not exist`);
  const rel = path.relative(root, file);
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
  return parseConfig(shown, readFileSync(file, 'utf8'), rules);
}

/**
 * The rules in force: the preset first, then `rules:` (an area, overridden by a tag, overridden
 * by a rule id), then the custom rules.
 */
export function applyRuleSettings(rules: readonly Rule[], config: Config): Rule[] {
  const out: Rule[] = [];
  for (const rule of [...rules, ...config.customRules]) {
    let current: Rule | undefined = applyPreset(rule, config.preset);
    if (!current) continue;
    const setting = config.rules[rule.id] ?? (rule.tags ?? []).map((t) => config.rules[`tag:${t}`]).find(Boolean) ?? config.rules[`area:${rule.area}`];
    if (setting === 'off') continue;
    if (setting) current = { ...current, severity: setting };
    out.push(current);
  }
  return out;
}

function applyPreset(rule: Rule, preset: Preset): Rule | undefined {
  if (preset === 'cis') {
    const cis = rule.references.cis ?? [];
    if (!cis.length) return undefined;
    // Findings read as the benchmark's checks: the CIS ids lead the message.
    return { ...rule, message: `CIS ${cis.join(', ')}: ${rule.message}` };
  }
  if (preset === 'strict') {
    if (rule.tags?.includes('strict')) return { ...rule, severity: 'error' };
    if (rule.severity === 'notice') return { ...rule, severity: 'warning' };
  }
  return rule;
}

function at(file: SourceFile, offset: number): string {
  const { line, column } = file.position(offset);
  return `${file.path}:${line}:${column}`;
}

function where(doc: YamlDocument, p: Path): string {
  const found = locate(doc, p);
  return at(doc.file, found ? (found.node.keyStart ?? found.node.start) : 0);
}

/** The most specific error: unknown keys first, then the deepest path. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties' || e.propertyName !== undefined);
  if (unknown) return unknown;
  return [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]!;
}

function unescapePointer(segment: string): string | number {
  const text = segment.replaceAll('~1', '/').replaceAll('~0', '~');
  return /^\d+$/.test(text) ? Number(text) : text;
}

