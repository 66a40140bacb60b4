import picomatch from 'picomatch';
import type { Exception } from '../config/config.js';
import type { SourceFile } from '../parse/source-file.js';
import type { Rule } from '../rules/types.js';
import { toFinding, type Finding } from './finding.js';

/** A `kubeharden:ignore` directive: in a comment, or in an object's annotation. */
export interface Directive {
  file: SourceFile;
  /** The line the directive is written on. */
  line: number;
  /** The lines whose findings it silences. */
  from: number;
  to: number;
  rules: string[];
  reason?: string | undefined;
  until?: string | undefined;
  /** Why the directive cannot be honoured (no reason, a bad date, an unknown rule). */
  problem?: string | undefined;
}

/** One document of a file: its lines and the object it holds, for exceptions keyed by object. */
export interface DocumentRange {
  file: string;
  from: number;
  to: number;
  kind?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
}

export const ANNOTATION = 'kubeharden.dev/ignore';
const MARK = 'kubeharden:ignore';

/**
 * The directives in a file's comments. One at the end of a line silences that line; one on a line
 * of its own silences the next line (`# kubeharden:ignore rule-id reason="…" until=2027-03-01`).
 */
export function commentDirectives(file: SourceFile): Directive[] {
  if (!file.text.includes(MARK)) return [];
  const out: Directive[] = [];
  for (let line = 1; line <= file.lineCount; line++) {
    const text = file.line(line);
    const at = text.indexOf(MARK);
    if (at < 0) continue;
    const hash = text.lastIndexOf('#', at);
    if (hash < 0) continue;
    const own = text.slice(0, hash).trim() === '';
    const target = own ? line + 1 : line;
    out.push({ file, line, from: target, to: target, ...parseDirective(text.slice(at + MARK.length)) });
  }
  return out;
}

/** The directive of a `kubeharden.dev/ignore` annotation: it silences the whole object. */
export function annotationDirective(file: SourceFile, value: string, line: number, from: number, to: number): Directive {
  return { file, line, from, to, ...parseDirective(value) };
}

function parseDirective(text: string): Pick<Directive, 'rules' | 'reason' | 'until' | 'problem'> {
  const reason = /reason=(?:"([^"]*)"|'([^']*)')/.exec(text);
  const until = /until=(\S+)/.exec(text);
  const rest = text.replace(/reason=("[^"]*"|'[^']*')/, '').replace(/until=\S+/, '');
  const rules = rest
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter((r) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(r));
  const why = (reason?.[1] ?? reason?.[2])?.trim();
  let problem: string | undefined;
  if (!rules.length) problem = 'it names no rule';
  else if (!why) problem = 'it gives no reason="…"';
  else if (until && !/^\d{4}-\d{2}-\d{2}$/.test(until[1]!)) problem = `until=${until[1]} is not a date (YYYY-MM-DD)`;
  return { rules, reason: why, until: until?.[1], problem };
}

export interface SuppressionInput {
  findings: Finding[];
  directives: readonly Directive[];
  exceptions: readonly Exception[];
  documents: readonly DocumentRange[];
  /** The rules in force, for the metadata of the notices about suppressions. */
  rules: readonly Rule[];
  today: string;
}

/**
 * Marks findings silenced by a directive or an exception (they stay in the reports, counted), and
 * adds a notice for each directive or exception that is malformed, expired or unused, so that
 * silencing leaves a trace and does not outlive its reason.
 */
export function applySuppressions(input: SuppressionInput): Finding[] {
  const { today } = input;
  const known = new Set(input.rules.flatMap((r) => [r.id, ...(r.aliases ?? [])]));
  const used = new Set<Directive | Exception>();
  const live = (until: string | undefined) => !until || until >= today;
  const directives = input.directives.map((d) => ({
    ...d,
    problem: d.problem ?? (d.rules.find((r) => !known.has(r)) ? `it names the unknown rule ${d.rules.find((r) => !known.has(r))}` : undefined),
    original: d,
  }));
  const documentOf = (f: Finding) => input.documents.find((d) => d.file === f.file && f.line >= d.from && f.line <= d.to);
  const matchers = new Map(input.exceptions.map((e) => [e, e.paths.length ? picomatch(e.paths, { dot: true }) : () => true]));

  const out = input.findings.map((f): Finding => {
    const directive = directives.find((d) => !d.problem && live(d.until) && d.file.path === f.file && f.line >= d.from && f.line <= d.to && d.rules.includes(f.ruleId));
    if (directive) {
      used.add(directive.original);
      return { ...f, suppressed: { by: 'inline', reason: directive.reason!, ...(directive.until ? { until: directive.until } : {}) } };
    }
    const exception = input.exceptions.find((e) => {
      if (!live(e.until) || !e.rules.includes(f.ruleId) || !matchers.get(e)!(f.file)) return false;
      if ((e.subject || e.scope) && !rbacMatches(e, f)) return false;
      if (!e.object) return true;
      const doc = documentOf(f);
      return !!doc && (!e.object.kind || e.object.kind === doc.kind) && (!e.object.namespace || e.object.namespace === doc.namespace) && (!e.object.name || e.object.name === doc.name);
    });
    if (exception) {
      used.add(exception);
      return { ...f, suppressed: { by: 'exception', reason: exception.reason, ...(exception.until ? { until: exception.until } : {}) } };
    }
    return f;
  });

  const notice = (ruleId: string, file: SourceFile, offset: number, detail: string, identity: string) => {
    const rule = input.rules.find((r) => r.id === ruleId);
    if (!rule) return;
    out.push(
      toFinding({
        ruleId,
        severity: rule.severity,
        area: rule.area,
        cis: [],
        at: { file, start: offset, end: offset },
        message: rule.message.replace('{detail}', detail),
        remediation: rule.remediation,
        identity,
      }),
    );
  };
  for (const d of directives) {
    const offset = lineStart(d.file, d.line);
    const what = `\`kubeharden:ignore ${d.rules.join(',')}\``;
    if (d.problem) notice('suppression-invalid', d.file, offset, `${what} is not honoured: ${d.problem}`, `ignore ${d.line} invalid`);
    else if (!live(d.until)) notice('suppression-expired', d.file, offset, `${what} expired on ${d.until}, so the findings it silenced are reported again`, `ignore ${d.rules.join(',')} expired`);
    else if (!used.has(d.original)) notice('suppression-unused', d.file, offset, `${what} silences nothing (no such finding on the line it covers)`, `ignore ${d.rules.join(',')} unused`);
  }
  for (const e of input.exceptions) {
    if (e.baseline) continue;
    const what = `the exception for ${e.rules.join(', ')}`;
    if (!live(e.until)) notice('suppression-expired', e.at.file, e.at.start, `${what} expired on ${e.until}, so the findings it silenced are reported again`, `exception ${e.rules.join(',')} expired`);
    else if (!used.has(e)) notice('suppression-unused', e.at.file, e.at.start, `${what} silences nothing`, `exception ${e.rules.join(',')} unused`);
  }
  return out;
}

/**
 * An exception keyed by subject or scope silences only the RBAC findings of that subject at that
 * scope: never a capability of another subject, or the same one held somewhere else.
 */
function rbacMatches(e: Exception, f: Finding): boolean {
  if (!f.rbac) return false;
  if (e.scope && e.scope !== f.rbac.scope) return false;
  if (!e.subject) return true;
  const { kind, name, namespace } = e.subject;
  if (kind !== 'ServiceAccount') return f.rbac.subject === `${kind}:${name}`;
  const m = /^ServiceAccount:(.*)\/([^/]*)$/.exec(f.rbac.subject);
  return !!m && m[2] === name && (namespace === undefined || m[1] === namespace);
}

function lineStart(file: SourceFile, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset += file.line(l).length + 1;
  return offset;
}
