import type { CheckSummary } from '../check.js';
import type { Finding } from '../findings/finding.js';
import type { Severity } from '../rules/types.js';

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', notice: '\x1b[36m' };
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * `file:line:col severity ruleId message`, grouped by file, with the remediation under each
 * finding: the first part is what editors and terminals turn into a link to the line.
 */
export function renderText(findings: readonly Finding[], summary: CheckSummary, options: { colour: boolean }): string {
  const paint = (code: string, text: string) => (options.colour ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  let file: string | undefined;
  for (const f of findings) {
    if (f.file !== file) {
      if (file !== undefined) lines.push('');
      file = f.file;
    }
    lines.push(`${f.file}:${f.line}:${f.column} ${paint(COLOURS[f.severity], f.severity)} ${f.ruleId} ${f.message}`);
    lines.push(paint(DIM, `    ${f.remediation}`));
  }
  if (findings.length) lines.push('');
  lines.push(summaryLine(summary));
  return lines.join('\n') + '\n';
}

export function summaryLine(summary: CheckSummary): string {
  const { error, warning, notice } = summary.bySeverity;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const total = error + warning + notice;
  const found = total ? `${count(error, 'error')}, ${count(warning, 'warning')}, ${count(notice, 'notice')}` : 'no findings';
  return `${found} in ${count(summary.files, 'file')} (${count(summary.documents, 'document')})`;
}
