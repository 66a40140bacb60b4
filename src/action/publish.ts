import { createHash } from 'node:crypto';
import * as core from '@actions/core';
import type { Finding } from '../findings/finding.js';
import type { GitHubClient } from './client.js';
import { markerOf, type PostedComment, type ReviewPlan } from './review.js';

/** Where the Action writes: the pull request and its head commit. */
export interface Target {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
}

export const CHECK_NAME = 'kubeharden';
export const SUMMARY_MARKER = '<!-- kubeharden:summary -->';
/** Check run annotations per request (GitHub refuses more). */
const ANNOTATION_BATCH = 50;
/** Beyond this many, annotations are left to the summary (each 50 cost a request). */
export const MAX_ANNOTATIONS = 500;
/** GraphQL mutations sent in one request. */
const MUTATION_BATCH = 50;

/** Comments by bots only: a marker a person pastes into their own comment is not ours to edit. */
function ours(user: { type?: string } | null | undefined): boolean {
  return user?.type === 'Bot';
}

/** Our review comments on the pull request, with whether each is minimized (one GraphQL read per 100). */
export async function postedComments(client: GitHubClient, t: Target): Promise<PostedComment[]> {
  const found: PostedComment[] = [];
  for await (const page of client.paginate.iterator(client.rest.pulls.listReviewComments, { owner: t.owner, repo: t.repo, pull_number: t.number, per_page: 100 })) {
    for (const c of page.data) {
      const fingerprint = markerOf(c.body);
      if (fingerprint) found.push({ id: c.id, nodeId: c.node_id, fingerprint, body: c.body, minimized: false, byBot: ours(c.user) });
    }
  }
  for (let i = 0; i < found.length; i += 100) {
    const batch = found.slice(i, i + 100);
    const result = await client.graphql<{ nodes: ({ id: string; isMinimized: boolean } | null)[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on PullRequestReviewComment { id isMinimized } } }',
      { ids: batch.map((c) => c.nodeId) },
    );
    const minimized = new Set(result.nodes.filter((n) => n?.isMinimized).map((n) => n!.id));
    for (const c of batch) c.minimized = minimized.has(c.nodeId);
  }
  return found;
}

/** Counts of what a publication wrote, for the log. */
export interface Written {
  comments: number;
  edits: number;
  minimized: number;
}

/**
 * Sends the plan: one review with every line comment (event COMMENT, or REQUEST_CHANGES when asked
 * and the check fails), then file-level comments, edits, and minimize/unminimize mutations batched
 * into as few GraphQL requests as they fit.
 */
export async function publishReview(client: GitHubClient, t: Target, plan: ReviewPlan, options: { requestChanges: boolean; body: string }): Promise<Written> {
  if (plan.inline.length) {
    await client.rest.pulls.createReview({
      owner: t.owner,
      repo: t.repo,
      pull_number: t.number,
      commit_id: t.headSha,
      event: options.requestChanges ? 'REQUEST_CHANGES' : 'COMMENT',
      body: options.body,
      comments: plan.inline.map((c) => ({ path: c.path, line: c.line!, side: 'RIGHT' as const, body: c.body })),
    });
  }
  for (const c of plan.fileLevel) {
    await client.rest.pulls.createReviewComment({ owner: t.owner, repo: t.repo, pull_number: t.number, commit_id: t.headSha, path: c.path, subject_type: 'file', body: c.body });
  }
  for (const e of plan.edits) await client.rest.pulls.updateReviewComment({ owner: t.owner, repo: t.repo, comment_id: e.id, body: e.body });
  const mutations = [
    ...plan.minimize.map((c) => `minimizeComment(input: {subjectId: ${JSON.stringify(c.nodeId)}, classifier: RESOLVED}) { minimizedComment { isMinimized } }`),
    ...plan.unminimize.map((c) => `unminimizeComment(input: {subjectId: ${JSON.stringify(c.nodeId)}}) { unminimizedComment { isMinimized } }`),
  ];
  for (let i = 0; i < mutations.length; i += MUTATION_BATCH) {
    const batch = mutations.slice(i, i + MUTATION_BATCH).map((m, j) => `m${i + j}: ${m}`);
    await client.graphql(`mutation { ${batch.join(' ')} }`);
  }
  return { comments: plan.inline.length + plan.fileLevel.length, edits: plan.edits.length, minimized: plan.minimize.length };
}

/** The one summary comment of the pull request, found by its marker and edited in place; nothing sent when unchanged. */
export async function publishSummary(client: GitHubClient, t: Target, body: string): Promise<'created' | 'updated' | 'unchanged'> {
  let existing: { id: number; body: string } | undefined;
  for await (const page of client.paginate.iterator(client.rest.issues.listComments, { owner: t.owner, repo: t.repo, issue_number: t.number, per_page: 100 })) {
    const match = page.data.find((c) => c.body?.includes(SUMMARY_MARKER) && ours(c.user));
    if (match) {
      existing = { id: match.id, body: match.body ?? '' };
      break;
    }
  }
  if (existing?.body === body) return 'unchanged';
  if (existing) {
    await client.rest.issues.updateComment({ owner: t.owner, repo: t.repo, comment_id: existing.id, body });
    return 'updated';
  }
  await client.rest.issues.createComment({ owner: t.owner, repo: t.repo, issue_number: t.number, body });
  return 'created';
}

type Annotation = {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title: string;
};

const LEVEL: Record<Finding['severity'], Annotation['annotation_level']> = { error: 'failure', warning: 'warning', notice: 'notice' };

export function annotationOf(f: Finding): Annotation {
  return {
    path: f.file,
    start_line: f.line,
    end_line: Math.max(f.endLine, f.line),
    ...(f.line === f.endLine ? { start_column: f.column, end_column: Math.max(f.endColumn, f.column) } : {}),
    annotation_level: LEVEL[f.severity],
    title: `${f.ruleId} (${f.severity})`.slice(0, 255),
    message: `${f.message}\n\n${f.remediation}`.slice(0, 64_000),
  };
}

export interface CheckOutput {
  title: string;
  summary: string;
  conclusion: 'success' | 'failure' | 'neutral';
  annotations: Annotation[];
}

/**
 * The check run on the head commit: created in progress with the first 50 annotations, given the
 * rest 50 at a time, completed with the conclusion. When the latest run of the same name already
 * says exactly this (a re-run on the same commit), nothing is sent.
 */
export async function publishCheckRun(client: GitHubClient, t: Target, output: CheckOutput): Promise<'created' | 'unchanged'> {
  const digest = createHash('sha256').update(JSON.stringify(output)).digest('hex').slice(0, 16);
  const marker = `<!-- kubeharden:check ${digest} -->`;
  const summary = `${output.summary}\n${marker}`;
  const latest = await client.rest.checks.listForRef({ owner: t.owner, repo: t.repo, ref: t.headSha, check_name: CHECK_NAME, filter: 'latest', per_page: 1 });
  const previous = latest.data.check_runs[0];
  if (previous?.status === 'completed' && previous.output.summary?.includes(marker)) return 'unchanged';
  const batches: Annotation[][] = [];
  for (let i = 0; i < output.annotations.length; i += ANNOTATION_BATCH) batches.push(output.annotations.slice(i, i + ANNOTATION_BATCH));
  const created = await client.rest.checks.create({
    owner: t.owner,
    repo: t.repo,
    name: CHECK_NAME,
    head_sha: t.headSha,
    status: 'in_progress',
    output: { title: output.title, summary, annotations: batches[0] ?? [] },
  });
  const id = created.data.id;
  for (let i = 1; i < batches.length - 1; i++) {
    await client.rest.checks.update({ owner: t.owner, repo: t.repo, check_run_id: id, output: { title: output.title, summary, annotations: batches[i]! } });
  }
  await client.rest.checks.update({
    owner: t.owner,
    repo: t.repo,
    check_run_id: id,
    status: 'completed',
    conclusion: output.conclusion,
    completed_at: new Date().toISOString(),
    output: { title: output.title, summary, ...(batches.length > 1 ? { annotations: batches[batches.length - 1]! } : {}) },
  });
  core.info(`Check run ${CHECK_NAME}: ${output.conclusion}, ${output.annotations.length} annotations.`);
  return 'created';
}
