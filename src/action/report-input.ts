import { readFileSync } from 'node:fs';
import type { CheckSummary } from '../check.js';
import { DOCS_BASE, type Finding } from '../findings/finding.js';
import type { PullRequestContext } from '../report/json.js';
import { AREAS, SEVERITIES } from '../rules/types.js';

/** A report that cannot be posted: the Action fails with this message. */
export class ReportError extends Error {}

export interface PostableReport {
  findings: Finding[];
  summary: CheckSummary;
  pullRequest: PullRequestContext;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown, min = 0): v is number => Number.isInteger(v) && (v as number) >= min;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
/** A path inside the repository: relative, no `..`, no control characters. */
const repoPath = (v: unknown): v is string => text(v, 4096) && v.length > 0 && !v.startsWith('/') && !v.split('/').includes('..') && !/[\0-\x1f]/.test(v);

/**
 * Reads a JSON report written by the Action's `json-file` on a pull request. It comes from a run
 * that may have checked out a fork's code, so it is untrusted data: every field is checked, text is
 * bounded, paths must stay inside the repository, and links are rebuilt from rule ids rather than
 * taken from the file. Markdown escaping happens where it is rendered, as for any finding.
 */
export function readReport(file: string): PostableReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReportError(`report-from: ${file} is not a readable JSON report (${(error as Error).message})`);
  }
  const fail = (what: string): never => {
    throw new ReportError(`report-from: ${file}: ${what}`);
  };
  if (!isObj(data) || data.version !== 1) fail('not a kubeharden JSON report of version 1');
  const report = data as Obj;
  const pr = report.pullRequest;
  if (!isObj(pr)) fail('it has no pullRequest section (write it with json-file on a pull_request run)');
  const p = pr as Obj;
  if (!text(p.repository, 200) || !/^[\w.-]+\/[\w.-]+$/.test(p.repository)) fail('pullRequest.repository is not owner/name');
  if (!int(p.number, 1)) fail('pullRequest.number is not a pull request number');
  for (const key of ['headSha', 'baseSha']) if (!text(p[key], 64) || !/^[0-9a-f]{40,64}$/.test(p[key] as string)) fail(`pullRequest.${key} is not a commit id`);
  if (!['new', 'changed', 'all'].includes(p.mode as string)) fail('pullRequest.mode is not new, changed or all');
  if (![...SEVERITIES, 'none'].includes(p.failOn as never)) fail('pullRequest.failOn is not a severity');
  if (!Array.isArray(p.changedFiles) || !p.changedFiles.every(repoPath)) fail('pullRequest.changedFiles is not a list of paths');
  if (!Array.isArray(report.findings)) fail('findings is not a list');
  const findings = (report.findings as unknown[]).map((f, i) => finding(f, (what) => fail(`findings[${i}]: ${what}`)));
  const s = report.summary;
  if (!isObj(s) || !int(s.files) || !int(s.documents) || !isObj(s.bySeverity)) fail('summary is not a report summary');
  const summary = s as Obj;
  const bySeverity = summary.bySeverity as Obj;
  return {
    findings,
    summary: {
      files: summary.files as number,
      documents: summary.documents as number,
      bySeverity: { error: Number(bySeverity.error) || 0, warning: Number(bySeverity.warning) || 0, notice: Number(bySeverity.notice) || 0 },
      suppressed: int(summary.suppressed) ? summary.suppressed : 0,
    },
    pullRequest: p as unknown as PullRequestContext,
  };
}

function finding(value: unknown, fail: (what: string) => never): Finding {
  if (!isObj(value)) fail('not an object');
  const f = value as Obj;
  if (!text(f.ruleId, 100) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.ruleId)) fail('ruleId is not a rule id');
  if (!SEVERITIES.includes(f.severity as never)) fail('severity is not error, warning or notice');
  if (!AREAS.includes(f.area as never)) fail('area is not a known area');
  if (!Array.isArray(f.cis) || !f.cis.every((c) => text(c, 20) && /^[\d.]+$/.test(c))) fail('cis is not a list of CIS ids');
  if (!repoPath(f.file)) fail('file is not a path inside the repository');
  for (const key of ['line', 'column', 'endLine', 'endColumn']) if (!int(f[key], 1)) fail(`${key} is not a positive integer`);
  if (!text(f.message, 20_000) || !text(f.remediation, 20_000)) fail('message or remediation is missing or too long');
  if (!text(f.fingerprint, 64) || !/^[0-9a-f]{8,64}$/.test(f.fingerprint)) fail('fingerprint is not a fingerprint');
  if (f.fix !== undefined && (!isObj(f.fix) || !int(f.fix.line, 1) || !text(f.fix.replacement, 20_000))) fail('fix is not {line, replacement}');
  if (f.status !== undefined && !['new', 'existing', 'fixed'].includes(f.status as string)) fail('status is not new, existing or fixed');
  if (f.suppressed !== undefined && (!isObj(f.suppressed) || !text(f.suppressed.reason, 2000))) fail('suppressed has no reason');
  if (f.rbac !== undefined && (!isObj(f.rbac) || !text(f.rbac.subject, 500) || !text(f.rbac.scope, 300))) fail('rbac is not {subject, scope}');
  return {
    ruleId: f.ruleId as string,
    severity: f.severity as Finding['severity'],
    area: f.area as Finding['area'],
    cis: f.cis as string[],
    file: f.file as string,
    line: f.line as number,
    column: f.column as number,
    endLine: f.endLine as number,
    endColumn: f.endColumn as number,
    message: f.message as string,
    remediation: f.remediation as string,
    fingerprint: f.fingerprint as string,
    fix: f.fix as Finding['fix'],
    helpUri: `${DOCS_BASE}${f.ruleId as string}.md`,
    ...(f.status ? { status: f.status as Finding['status'] } : {}),
    ...(f.suppressed ? { suppressed: f.suppressed as Finding['suppressed'] } : {}),
    ...(f.rbac ? { rbac: f.rbac as Finding['rbac'] } : {}),
  };
}
