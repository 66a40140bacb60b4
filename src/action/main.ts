import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { check, type CheckSummary } from '../check.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { checkOptions } from '../config/options.js';
import { compareWithBase } from '../findings/baseline.js';
import { atOrAbove, type Finding } from '../findings/finding.js';
import { renderJson, type PullRequestContext } from '../report/json.js';
import { renderChangeSummary, renderMarkdownSummary } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { BUILTIN_RULES } from '../rules/builtin.js';
import type { Rule, Severity } from '../rules/types.js';
import { DirectoryTree } from '../source/tree.js';
import { baseTree, gitChange, headTree, listChangedFiles, type Change } from './change.js';
import { createClient, statusOf, type GitHubClient } from './client.js';
import { readEvent, type RunEvent } from './event.js';
import { InputError, readSettings, type Settings } from './inputs.js';
import { annotationOf, MAX_ANNOTATIONS, postedComments, publishCheckRun, publishReview, publishSummary, SUMMARY_MARKER, type Target } from './publish.js';
import { readReport, ReportError } from './report-input.js';
import { planReview } from './review.js';

/**
 * GitHub shows at most 10 annotations of each level per step ("10 warning + 10 error + 10 notice
 * per step", workflow commands docs); more are dropped silently, so we send 10 and say so.
 */
const ANNOTATIONS_PER_LEVEL = 10;
/** The job summary of a step is cut off above 1 MiB (workflow commands docs). */
const STEP_SUMMARY_LIMIT = 1024 * 1024;
/** An issue comment holds at most 65,536 characters, a check run summary 65,535. */
const COMMENT_LIMIT = 65_536;
const CHECK_SUMMARY_LIMIT = 65_535;

type Mode = 'new' | 'changed' | 'all';

/**
 * The Action. On a pull request: check head and base, classify findings new / existing / fixed,
 * post line comments, the summary comment and a check run, and fail on what `mode` counts. On any
 * other event: check the tree. With `report-from`: post a report an earlier run wrote.
 */
export async function run(): Promise<void> {
  try {
    const settings = readSettings();
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const event = readEvent();
    if (settings.reportFrom) {
      await postReport(settings, event, workspace);
      return;
    }
    const config = loadConfig(workspace, BUILTIN_RULES, settings.config || undefined);
    // KUBEHARDEN_TODAY pins the day end-of-life dates are judged against (reproducible runs).
    const today = process.env.KUBEHARDEN_TODAY && /^\d{4}-\d{2}-\d{2}$/.test(process.env.KUBEHARDEN_TODAY) ? process.env.KUBEHARDEN_TODAY : undefined;
    const options = checkOptions(BUILTIN_RULES, config, { kubernetesVersion: settings.kubernetesVersion || undefined, today });
    const failOn = settings.failOn ?? config.failOn ?? 'error';
    const mode: Mode = settings.mode ?? config.mode ?? 'new';

    if (event.kind === 'pull_request') {
      const client = settings.token ? createClient(settings.token) : undefined;
      const change = await changeOf(client, event, workspace, settings.paths);
      if (change) {
        const sources = { workspace, client, owner: event.owner, repo: event.repo };
        const head = await headTree(new DirectoryTree(workspace, settings.paths), change, event.headSha, sources);
        const base = await baseTree(head, change, event.baseSha, sources);
        const before = check(base, options);
        const after = check(head, { ...options, base: before.model });
        const findings = compareWithBase(after.findings, before.findings);
        const target = { owner: event.owner, repo: event.repo, number: event.number, headSha: event.headSha };
        const writable = !!client && !event.fork;
        if (event.fork) core.info('This pull request comes from a fork, whose token cannot write: no comments or check run; annotations, the job summary and the reports carry the findings.');
        await publish({ settings, client: writable ? client : undefined, target, baseSha: event.baseSha, findings, summary: after.summary, change, mode, failOn, rules: options.rules, workspace });
        return;
      }
      core.warning('The changed files could not be listed (no token, and the base commit is not in the clone): checking the whole tree, every finding counted.');
    }
    await checkTree(settings, options.rules, check(new DirectoryTree(workspace, settings.paths), options), failOn, workspace);
  } catch (error) {
    if (error instanceof InputError || error instanceof ConfigError || error instanceof ReportError) core.setFailed(error.message);
    else core.setFailed(`kubeharden: internal error: ${(error as Error)?.stack ?? String(error)}`);
  }
}

/** The pull request's changed files: from the API, else from git when both commits are in the clone. */
async function changeOf(client: GitHubClient | undefined, event: Extract<RunEvent, { kind: 'pull_request' }>, workspace: string, paths: readonly string[]): Promise<Change | undefined> {
  let change: Change | undefined;
  if (client) {
    try {
      change = await listChangedFiles(client, event.owner, event.repo, event.number);
      if (change.truncated) {
        const fromGit = gitChange(workspace, event.baseSha, event.headSha);
        core.warning(`GitHub lists at most 3,000 changed files; ${fromGit ? 'reading the change from git instead' : 'the clone does not have both commits to read the rest from git (fetch-depth: 0 would), so files past those are judged as unchanged'}.`);
        change = fromGit ?? change;
      }
    } catch (error) {
      core.warning(`The pull request's files could not be listed (HTTP ${statusOf(error) ?? '?'}: ${(error as Error).message}); trying git.`);
    }
  }
  change ??= gitChange(workspace, event.baseSha, event.headSha);
  if (!change || !paths.length) return change;
  // `paths` limits what is read on both sides.
  const within = (p: string) => paths.some((dir) => p === dir || p.startsWith(`${dir.replace(/\/$/, '')}/`));
  return { ...change, files: change.files.filter((f) => within(f.path) || (f.previous !== undefined && within(f.previous))) };
}

interface Publication {
  settings: Settings;
  /** Undefined when nothing may be written (fork, no token). */
  client: GitHubClient | undefined;
  target: Target;
  baseSha: string;
  findings: readonly Finding[];
  summary: CheckSummary;
  change: Change;
  mode: Mode;
  failOn: Severity | 'none';
  rules: readonly Rule[];
  workspace: string;
}

/** Reports a classified change everywhere it is asked for, then passes or fails. */
async function publish(p: Publication): Promise<void> {
  const { settings, target, mode, failOn } = p;
  const live = p.findings.filter((f) => !f.suppressed);
  const added = live.filter((f) => f.status === 'new');
  const fixed = live.filter((f) => f.status === 'fixed');
  const existing = live.filter((f) => f.status === 'existing');
  const changed = new Set(p.change.files.map((f) => f.path));
  const counted = mode === 'new' ? added : mode === 'changed' ? [...added, ...existing.filter((f) => changed.has(f.file))] : [...added, ...existing];
  const failing = counted.filter((f) => atOrAbove(f.severity, failOn));
  const findingsWord = (n: number) => (n === 1 ? 'finding' : 'findings');
  const what = (n: number) => (mode === 'new' ? `new ${findingsWord(n)}` : mode === 'changed' ? `${findingsWord(n)} in the changed files` : findingsWord(n));
  const gate = failOn === 'none' ? '' : ` at or above ${failOn}`;
  const verdict = failing.length ? `❌ **${failing.length}** ${what(failing.length)}${gate}: the check fails.` : `✅ No ${what(0)}${gate}.`;
  const links = blobLinks(target.owner, target.repo);
  const summaryInput = { added, fixed, existing, verdict, linkTo: links?.(target.headSha), linkToBase: links?.(p.baseSha) };

  let wrote = false;
  if (p.client) {
    const client = p.client;
    let denied = false;
    /**
     * Each part is sent on its own: a 403 (the token may not write) stops the writing, any other
     * refusal by GitHub is logged and the other parts still go out. Findings are never lost: the
     * job summary, the reports and the exit code carry them whatever GitHub says.
     */
    const attempt = async (part: string, send: () => Promise<void>): Promise<boolean> => {
      if (denied) return false;
      try {
        await send();
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === undefined) throw error;
        if (status === 403 || status === 404) {
          denied = true;
          core.warning(`The token cannot write to this pull request (HTTP ${status}: ${(error as Error).message}). Grant \`pull-requests: write\` and \`checks: write\`, or use the two-workflow pattern for forks (README); annotations, the job summary and the reports carry the findings.`);
        } else {
          core.warning(`GitHub refused the ${part} (HTTP ${status}: ${(error as Error).message}); the job summary and the reports carry the findings.`);
        }
        return false;
      }
    };
    const notes: string[] = [];
    if (settings.comment === 'review') {
      await attempt('review', async () => {
        const posted = await postedComments(client, target);
        const plan = planReview(counted, new Set(live.filter((f) => f.status !== 'fixed').map((f) => f.fingerprint)), p.change.files, posted);
        if (plan.summaryOnly.length) notes.push(`${plan.summaryOnly.length} of these are not commented on their lines: their files are not part of this pull request, or the comments would pass GitHub's limits.`);
        const written = await publishReview(client, target, plan, {
          requestChanges: settings.requestChanges && failing.length > 0,
          body: `kubeharden: ${verdict.replace(/\*\*/g, '')} The summary comment lists every finding.`,
        });
        core.info(`Review: ${written.comments} comments posted, ${written.edits} edited, ${written.minimized} minimized as resolved.`);
      });
    }
    if (settings.comment !== 'none') {
      await attempt('summary comment', async () => {
        const outcome = await publishSummary(client, target, renderChangeSummary({ ...summaryInput, notes, maxLength: COMMENT_LIMIT - 100, marker: SUMMARY_MARKER }));
        core.info(`Summary comment: ${outcome}.`);
      });
    }
    if (settings.checkRun) {
      wrote = await attempt('check run', async () => {
        const annotated = [...counted].sort(bySeverity).slice(0, MAX_ANNOTATIONS);
        const outcome = await publishCheckRun(client, target, {
          title: failing.length ? `${failing.length} ${what(failing.length)}${gate}` : `No ${what(0)}${gate}`,
          summary: renderChangeSummary({ ...summaryInput, notes: counted.length > annotated.length ? [`${counted.length - annotated.length} findings are not annotated (at most ${MAX_ANNOTATIONS}).`] : [], maxLength: CHECK_SUMMARY_LIMIT - 200 }),
          conclusion: failing.length ? 'failure' : counted.length ? 'neutral' : 'success',
          annotations: annotated.map(annotationOf),
        });
        core.info(`Check run: ${outcome}.`);
      });
    }
  }
  // The check run carries the annotations; without one, workflow commands do (10 per level).
  if (!wrote) annotate([...counted].sort(bySeverity));

  await writeJobSummary(renderChangeSummary({ ...summaryInput, maxLength: STEP_SUMMARY_LIMIT - 1024 }));
  const context: PullRequestContext = {
    repository: `${target.owner}/${target.repo}`,
    number: target.number,
    headSha: target.headSha,
    baseSha: p.baseSha,
    mode,
    failOn,
    changedFiles: [...changed],
  };
  writeReports(settings, p.workspace, p.findings, p.summary, p.rules, context);
  core.setOutput('new', added.length);
  core.setOutput('existing', existing.length);
  core.setOutput('fixed', fixed.length);
  setSeverityOutputs(live.filter((f) => f.status !== 'fixed'));
  if (failing.length) core.setFailed(`kubeharden: ${failing.length} ${what(failing.length)}${gate}`);
}

/** push, workflow_dispatch and the rest: the whole tree, every finding counted (mode all). */
async function checkTree(settings: Settings, rules: readonly Rule[], result: ReturnType<typeof check>, failOn: Severity | 'none', workspace: string): Promise<void> {
  const reported = result.findings.filter((f) => !f.suppressed);
  annotate(reported);
  const sha = process.env.GITHUB_SHA;
  const [owner = '', repo = ''] = (process.env.GITHUB_REPOSITORY ?? '/').split('/');
  const link = sha ? blobLinks(owner, repo)?.(sha) : undefined;
  const summary = renderMarkdownSummary(reported, result.summary, { ...(link ? { linkTo: link } : {}), maxLength: STEP_SUMMARY_LIMIT - 1024 });
  await writeJobSummary(summary);
  writeReports(settings, workspace, result.findings, result.summary, rules);
  setSeverityOutputs(reported);
  const failing = reported.filter((f) => atOrAbove(f.severity, failOn)).length;
  if (failing) core.setFailed(`kubeharden: ${failing} finding${failing === 1 ? '' : 's'} at or above ${failOn}`);
}

/**
 * `report-from`: the second workflow of the fork pattern. It posts a JSON report that a
 * `pull_request` run wrote, without checking out or running anything of the pull request: the
 * report is data, validated before use, and the pull request it names must still have the head
 * commit the report was made for.
 */
async function postReport(settings: Settings, event: RunEvent, workspace: string): Promise<void> {
  if (!settings.token) throw new InputError('input report-from needs github-token (with pull-requests: write and checks: write)');
  const report = readReport(path.resolve(workspace, settings.reportFrom));
  const pr = report.pullRequest;
  if (pr.repository !== `${event.owner}/${event.repo}`) throw new ReportError(`the report is for ${pr.repository}, not ${event.owner}/${event.repo}`);
  if (event.kind === 'workflow_run' && event.headSha !== pr.headSha) throw new ReportError(`the report is for commit ${pr.headSha}, but the workflow run is for ${event.headSha}`);
  const client = createClient(settings.token);
  const current = await client.rest.pulls.get({ owner: event.owner, repo: event.repo, pull_number: pr.number });
  if (current.data.head.sha !== pr.headSha) {
    core.info(`Pull request #${pr.number} has moved on to ${current.data.head.sha.slice(0, 12)}; the report for ${pr.headSha.slice(0, 12)} is not posted (the run for the new head will be).`);
    return;
  }
  const change = await listChangedFiles(client, event.owner, event.repo, pr.number);
  await publish({
    settings,
    client,
    target: { owner: event.owner, repo: event.repo, number: pr.number, headSha: pr.headSha },
    baseSha: pr.baseSha,
    findings: report.findings,
    summary: report.summary,
    change,
    mode: settings.mode ?? pr.mode,
    failOn: settings.failOn ?? pr.failOn,
    rules: BUILTIN_RULES,
    workspace,
  });
}

function bySeverity(a: Finding, b: Finding): number {
  const rank = { error: 0, warning: 1, notice: 2 };
  return rank[a.severity] - rank[b.severity];
}

function annotate(findings: readonly Finding[]): void {
  const sent: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) {
    if (sent[f.severity] >= ANNOTATIONS_PER_LEVEL) continue;
    sent[f.severity]++;
    const properties = {
      title: `${f.ruleId}`,
      file: f.file,
      startLine: f.line,
      endLine: f.endLine,
      ...(f.line === f.endLine ? { startColumn: f.column, endColumn: f.endColumn } : {}),
    };
    const text = `${f.message} ${f.remediation}`;
    if (f.severity === 'error') core.error(text, properties);
    else if (f.severity === 'warning') core.warning(text, properties);
    else core.notice(text, properties);
  }
  const dropped = findings.length - sent.error - sent.warning - sent.notice;
  if (dropped > 0) {
    core.info(`${dropped} more findings are not annotated (GitHub shows 10 per level per step); the job summary lists them.`);
  }
}

function blobLinks(owner: string, repo: string): ((sha: string) => (file: string, line: number) => string) | undefined {
  const server = process.env.GITHUB_SERVER_URL;
  if (!server || !owner || !repo) return undefined;
  return (sha) => (file, line) => `${server}/${owner}/${repo}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}

async function writeJobSummary(markdown: string): Promise<void> {
  // Runners without job summaries (older GHES, local runners) leave the variable unset.
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  else core.info('No job summary file (GITHUB_STEP_SUMMARY is not set); the summary is not written.');
}

function writeReports(settings: Settings, workspace: string, findings: readonly Finding[], summary: CheckSummary, rules: readonly Rule[], context?: PullRequestContext): void {
  if (settings.sarifFile) writeReport(workspace, settings.sarifFile, renderSarif(findings, rules));
  if (settings.jsonFile) writeReport(workspace, settings.jsonFile, renderJson(findings, summary, undefined, context));
  core.setOutput('sarif-file', settings.sarifFile);
  core.setOutput('json-file', settings.jsonFile);
}

function setSeverityOutputs(findings: readonly Finding[]): void {
  for (const severity of ['error', 'warning', 'notice'] as const) core.setOutput(`${severity}s`, findings.filter((f) => f.severity === severity).length);
}

function writeReport(workspace: string, file: string, content: string): void {
  const target = path.resolve(workspace, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
}
