import type { CheckSummary } from '../check.js';
import type { Finding } from '../findings/finding.js';
import type { Severity } from '../rules/types.js';

/**
 * Escapes text from the repository (paths, values) for Markdown that GitHub renders: no HTML, no
 * link or emphasis syntax, and no `|` that would split a table cell.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/**
 * Our messages use `code` spans around values from the repository; inside a span only a `|` can
 * still break a table. Everything outside the spans is escaped.
 */
export function messageMarkdown(message: string): string {
  return message
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? part.replace(/\|/g, '\\|') : escapeMarkdown(part)))
    .join('');
}

const ICON: Record<Severity, string> = { error: '🔴 error', warning: '🟠 warning', notice: '🔵 notice' };

export interface SummaryOptions {
  /** Link to a line of a file, when the report knows where the files are hosted. */
  linkTo?: (file: string, line: number) => string;
  /** Upper bound of the Markdown's length; rows beyond it are counted, not lost silently. */
  maxLength: number;
  title?: string;
}

/** The job-summary / comment body: counts, then one row per finding, cut to `maxLength`. */
export function renderMarkdownSummary(findings: readonly Finding[], summary: CheckSummary, options: SummaryOptions): string {
  const { error, warning, notice } = summary.bySeverity;
  const head = [
    `## ${options.title ?? 'kubeharden'}`,
    '',
    `**${error}** errors, **${warning}** warnings, **${notice}** notices in ${summary.files} files (${summary.documents} documents).`,
    '',
  ];
  if (!findings.length) return [...head, 'No findings.', ''].join('\n');
  head.push('| Severity | Where | Rule | Finding |', '| --- | --- | --- | --- |');
  const lines = [...head];
  let length = lines.join('\n').length;
  let shown = 0;
  const reserve = 200;
  for (const f of findings) {
    const where = `${escapeMarkdown(f.file)}:${f.line}`;
    const location = options.linkTo ? `[${where}](${options.linkTo(f.file, f.line)})` : where;
    const row = `| ${ICON[f.severity]} | ${location} | [${f.ruleId}](${f.helpUri}) | ${messageMarkdown(f.message)} |`;
    if (length + row.length + 1 > options.maxLength - reserve) break;
    lines.push(row);
    length += row.length + 1;
    shown++;
  }
  if (shown < findings.length) {
    lines.push('', `… and ${findings.length - shown} more findings, not shown to stay within GitHub's size limit; the SARIF and JSON reports have all of them.`);
  }
  return lines.join('\n') + '\n';
}
