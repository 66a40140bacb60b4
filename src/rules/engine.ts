import path from 'node:path';
import type { RawFinding } from '../findings/finding.js';
import type { ClusterScope, Component, LineFix, Model, Setting } from '../model/types.js';
import type { Span } from '../parse/source-file.js';
import { replaceOnLine } from '../extract/spans.js';
import { effectiveVersion } from '../model/cluster-version.js';
import { compareMinor, type Version } from '../model/versions.js';
import { gateEntry, testValue, type Verdict } from './flag-eval.js';
import { entrySpan, valuePart } from './setting-spans.js';
import { ANALYZERS, ruleFinding, type AnalyzerInput } from './analyzers/index.js';
import { celBindings } from './custom.js';
import type { FlagCondition, ResolvedCelCheck, Rule } from './types.js';

/** Runs every rule over the model and the problems found while reading files. */
export function runRules(rules: readonly Rule[], model: Model, input: AnalyzerInput): RawFinding[] {
  const out: RawFinding[] = [];
  collect(rules, model, input, out);
  // One place, one rule, one message: settings shared by two components (a kubelet config file
  // read by two kubelets) must not give a reviewer the same comment twice.
  const seen = new Set<string>();
  // A finding another rule implies is dropped when that rule reports: for the same subject and
  // scope (RBAC), or, for one without a subject, on the same place.
  const implied = (ruleId: string, f: RawFinding) => (f.rbac ? `${ruleId}\0${f.rbac.subject}\0${f.rbac.scope}` : `${ruleId}\0${f.at.file.path}\0${f.at.start}`);
  const reported = new Set(out.flatMap((f) => [implied(f.ruleId, f), ...(f.rbac ? [`${f.ruleId}\0${f.at.file.path}\0${f.at.start}`] : [])]));
  return out.filter((f) => {
    if (f.impliedBy?.some((id) => reported.has(implied(id, f)))) return false;
    const key = `${f.ruleId}\0${f.at.file.path}\0${f.at.start}\0${f.at.end}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function collect(rules: readonly Rule[], model: Model, input: AnalyzerInput, out: RawFinding[]): void {
  for (const rule of rules) {
    if (rule.check.kind === 'analyzer') {
      const analyzer = ANALYZERS[rule.check.analyzer];
      if (!analyzer) throw new Error(`rule ${rule.id}: unknown analyzer ${rule.check.analyzer}`);
      analyzer(rule, rule.check.params, model, input, out);
      continue;
    }
    for (const scope of model.scopes) {
      for (const component of scope.components) {
        if (rule.match && !rule.match.components.includes(component.name)) continue;
        if (component.distribution && rule.match?.exceptDistributions?.includes(component.distribution)) continue;
        if (rule.match?.kubernetes && !inRange(rule.match.kubernetes, effectiveVersion(component, scope, input.kubernetesVersion).version)) continue;
        if (rule.check.kind === 'cel') runCelRule(rule, rule.check, component, scope, out);
        else if (rule.check.anyOf.length) runAnyOfRule(rule, rule.check.anyOf, rule.check.when, component, out);
        else runFlagRule(rule, rule.check.conditions, rule.check.when, component, scope, out);
      }
    }
  }
}

/** A custom rule: its expression must hold; an expression that cannot be evaluated says why, once per component. */
function runCelRule(rule: Rule, check: ResolvedCelCheck, component: Component, scope: ClusterScope, out: RawFinding[]): void {
  const result = check.evaluate(celBindings(component, scope));
  if (result === true) return;
  const setting = check.flag ? component.settings.get(check.flag) : undefined;
  const at = setting?.origin === 'explicit' ? setting.at : component.anchor;
  const message = typeof result === 'string' ? `${rule.id} could not be evaluated on ${component.name}: ${result}.` : rule.message;
  out.push(ruleFinding(rule, at, message, `${component.identity} cel`));
}

function inRange(range: { from?: string; before?: string }, version: Version): boolean {
  if (range.from && compareMinor(version, range.from) < 0) return false;
  return !(range.before && compareMinor(version, range.before) >= 0);
}

/** What a setting is for one condition: written, defaulted, or not set with no known default. */
interface Resolved {
  condition: FlagCondition;
  setting: Setting | undefined;
  /** The value judged (the written value, or the default). */
  value: string | undefined;
  defaultBy?: string | undefined;
  /** For gate conditions: where the `Name=value` entry sits inside the flag's value. */
  gate?: { offset: number; length: number } | undefined;
}

function resolve(component: Component, condition: FlagCondition): Resolved {
  let setting = component.settings.get(condition.flag);
  for (const alias of condition.aliases ?? []) setting ??= component.settings.get(alias);
  if (setting && condition.gate) {
    const entry = gateEntry(setting.value, condition.gate);
    if (!entry) return { condition, setting: undefined, value: undefined };
    return { condition, setting, value: entry.value, gate: { offset: entry.offset, length: entry.length } };
  }
  if (setting) return { condition, setting, value: setting.value, defaultBy: setting.defaultBy };
  // With part of the configuration out of sight, a default cannot be assumed either.
  if (condition.absent === 'default' && !condition.gate && !component.opaque) {
    const fallback = component.defaults.get(condition.flag);
    if (fallback !== undefined) return { condition, setting: undefined, value: fallback, defaultBy: component.defaultsBy };
  }
  return { condition, setting: undefined, value: undefined };
}

/** Does the condition hold? Undefined when it cannot be judged (a placeholder value). */
function holds(r: Resolved, other: string | undefined): { ok: boolean; verdict?: Verdict } | undefined {
  if (r.setting?.unresolved && r.condition.op !== 'set' && r.condition.op !== 'unset') return undefined;
  if (r.value === undefined) {
    if (r.condition.op === 'unset') return { ok: true };
    return { ok: r.condition.absent === 'pass' };
  }
  if (r.condition.op === 'unset') return { ok: !r.setting };
  const verdict = testValue(r.condition, r.value, other);
  return { ok: verdict.ok, verdict };
}

function runFlagRule(
  rule: Rule,
  conditions: readonly FlagCondition[],
  when: readonly FlagCondition[],
  component: Component,
  scope: ClusterScope,
  out: RawFinding[],
): void {
  for (const condition of when) {
    const result = holds(resolve(component, condition), undefined);
    if (!result?.ok) return;
  }
  const missing: Resolved[] = [];
  for (const condition of conditions) {
    const resolved = resolve(component, condition);
    const other = condition.other ? otherValue(condition, component, scope) : undefined;
    // Two values are compared only when both are written: absence is another rule's business.
    if (condition.op === 'differsFrom' && (other === undefined || !resolved.setting)) continue;
    const result = holds(resolved, other);
    if (!result || result.ok) continue;
    if (!resolved.setting && resolved.value === undefined) {
      // Part of the configuration is out of sight: the setting may well be made there.
      if (!component.opaque) missing.push(resolved);
      continue;
    }
    out.push(findingFor(rule, component, resolved, result.verdict, other));
  }
  if (missing.length) out.push(missingFinding(rule, component, missing));
}

/** A rule met by any one of several settings: reported on the component when none holds. */
function runAnyOfRule(rule: Rule, anyOf: readonly FlagCondition[], when: readonly FlagCondition[], component: Component, out: RawFinding[]): void {
  for (const condition of when) if (!holds(resolve(component, condition), undefined)?.ok) return;
  if (component.opaque) return;
  if (anyOf.some((c) => holds(resolve(component, c), undefined)?.ok !== false)) return;
  const flags = anyOf.map((c) => code(c.flag));
  const data: Record<string, string> = {
    flag: `${flags.slice(0, -1).join(', ')} or ${flags[flags.length - 1]}`,
    setting: `none of ${flags.join(', ')} is set`,
    value: '',
    entry: '',
    component: component.name,
    expected: '',
    other: '',
  };
  out.push(ruleFinding(rule, component.anchor, render(rule.message, data), `${component.identity} ${anyOf.map((c) => c.flag).join('|')}`));
}

/** The value of the flag a `differsFrom` condition compares with, if it can be found without guessing. */
function otherValue(condition: FlagCondition, component: Component, scope: ClusterScope): string | undefined {
  const ref = condition.other!;
  let target: Component | undefined = component;
  if (ref.component && ref.component !== component.name) {
    const candidates = scope.components.filter((c) => c.name === ref.component);
    const sameDir = candidates.filter((c) => path.posix.dirname(c.file.path) === path.posix.dirname(component.file.path));
    const pool = sameDir.length ? sameDir : candidates;
    target = pool.length === 1 ? pool[0] : undefined;
  }
  const setting = target?.settings.get(ref.flag);
  return setting && !setting.unresolved ? setting.value : undefined;
}

function findingFor(rule: Rule, component: Component, r: Resolved, verdict: Verdict | undefined, other: string | undefined): RawFinding {
  const c = r.condition;
  const setting = r.setting;
  let at: Span = setting ? setting.at : (component.flagAnchors?.get(c.flag) ?? component.anchor);
  let entry = verdict?.culprit?.entry;
  if (setting && r.gate) at = entrySpan(setting, c.gate!) ?? valuePart(setting, r.gate.offset, r.gate.length);
  else if (setting && verdict?.culprit) {
    at = entrySpan(setting, verdict.culprit.entry) ?? valuePart(setting, verdict.culprit.offset, verdict.culprit.entry.length);
  }
  if (r.gate) entry = `${c.gate}=${r.value}`;
  const data: Record<string, string> = {
    flag: code(setting?.configKey ?? setting?.flag ?? c.flag),
    value: code(shorten(r.value ?? '')),
    setting: settingText(component, r),
    entry: entry ? code(entry) : '',
    component: component.name,
    expected: expectedText(c),
    other: c.other ? `${code(c.other.flag)}${c.other.component ? ` of ${c.other.component}` : ''} (${code(other ?? '')})` : '',
  };
  return ruleFinding(rule, at, render(rule.message, data), `${component.identity} ${c.flag}${c.gate ? `[${c.gate}]` : ''}`, fixFor(rule, component, r, verdict));
}

function missingFinding(rule: Rule, component: Component, missing: Resolved[]): RawFinding {
  const flags = missing.map((m) => code(m.condition.flag));
  const flagText = flags.length > 1 ? `${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]}` : flags[0]!;
  const data: Record<string, string> = {
    flag: flagText,
    value: '',
    setting: `${flagText} not set`,
    entry: '',
    component: component.name,
    expected: expectedText(missing[0]!.condition),
    other: '',
  };
  const only = missing.length === 1 ? missing[0] : undefined;
  const at = component.flagAnchors?.get(missing[0]!.condition.flag) ?? component.anchor;
  return ruleFinding(rule, at, render(rule.message, data), `${component.identity} ${missing.map((m) => m.condition.flag).join('+')}`, only ? fixFor(rule, component, only, undefined) : undefined);
}

function fixFor(rule: Rule, component: Component, r: Resolved, verdict: Verdict | undefined): LineFix | undefined {
  const fix = rule.fix;
  if (!fix) return undefined;
  const c = r.condition;
  // A value a distribution supplies is not in the file: the fix adds the flag.
  if (r.setting?.origin === 'default') {
    if ('set' in fix) return component.addFlag?.(c.flag, c.gate ? `${c.gate}=${fix.set}` : fix.set);
    return verdict?.listFix ? component.addFlag?.(c.flag, verdict.listFix) : undefined;
  }
  if ('set' in fix) {
    if (c.gate) {
      if (r.setting && r.gate) return replaceOnLine(valuePart(r.setting, r.gate.offset, r.gate.length), `${c.gate}=${fix.set}`);
      return r.setting ? undefined : component.addFlag?.(c.flag, `${c.gate}=${fix.set}`);
    }
    return r.setting ? r.setting.rewrite?.(fix.set) : component.addFlag?.(c.flag, fix.set);
  }
  if (r.setting) return verdict?.listFix ? r.setting.rewrite?.(verdict.listFix) : undefined;
  if (c.op === 'contains' && c.value !== undefined) {
    return component.addFlag?.(c.flag, Array.isArray(c.value) ? c.value.join(',') : String(c.value));
  }
  return undefined;
}

function settingText(component: Component, r: Resolved): string {
  const c = r.condition;
  if (r.setting?.origin === 'default') {
    return `${code(c.flag)} not set; ${r.setting.defaultBy ?? 'the distribution'} default is ${code(shorten(r.setting.value))}`;
  }
  if (r.setting) {
    // Named as written: an older alias of the condition's flag, or a config-file key.
    const flag = r.setting.configKey ?? r.setting.flag;
    const sep = r.setting.configKey ? ': ' : '=';
    if (c.gate) return `${code(`${c.gate}=${r.value}`)} in ${code(flag)}`;
    return code(r.setting.value === 'true' && !r.setting.valueAt && !r.setting.configKey ? flag : `${flag}${sep}${shorten(r.setting.value)}`);
  }
  if (r.value !== undefined) return `${code(c.flag)} not set; ${r.defaultBy ?? component.name} default is ${code(r.value)}`;
  return `${code(c.flag)} not set`;
}

function expectedText(c: FlagCondition): string {
  const v = c.value;
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.length > 4 ? `one of ${v.length} allowed values` : v.map(code).join(', ');
  return code(String(v));
}

/** Long values (admission plugin lists, cipher suites) are cut so a message stays one readable line. */
function shorten(value: string): string {
  return value.length > 72 ? `${value.slice(0, 69)}…` : value;
}

function code(text: string): string {
  return '`' + text.replaceAll('`', "'") + '`';
}

function render(template: string, data: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => data[key] ?? '');
}
