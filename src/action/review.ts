import type { Finding } from '../findings/finding.js';
import { messageMarkdown } from '../report/markdown.js';
import type { ChangedFile } from './change.js';
import { commentableLines } from './diff.js';

/** GitHub's abuse detection answers 403 to reviews with many comments; reviewdog settled on 30. */
export const MAX_INLINE_COMMENTS = 30;
/** File-level comments cost one request each. */
export const MAX_FILE_COMMENTS = 10;

const MARKER = /<!-- kubeharden:finding ([0-9a-f]{8,64}) -->/;

/** The hidden marker that ties a comment to a finding across runs and commits. */
export function findingMarker(fingerprint: string): string {
  return `<!-- kubeharden:finding ${fingerprint} -->`;
}

export function markerOf(body: string): string | undefined {
  return MARKER.exec(body)?.[1];
}

/** One of our review comments already on the pull request. */
export interface PostedComment {
  id: number;
  nodeId: string;
  fingerprint: string;
  body: string;
  minimized: boolean;
  /** Written by a bot (the workflow token's github-actions[bot], a GitHub App): only those are edited or folded. */
  byBot: boolean;
}

export interface PlannedComment {
  fingerprint: string;
  path: string;
  /** Absent for a file-level comment. */
  line?: number;
  body: string;
}

export interface ReviewPlan {
  /** New line comments, sent together in one review. */
  inline: PlannedComment[];
  /** Comments on a changed file, for findings outside its hunks. */
  fileLevel: PlannedComment[];
  /** Posted comments whose text changed (a rule's message improved, a severity was tuned). */
  edits: { id: number; body: string }[];
  /** Posted comments of findings that are gone: folded as resolved. */
  minimize: PostedComment[];
  /** Posted comments of findings that came back. */
  unminimize: PostedComment[];
  /** Findings to comment on that no comment could carry (unchanged files, over the caps): the summary lists them. */
  summaryOnly: Finding[];
}

const SEVERITY: Record<Finding['severity'], string> = { error: '🔴 **error**', warning: '🟠 **warning**', notice: '🔵 **notice**' };

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The body of a comment on a finding: what, why, how to fix (with a suggestion when it is certain). */
export function commentBody(f: Finding, options: { suggestion: boolean; outsideHunk?: boolean }): string {
  const cis = f.cis.length ? ` · CIS ${f.cis.join(', ')}` : '';
  const lines = [
    `${SEVERITY[f.severity]} [\`${f.ruleId}\`](${f.helpUri})${cis}${options.outsideHunk ? ` · line ${f.line}, outside the lines this pull request changes` : ''}`,
    '',
    messageMarkdown(f.message),
    '',
    messageMarkdown(f.remediation),
  ];
  if (options.suggestion && f.fix) {
    const marks = fence(f.fix.replacement);
    lines.push('', `${marks}suggestion`, f.fix.replacement, marks);
  }
  lines.push('', findingMarker(f.fingerprint));
  return lines.join('\n');
}

/**
 * What to post, edit and fold so that the pull request's comments say exactly what is true now:
 * each finding to comment on gets one comment (found again by its marker on later runs, so it is
 * never posted twice), on its line when the line is in a hunk of the diff (the only lines GitHub
 * accepts; a suggestion only when the fix replaces that very line), on its file otherwise, and in
 * the summary when the file did not change or the caps are reached. Comments of findings that are
 * gone are minimized, never deleted, so the discussion stays. A marker in anyone's comment stops a
 * second comment on the finding, but only a bot's comments are edited or folded: a person's words
 * are theirs.
 */
export function planReview(toComment: readonly Finding[], current: ReadonlySet<string>, files: readonly ChangedFile[], posted: readonly PostedComment[]): ReviewPlan {
  const plan: ReviewPlan = { inline: [], fileLevel: [], edits: [], minimize: [], unminimize: [], summaryOnly: [] };
  const byPath = new Map(files.filter((f) => f.status !== 'removed').map((f) => [f.path, f]));
  const postedByFingerprint = new Map(posted.map((p) => [p.fingerprint, p]));
  for (const f of toComment) {
    const file = byPath.get(f.file);
    const lines = file?.hunks ? commentableLines(file.hunks) : undefined;
    const inHunk = lines?.has(f.line) ?? false;
    const body = commentBody(f, { suggestion: inHunk && f.fix?.line === f.line, outsideHunk: !inHunk });
    const existing = postedByFingerprint.get(f.fingerprint);
    if (existing) {
      if (existing.byBot && existing.minimized) plan.unminimize.push(existing);
      if (existing.byBot && existing.body !== body) plan.edits.push({ id: existing.id, body });
      continue;
    }
    if (!file) plan.summaryOnly.push(f);
    else if (inHunk && plan.inline.length < MAX_INLINE_COMMENTS) plan.inline.push({ fingerprint: f.fingerprint, path: f.file, line: f.line, body });
    else if (!inHunk && plan.fileLevel.length < MAX_FILE_COMMENTS) plan.fileLevel.push({ fingerprint: f.fingerprint, path: f.file, body });
    else plan.summaryOnly.push(f);
  }
  for (const p of posted) if (p.byBot && !current.has(p.fingerprint) && !p.minimized) plan.minimize.push(p);
  return plan;
}
