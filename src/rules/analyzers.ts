import type { RawFinding } from '../findings/finding.js';
import type { Model } from '../model/types.js';
import type { SourceFile } from '../parse/source-file.js';
import type { SchemaIssue } from '../schema/validate.js';
import type { Rule } from './types.js';

/** A file that could not be read, or only in part, as the pipeline recorded it. */
export interface FileProblem {
  file: SourceFile;
  code: 'syntax' | 'alias-limit' | 'templated' | 'too-large' | 'binary' | 'encoding';
  message: string;
  offset: number;
}

export interface AnalyzerInput {
  problems: readonly FileProblem[];
  /** Objects that do not match the schema of their kind. */
  schema: readonly SchemaIssue[];
}

/** An analyzer computes what a rule needs beyond one flag and reports through the rule's metadata. */
export type Analyzer = (
  rule: Rule,
  params: Record<string, unknown>,
  model: Model,
  input: AnalyzerInput,
  out: RawFinding[],
) => void;

export const ANALYZERS: Record<string, Analyzer> = {
  /** Reports file problems whose code is in `params.codes`. */
  'file-problems': (rule, params, _model, input, out) => {
    const codes = new Set(Array.isArray(params.codes) ? (params.codes as string[]) : []);
    for (const problem of input.problems) {
      if (!codes.has(problem.code)) continue;
      out.push({
        ruleId: rule.id,
        severity: rule.severity,
        area: rule.area,
        cis: rule.references.cis ?? [],
        at: { file: problem.file, start: problem.offset, end: problem.offset },
        message: rule.message.replace('{detail}', problem.message),
        remediation: rule.remediation,
        identity: `${problem.code} ${problem.message}`,
      });
    }
  },
  /** Reports schema issues whose code is in `params.codes`. */
  'schema-issues': (rule, params, _model, input, out) => {
    const codes = new Set(Array.isArray(params.codes) ? (params.codes as string[]) : []);
    for (const issue of input.schema) {
      if (!codes.has(issue.code)) continue;
      out.push({
        ruleId: rule.id,
        severity: rule.severity,
        area: rule.area,
        cis: rule.references.cis ?? [],
        at: issue.at,
        message: rule.message.replace('{detail}', issue.detail),
        remediation: rule.remediation,
        identity: issue.identity,
        fix: issue.fix,
      });
    }
  },
};
