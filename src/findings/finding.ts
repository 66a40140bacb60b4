import { createHash } from 'node:crypto';
import type { LineFix } from '../model/types.js';
import type { Span } from '../parse/source-file.js';
import type { Area, Severity } from '../rules/types.js';

/** Where the rule catalogue is published; every finding links to its rule's page. */
export const DOCS_BASE = 'https://github.com/kubeharden/kubeharden/blob/main/docs/rules/';

/** A finding as every reporter sees it. Line-independent identity is in `fingerprint`. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  area: Area;
  /** CIS Kubernetes Benchmark ids the finding maps to; empty when none. */
  cis: string[];
  /** Path relative to the root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  remediation: string;
  /** Stable across line moves and edits elsewhere: rule, file, object identity, setting. */
  fingerprint: string;
  fix?: LineFix | undefined;
  helpUri: string;
  /**
   * Against `--base`: `new` (the change brings it), `existing` (it was there before) or `fixed`
   * (it is gone; file and line are where it was at the base). Absent without a base.
   */
  status?: 'new' | 'existing' | 'fixed' | undefined;
  /** For a permission a subject holds: the subject (`ServiceAccount:ns/name`) and the scope (`cluster` or a namespace). */
  rbac?: { subject: string; scope: string } | undefined;
  /** Silenced by a `kubeharden:ignore` directive or an exception of .kubeharden.yml: still reported, not counted. */
  suppressed?: { by: 'inline' | 'exception'; reason: string; until?: string } | undefined;
}

/** What a rule reports before positions and identity are settled. */
export interface RawFinding {
  ruleId: string;
  severity: Severity;
  area: Area;
  cis: string[];
  at: Span;
  message: string;
  remediation: string;
  /** The object and setting the finding is about, independent of lines (e.g. `Pod/kube-system/etcd:etcd --cert-file`). */
  identity: string;
  fix?: LineFix | undefined;
  /**
   * For a permission a subject holds: who, at which scope. The fingerprint then leaves the file
   * out, so the same (subject, capability, scope) is the same finding wherever it is reported.
   */
  rbac?: { subject: string; scope: string } | undefined;
  /**
   * Rules whose finding says this one already: for the same subject and scope (a subject that can
   * do anything can also read Secrets), or, for a finding without a subject, on the same place.
   * When one of them reports, this finding is dropped.
   */
  impliedBy?: readonly string[] | undefined;
}

export function toFinding(raw: RawFinding): Finding {
  const from = raw.at.file.position(raw.at.start);
  const to = raw.at.file.position(raw.at.end);
  return {
    ruleId: raw.ruleId,
    severity: raw.severity,
    area: raw.area,
    cis: raw.cis,
    file: raw.at.file.path,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    message: raw.message,
    remediation: raw.remediation,
    fingerprint: fingerprint(raw.ruleId, raw.rbac ? '' : raw.at.file.path, raw.identity),
    fix: raw.fix,
    helpUri: `${DOCS_BASE}${raw.ruleId}.md`,
    ...(raw.rbac ? { rbac: raw.rbac } : {}),
  };
}

export function fingerprint(ruleId: string, file: string, identity: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${identity}`).digest('hex').slice(0, 32);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/** True when `severity` is at or above the threshold (`none` is never reached). */
export function atOrAbove(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Stable order for every report: file, then position, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}
