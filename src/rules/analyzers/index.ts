import type { RawFinding } from '../../findings/finding.js';
import type { LineFix, Model } from '../../model/types.js';
import type { Version } from '../../model/versions.js';
import type { SourceFile, Span } from '../../parse/source-file.js';
import type { SchemaIssue } from '../../schema/validate.js';
import type { Rule } from '../types.js';
import { audit } from './audit.js';
import { credentials } from './credentials.js';
import { eksctl } from './eksctl.js';
import { encryption } from './encryption.js';
import { encryptionChanges } from './encryption-changes.js';
import { featureGates } from './feature-gates.js';
import { rbac } from './rbac.js';
import { references } from './references.js';
import { removedFlags } from './removed-flags.js';
import { runtimeConfig } from './runtime-config.js';
import { versions } from './versions.js';

/** A file that could not be read, or only in part, as the pipeline recorded it. */
export interface FileProblem {
  file: SourceFile;
  code: 'syntax' | 'alias-limit' | 'templated' | 'too-large' | 'binary' | 'encoding';
  message: string;
  offset: number;
}

/** What the rules see besides the model: what reading the files found, and the run's own facts. */
export interface AnalyzerInput {
  problems: readonly FileProblem[];
  /** Objects that do not match the schema of their kind. */
  schema: readonly SchemaIssue[];
  /** `--kubernetes-version`: overrides what the repository says. */
  kubernetesVersion?: Version | undefined;
  /** The day of the run, `YYYY-MM-DD` (end-of-life dates are judged against it). */
  today: string;
  /** The model at the base of the change (`--base`), for rules about the change itself. */
  base?: Model | undefined;
}

/** An analyzer computes what a rule needs beyond one flag and reports through the rule's metadata. */
export type Analyzer = (rule: Rule, params: Record<string, unknown>, model: Model, input: AnalyzerInput, out: RawFinding[]) => void;

/** A finding of an analyzer rule: `{detail}` in the rule's message is the one sentence it computed. */
export function analyzerFinding(rule: Rule, at: Span, detail: string, identity: string, fix?: LineFix): RawFinding {
  // A detail that ends in a question ("did you mean …?") takes no full stop after it.
  return ruleFinding(rule, at, rule.message.replace('{detail}', detail).replace(/\?\.$/, '?'), identity, fix);
}

/** A finding with its rule's metadata. */
export function ruleFinding(rule: Rule, at: Span, message: string, identity: string, fix?: LineFix): RawFinding {
  return { ruleId: rule.id, severity: rule.severity, area: rule.area, cis: rule.references.cis ?? [], at, message, remediation: rule.remediation, identity, fix };
}

function codes(params: Record<string, unknown>): Set<string> {
  return new Set(Array.isArray(params.codes) ? (params.codes as string[]) : []);
}

export const ANALYZERS: Record<string, Analyzer> = {
  /** Reports file problems whose code is in `params.codes`. */
  'file-problems': (rule, params, _model, input, out) => {
    const wanted = codes(params);
    for (const problem of input.problems) {
      if (!wanted.has(problem.code)) continue;
      const at = { file: problem.file, start: problem.offset, end: problem.offset };
      out.push(analyzerFinding(rule, at, problem.message, `${problem.code} ${problem.message}`));
    }
  },
  /** Reports schema issues whose code is in `params.codes`. */
  'schema-issues': (rule, params, _model, input, out) => {
    const wanted = codes(params);
    for (const issue of input.schema) {
      if (wanted.has(issue.code)) out.push(analyzerFinding(rule, issue.at, issue.detail, issue.identity, issue.fix));
    }
  },
  'feature-gates': featureGates,
  'runtime-config': runtimeConfig,
  versions,
  'removed-flags': removedFlags,
  encryption,
  audit,
  credentials,
  references,
  eksctl,
  'encryption-changes': encryptionChanges,
  rbac,
  // Reported by findings/suppressions.ts once every other rule has run: they are about findings.
  suppressions: () => undefined,
};
