import type { CheckSummary } from '../check.js';
import type { Finding } from '../findings/finding.js';
import type { Severity } from '../rules/types.js';

/** The JSON report, documented in docs/output.md. Fields are only ever added; `version` says which shape. */
export interface JsonReport {
  version: 1;
  findings: Finding[];
  summary: CheckSummary & { base?: { ref: string; commit: string; byStatus: ReturnType<typeof byStatus> } };
  /** Written by the Action on a pull request: what a later `report-from` run posts the report to. */
  pullRequest?: PullRequestContext;
}

export interface PullRequestContext {
  repository: string;
  number: number;
  headSha: string;
  baseSha: string;
  /** What fails: `new`, `changed` or `all` findings at or above `failOn`. */
  mode: 'new' | 'changed' | 'all';
  failOn: Severity | 'none';
  /** The pull request's changed files, for `mode: changed`. */
  changedFiles: string[];
}

export function renderJson(findings: readonly Finding[], summary: CheckSummary, base?: { ref: string; commit: string }, pullRequest?: PullRequestContext): string {
  const report: JsonReport = {
    version: 1,
    ...(pullRequest ? { pullRequest } : {}),
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      area: f.area,
      cis: f.cis,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      remediation: f.remediation,
      fingerprint: f.fingerprint,
      ...(f.fix ? { fix: f.fix } : {}),
      helpUri: f.helpUri,
      ...(f.rbac ? { rbac: f.rbac } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
    summary: base ? { ...summary, base: { ...base, byStatus: byStatus(findings) } } : summary,
  };
  return JSON.stringify(report, null, 2) + '\n';
}

export function byStatus(findings: readonly Finding[]): { new: number; existing: number; fixed: number } {
  const counts = { new: 0, existing: 0, fixed: 0 };
  for (const f of findings) if (f.status) counts[f.status]++;
  return counts;
}
