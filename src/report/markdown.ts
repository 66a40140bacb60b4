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

export interface ChangeSummaryInput {
  /** Findings the change brings. */
  added: readonly Finding[];
  /** Findings the change removes (at their base location). */
  fixed: readonly Finding[];
  /** Findings that were there before and still are. */
  existing: readonly Finding[];
  /** The verdict line: what fails the check, or that nothing does. */
  verdict: string;
  /** Findings not commented on their lines, and why (listed under the new ones). */
  notes?: readonly string[];
  /** Link to a head line, and to a base line for fixed findings. */
  linkTo?: (file: string, line: number) => string;
  linkToBase?: (file: string, line: number) => string;
  /** Upper bound of the Markdown's length (a comment: 65,536; a check run summary: 65,535). */
  maxLength: number;
  /** Hidden marker at the end, to find the comment again. */
  marker?: string;
}

/**
 * The summary of a change, for the sticky pull request comment, the check run and the job summary:
 * the verdict, counts, the new findings with links to their lines, the fixed ones, and the ones
 * already there folded. Rows that do not fit are counted, never dropped silently.
 */
export function renderChangeSummary(input: ChangeSummaryInput): string {
  const out: string[] = [
    '## kubeharden',
    '',
    input.verdict,
    '',
    `**${input.added.length}** new · **${input.fixed.length}** fixed${input.fixed.length ? ' 🎉' : ''} · **${input.existing.length}** already there`,
    '',
  ];
  const tail = ['', input.marker ?? ''];
  // Each of the three sections' heading, table header and "… and N more" line fit in 300 characters.
  let budget = input.maxLength - out.join('\n').length - tail.join('\n').length - (input.notes ?? []).join('\n\n').length - 3 * 300;
  const table = (findings: readonly Finding[], link: ((file: string, line: number) => string) | undefined): { rows: string[]; left: number } => {
    const rows = ['| Severity | Where | Rule | Finding |', '| --- | --- | --- | --- |'];
    let shown = 0;
    for (const f of findings) {
      const where = `${escapeMarkdown(f.file)}:${f.line}`;
      const row = `| ${ICON[f.severity]} | ${link ? `[${where}](${link(f.file, f.line)})` : where} | [${f.ruleId}](${f.helpUri}) | ${messageMarkdown(f.message)} |`;
      if (row.length + 1 > budget) break;
      rows.push(row);
      budget -= row.length + 1;
      shown++;
    }
    return { rows, left: findings.length - shown };
  };
  const section = (title: string, findings: readonly Finding[], link: ((file: string, line: number) => string) | undefined, folded: boolean) => {
    if (!findings.length) return;
    const { rows, left } = table(findings, link);
    const more = left ? [`… and ${left} more, not shown to stay within GitHub's size limit; the SARIF and JSON reports have all of them.`] : [];
    if (folded) out.push(`<details><summary>${title} (${findings.length})</summary>`, '', ...rows, '', ...more, '</details>', '');
    else out.push(`### ${title}`, '', ...rows, '', ...more);
  };
  section('New', input.added, input.linkTo, false);
  for (const note of input.notes ?? []) out.push(note, '');
  section('Fixed', input.fixed, input.linkToBase, false);
  section('Already there', input.existing, input.linkTo, true);
  return [...out, ...tail].join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
