import type { CheckSummary } from '../check.js';
import { DOCS_BASE, type Finding } from '../findings/finding.js';
import type { Severity } from '../rules/types.js';

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', notice: '\x1b[36m' };
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/**
 * `file:line:col severity ruleId message`, grouped by file, with the remediation under each
 * finding: the first part is what editors and terminals turn into a link to the line.
 */
export function renderText(findings: readonly Finding[], summary: CheckSummary, options: { colour: boolean; base?: string }): string {
  const paint = (code: string, text: string) => (options.colour ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  let file: string | undefined;
  const current = findings.filter((f) => f.status !== 'fixed' && !f.suppressed);
  for (const f of current) {
    if (f.file !== file) {
      if (file !== undefined) lines.push('');
      file = f.file;
    }
    const tag = f.status === 'new' ? ` ${paint(BOLD, '(new)')}` : '';
    lines.push(`${f.file}:${f.line}:${f.column} ${paint(COLOURS[f.severity], f.severity)} ${f.ruleId}${tag} ${f.message}`);
    lines.push(paint(DIM, `    ${f.remediation}`));
  }
  const fixed = findings.filter((f) => f.status === 'fixed');
  if (fixed.length) {
    if (current.length) lines.push('');
    lines.push(`Fixed since ${options.base ?? 'the base'} (where they were):`);
    for (const f of fixed) lines.push(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}`);
  }
  if (findings.length) lines.push('');
  lines.push(summaryLine(summary) + (options.base ? baseLine(findings, options.base) : ''));
  if (current.length) lines.push(paint(DIM, `Each rule is explained by \`kubeharden explain <rule-id>\` and at ${DOCS_BASE}<rule-id>.md`));
  return lines.join('\n') + '\n';
}

function baseLine(findings: readonly Finding[], base: string): string {
  const count = (status: Finding['status']) => findings.filter((f) => f.status === status).length;
  return `; against ${base}: ${count('new')} new, ${count('existing')} existing, ${count('fixed')} fixed`;
}

export function summaryLine(summary: CheckSummary): string {
  const { error, warning, notice } = summary.bySeverity;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const total = error + warning + notice;
  const found = total ? `${count(error, 'error')}, ${count(warning, 'warning')}, ${count(notice, 'notice')}` : 'no findings';
  const silenced = summary.suppressed ? `, ${summary.suppressed} suppressed` : '';
  return `${found}${silenced} in ${count(summary.files, 'file')} (${count(summary.documents, 'document')})`;
}
