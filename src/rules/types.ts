import type { ComponentName, Distribution } from '../model/types.js';

/**
 * What a severity means, everywhere (CLI, JSON, SARIF, review comments):
 * - error: an attacker or a mistake gets access or data, or the component will not start;
 * - warning: a layer of defence is missing;
 * - notice: advice.
 */
export type Severity = 'error' | 'warning' | 'notice';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/** The areas of ../shared/RULE-MAP.md, plus `parse` for files that could not be read. */
export const AREAS = [
  'apiserver',
  'etcd-tls',
  'kubelet',
  'controller-manager',
  'scheduler',
  'encryption',
  'credentials',
  'authn',
  'rbac',
  'metadata-api',
  'audit',
  'feature-gates',
  'versions',
  'managed',
  'network',
  'schema',
  'host',
  'parse',
] as const;
export type Area = (typeof AREAS)[number];

/** Comparisons a flag rule can make. List operators split the value on commas. */
export const FLAG_OPS = [
  'set',
  'unset',
  'eq',
  'neq',
  'gte',
  'lte',
  'contains',
  'notContains',
  'allIn',
  'allMatch',
  'differsFrom',
] as const;
export type FlagOp = (typeof FLAG_OPS)[number];

export type FlagValue = string | number | boolean | string[];

/** A condition on one flag of a component. */
export interface FlagCondition {
  flag: string;
  /** Judge one entry of a `--feature-gates` style `Name=bool` list instead of the whole value. */
  gate?: string;
  /** Older names of the same setting, read when the flag itself is not set. */
  aliases?: string[];
  op: FlagOp;
  value?: FlagValue;
  /** For `differsFrom`: the flag (of this or another component in the same cluster) to differ from. */
  other?: { component?: ComponentName; flag: string };
  /**
   * When the flag is not set: `fail` (it must be written), `pass` (absence is fine), or `default`
   * (judge the component's or distribution's documented default, from src/data).
   */
  absent: 'fail' | 'pass' | 'default';
}

/** The check of a flag rule as written in rule.yaml; `cis` takes flag and condition from the CIS data. */
export interface FlagCheckSpec {
  cis?: string;
  flag?: string;
  /** Several flags that must each satisfy the condition (cert + key pairs). */
  flags?: string[];
  gate?: string;
  aliases?: string[];
  op?: FlagOp;
  value?: FlagValue;
  other?: { component?: ComponentName; flag: string };
  absent?: 'fail' | 'pass' | 'default';
  /** Preconditions on the same component: the rule applies only when all hold. */
  when?: (Omit<FlagCondition, 'absent'> & { absent?: 'fail' | 'pass' | 'default' })[];
  /** Alternatives: the rule is satisfied when any one holds (e.g. some external identity provider). */
  anyOf?: (Omit<FlagCondition, 'absent'> & { absent?: 'fail' | 'pass' | 'default' })[];
}

export interface AnalyzerCheckSpec {
  analyzer: string;
  params?: Record<string, unknown>;
}

/** How a finding of a flag rule is fixed with one line edit. */
export type FixSpec =
  /** Set the flag to this value (replacing its value, or adding the flag). */
  | { set: string }
  /** For `contains`: add the rule's value to the list; for `notContains`: remove it. */
  | { list: true };

/** A rule as written in rules/<id>/rule.yaml. */
export interface RuleSpec {
  id: string;
  /** Former ids of this rule; suppressions and exceptions written with them still apply. */
  aliases?: string[];
  title: string;
  area: Area;
  severity: Severity;
  tags?: string[];
  /** Why the rule exists, for its documentation page (Markdown). */
  description: string;
  references: {
    cis?: string[];
    /** Section keys of the source chapter (see src/rules/chapter.ts). */
    chapter: string[];
    docs: string[];
  };
  match?: {
    components: ComponentName[];
    /** Distributions the rule does not apply to, with the reason in `deviation` or the description. */
    exceptDistributions?: Distribution[];
    /**
     * Kubernetes versions the rule applies to (`from` inclusive, `before` exclusive, `1.24`): a
     * check of a flag that was removed means nothing once the flag is gone.
     */
    kubernetes?: { from?: string; before?: string };
  };
  check: FlagCheckSpec | AnalyzerCheckSpec;
  /** The finding's message; placeholders: {flag} {setting} {value} {entry} {component} {expected} {other}, and {detail} for analyzer rules. */
  message: string;
  remediation: string;
  fix?: FixSpec;
  /** Where and why the rule departs from the CIS check or kube-bench it is based on. */
  deviation?: string;
}

/** A flag check with its CIS reference resolved into concrete conditions. */
export interface ResolvedFlagCheck {
  kind: 'flag';
  conditions: FlagCondition[];
  when: FlagCondition[];
  anyOf: FlagCondition[];
}

export interface ResolvedAnalyzerCheck {
  kind: 'analyzer';
  analyzer: string;
  params: Record<string, unknown>;
}

/** A custom rule's CEL expression, compiled: it must hold for every component it applies to. */
export interface ResolvedCelCheck {
  kind: 'cel';
  expression: string;
  /** Evaluates the expression; a string is an evaluation error. */
  evaluate: (bindings: Record<string, unknown>) => boolean | string;
  /** The flag whose line a finding points at, when it is written. */
  flag?: string | undefined;
}

/** A rule ready to run: its spec with the check resolved. */
export interface Rule extends Omit<RuleSpec, 'check'> {
  check: ResolvedFlagCheck | ResolvedAnalyzerCheck | ResolvedCelCheck;
  /** The rule.yaml check as written, for documentation. */
  checkSpec: FlagCheckSpec | AnalyzerCheckSpec | { expression: string };
  /** Where a custom rule is defined (`.kubeharden.yml`); built-in rules have none. */
  definedIn?: string | undefined;
}
