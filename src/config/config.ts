import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import { locate } from '../parse/locate.js';
import { SourceFile } from '../parse/source-file.js';
import { parseYaml } from '../parse/yaml.js';
import type { Rule, Severity } from '../rules/types.js';
import { CONFIG_SCHEMA } from './schema.js';

/** `.kubeharden.yml` as validated. Every key is documented in docs/configuration.md. */
export interface Config {
  /** Globs of files not to read. */
  exclude: string[];
  /** Per rule id: `off`, or a severity that replaces the rule's own. */
  rules: Record<string, 'off' | Severity>;
  failOn?: Severity | 'none';
  kubernetesVersion?: string;
  /** Host path → repository path of files that flags name. */
  files: Record<string, string>;
  /** Where the config came from, for messages. */
  path?: string;
}

/** A mistake in the configuration: the CLI exits 2 with this message, which names file, line and key. */
export class ConfigError extends Error {}

export const CONFIG_FILE_NAMES = ['.kubeharden.yml', '.kubeharden.yaml'];

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(CONFIG_SCHEMA);

export function emptyConfig(): Config {
  return { exclude: [], rules: {}, files: {} };
}

/** Parses and validates a config file's text. Throws ConfigError naming the line and key at fault. */
export function parseConfig(path: string, text: string, rules: readonly Rule[]): Config {
  const file = new SourceFile(path, text);
  const parsed = parseYaml(file);
  const problem = parsed.problems[0];
  if (problem) throw new ConfigError(`${at(file, problem.offset)}: ${problem.message}`);
  const doc = parsed.documents[0];
  if (!doc || doc.value === null || doc.value === undefined) return { ...emptyConfig(), path };
  if (!validate(doc.value)) {
    const error = pickError(validate.errors ?? []);
    const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
    const extra = error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty: string }).additionalProperty) : undefined;
    const found = locate(doc, extra ? [...segments, extra] : segments);
    const offset = found ? (found.node.keyStart ?? found.node.start) : 0;
    const key = [...segments, ...(extra ? [extra] : [])].join('.') || '(top level)';
    const what = extra ? `unknown key "${extra}"` : `"${key}" ${error.message}`;
    throw new ConfigError(`${at(file, offset)}: ${what}`);
  }
  const value = doc.value as {
    exclude?: string[];
    rules?: Record<string, 'off' | false | Severity>;
    'fail-on'?: Severity | 'none';
    'kubernetes-version'?: string;
    files?: Record<string, string>;
  };
  const known = new Map<string, string>();
  for (const rule of rules) for (const name of [rule.id, ...(rule.aliases ?? [])]) known.set(name, rule.id);
  const ruleSettings: Record<string, 'off' | Severity> = {};
  for (const [id, setting] of Object.entries(value.rules ?? {})) {
    const canonical = known.get(id);
    if (!canonical) {
      const found = locate(doc, ['rules', id]);
      throw new ConfigError(`${at(file, found?.node.keyStart ?? 0)}: unknown rule id "${id}" under rules (see docs/rules.md)`);
    }
    ruleSettings[canonical] = setting === false ? 'off' : setting;
  }
  (value.exclude ?? []).forEach((glob, index) => {
    try {
      picomatch.makeRe(glob);
    } catch {
      const found = locate(doc, ['exclude', index]);
      throw new ConfigError(`${at(file, found?.node.start ?? 0)}: "${glob}" is not a valid glob`);
    }
  });
  return {
    exclude: value.exclude ?? [],
    rules: ruleSettings,
    files: value.files ?? {},
    ...(value['fail-on'] ? { failOn: value['fail-on'] } : {}),
    ...(value['kubernetes-version'] ? { kubernetesVersion: value['kubernetes-version'] } : {}),
    path,
  };
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

/** Applies the config's rule settings: drops rules turned off, replaces severities. */
export function applyRuleSettings(rules: readonly Rule[], config: Config): Rule[] {
  const out: Rule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.id];
    if (setting === 'off') continue;
    out.push(setting ? { ...rule, severity: setting } : rule);
  }
  return out;
}

function at(file: SourceFile, offset: number): string {
  const { line, column } = file.position(offset);
  return `${file.path}:${line}:${column}`;
}

/** The most specific error: unknown keys first, then the deepest path. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) return unknown;
  return [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]!;
}

function unescapePointer(segment: string): string | number {
  const text = segment.replaceAll('~1', '/').replaceAll('~0', '~');
  return /^\d+$/.test(text) ? Number(text) : text;
}
