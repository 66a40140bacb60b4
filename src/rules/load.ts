import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { Ajv } from 'ajv';
import cisData from '../data/cis-checks.json' with { type: 'json' };
import { RULE_SCHEMA } from './rule-schema.js';
import { CHAPTER_SECTIONS } from './chapter.js';
import type { AnalyzerCheckSpec, FlagCheckSpec, FlagCondition, FlagOp, Rule, RuleSpec } from './types.js';

/** A rule file that cannot be used. The build fails with this message, which names the rule. */
export class RuleDefinitionError extends Error {
  constructor(
    readonly ruleId: string,
    message: string,
  ) {
    super(`rule ${ruleId}: ${message}`);
  }
}

export interface RuleFolder {
  id: string;
  dir: string;
  spec: RuleSpec;
  /** Example names under examples/ (files, or folders holding several files). */
  examples: string[];
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validateSpec = ajv.compile<RuleSpec>(RULE_SCHEMA);

/** Reads and validates every rules/<id>/rule.yaml. Throws RuleDefinitionError on the first bad rule. */
export function readRuleFolders(rulesDir: string): RuleFolder[] {
  const folders: RuleFolder[] = [];
  for (const entry of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(rulesDir, entry.name);
    const file = path.join(dir, 'rule.yaml');
    if (!existsSync(file)) throw new RuleDefinitionError(entry.name, 'rule.yaml is missing');
    let spec: unknown;
    try {
      spec = loadYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new RuleDefinitionError(entry.name, `rule.yaml is not valid YAML: ${(error as Error).message}`);
    }
    if (!validateSpec(spec)) {
      const problems = (validateSpec.errors ?? [])
        .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
        .join('; ');
      throw new RuleDefinitionError(entry.name, `rule.yaml does not match the rule schema: ${problems}`);
    }
    if (spec.id !== entry.name) {
      throw new RuleDefinitionError(entry.name, `the folder name must equal the rule id (id is "${spec.id}")`);
    }
    const examplesDir = path.join(dir, 'examples');
    const examples = existsSync(examplesDir) && statSync(examplesDir).isDirectory() ? readdirSync(examplesDir).sort() : [];
    folders.push({ id: spec.id, dir, spec, examples });
  }
  return folders.sort((a, b) => a.id.localeCompare(b.id));
}

/** Reads, validates and resolves the whole catalogue, checking what spans rules (unique ids and aliases). */
export function compileCatalogue(rulesDir: string): Rule[] {
  const folders = readRuleFolders(rulesDir);
  const names = new Map<string, string>();
  for (const { spec } of folders) {
    for (const name of [spec.id, ...(spec.aliases ?? [])]) {
      const owner = names.get(name);
      if (owner) throw new RuleDefinitionError(spec.id, `"${name}" is already used by rule ${owner}`);
      names.set(name, spec.id);
    }
  }
  return folders.map((folder) => {
    const rule = resolveRule(folder.spec);
    const fails = folder.examples.filter((e) => e.startsWith('fail'));
    const passes = folder.examples.filter((e) => e.startsWith('pass'));
    if (!fails.length || !passes.length) {
      throw new RuleDefinitionError(rule.id, 'needs at least one examples/fail-* and one examples/pass-* example');
    }
    return rule;
  });
}

type CisEntry = (typeof cisData.checks)[keyof typeof cisData.checks] & {
  pairedFlag?: string;
  value?: unknown;
  featureGate?: string;
  configFile?: string;
};
const CIS: Record<string, CisEntry> = cisData.checks as Record<string, CisEntry>;

const PLACEHOLDERS = new Set(['flag', 'setting', 'value', 'entry', 'component', 'expected', 'other', 'detail']);

/** Turns a rule spec into a runnable rule: CIS references become concrete flag conditions. */
export function resolveRule(spec: RuleSpec): Rule {
  for (const key of spec.references.chapter) {
    if (!(key in CHAPTER_SECTIONS)) {
      throw new RuleDefinitionError(spec.id, `unknown chapter section "${key}" (known: ${Object.keys(CHAPTER_SECTIONS).join(', ')})`);
    }
  }
  for (const id of spec.references.cis ?? []) {
    if (!/^\d+(\.\d+)+$/.test(id)) throw new RuleDefinitionError(spec.id, `"${id}" is not a CIS id`);
  }
  for (const m of spec.message.matchAll(/\{(\w+)\}/g)) {
    if (!PLACEHOLDERS.has(m[1]!)) throw new RuleDefinitionError(spec.id, `unknown placeholder {${m[1]}} in message`);
  }
  const { check, ...rest } = spec;
  if ('analyzer' in check) {
    const analyzerCheck = check as AnalyzerCheckSpec;
    return {
      ...rest,
      check: { kind: 'analyzer', analyzer: analyzerCheck.analyzer, params: analyzerCheck.params ?? {} },
      checkSpec: check,
    };
  }
  const flagCheck = check as FlagCheckSpec;
  return {
    ...rest,
    references: { ...spec.references, cis: spec.references.cis ?? (flagCheck.cis ? [flagCheck.cis] : []) },
    check: {
      kind: 'flag',
      conditions: flagCheck.anyOf ? [] : flagConditions(spec.id, flagCheck),
      when: (flagCheck.when ?? []).map((w) => ({ absent: 'fail', ...w })),
      anyOf: (flagCheck.anyOf ?? []).map((w) => ({ absent: 'fail', ...w })),
    },
    checkSpec: check,
  };
}

function flagConditions(ruleId: string, check: FlagCheckSpec): FlagCondition[] {
  let flags = check.flags ?? (check.flag ? [check.flag] : []);
  let op = check.op;
  let value = check.value;
  let absent = check.absent;
  let gate = check.gate;
  if (check.cis) {
    const entry = CIS[check.cis];
    if (!entry) throw new RuleDefinitionError(ruleId, `CIS check ${check.cis} is not in src/data/cis-checks.json`);
    if (entry.configFile) {
      throw new RuleDefinitionError(ruleId, `CIS check ${check.cis} judges a config file, not a flag; use an analyzer`);
    }
    const cisFlags = entry.pairedFlag ? [entry.flag, entry.pairedFlag] : [entry.flag];
    if (flags.length && flags.join() !== cisFlags.join()) {
      throw new RuleDefinitionError(ruleId, `flags ${flags.join(', ')} differ from CIS ${check.cis} (${cisFlags.join(', ')})`);
    }
    flags = cisFlags;
    op ??= CIS_OPS[entry.op];
    if (!op) throw new RuleDefinitionError(ruleId, `CIS operator "${entry.op}" is not supported`);
    if (value === undefined && entry.value !== undefined) value = entry.value as FlagCondition['value'];
    absent ??= entry.absentPasses ? 'pass' : 'fail';
    gate ??= entry.featureGate;
  }
  if (!flags.length || !op) throw new RuleDefinitionError(ruleId, 'a flag check needs a flag (or flags) and an op');
  const needsValue = !['set', 'unset'].includes(op);
  if (needsValue && value === undefined && op !== 'differsFrom') {
    throw new RuleDefinitionError(ruleId, `op ${op} needs a value`);
  }
  if (op === 'differsFrom' && !check.other) throw new RuleDefinitionError(ruleId, 'op differsFrom needs `other`');
  return flags.map((flag) => ({
    flag,
    ...(gate ? { gate } : {}),
    ...(check.aliases ? { aliases: check.aliases } : {}),
    op: op!,
    ...(value !== undefined ? { value } : {}),
    ...(check.other ? { other: check.other } : {}),
    absent: absent ?? 'fail',
  }));
}

const CIS_OPS: Record<string, FlagOp> = {
  eq: 'eq',
  neq: 'neq',
  set: 'set',
  unset: 'unset',
  contains: 'contains',
  notContains: 'notContains',
  gte: 'gte',
  in: 'allIn',
};
