import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { Repository, pullRequestEvent, runAction } from './github/scenario.js';
import { FakeGitHub } from './github/server.js';

const HARDENED = path.join(REPO, 'examples', 'hardened-kubeadm');
const controlPlane = Object.fromEntries(readdirSync(HARDENED).map((f) => [`clusters/prod/control-plane/${f}`, readFileSync(path.join(HARDENED, f), 'utf8')]));
const ETCD = 'clusters/prod/control-plane/etcd.yaml';
const ROLE = 'clusters/prod/rbac/operator.yaml';
const clusterRole = (verbs: string) =>
  ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: widget-operator', 'rules:', '  - apiGroups: ["apps"]', '    resources: ["deployments"]', `    verbs: ${verbs}`, ''].join('\n');

let github: FakeGitHub;
let repo: Repository;
let baseSha: string;

beforeEach(async () => {
  github = new FakeGitHub();
  await github.start();
  repo = new Repository();
  baseSha = repo.commit(controlPlane, 'hardened control plane');
});

afterEach(async () => {
  expect(github.violations).toEqual([]);
  await github.stop();
});

/** Opens (or updates) pull request 7 at the repository's current commit. */
function openPullRequest(headSha: string, headRepo?: string) {
  github.pulls.set(7, { number: 7, headSha, baseSha, headRepo: headRepo ?? `${github.owner}/${github.repo}`, files: repo.changedFiles(baseSha, headSha) });
  return pullRequestEvent(github, 7, headSha, baseSha, headRepo);
}

const WRITE = { 'github-token': 'ghs_write_token' };

async function review(event: unknown, inputs: Record<string, string> = WRITE, workspace = repo.dir) {
  const before = github.requests.length;
  const run = await runAction(github, { workspace, eventName: 'pull_request', event, inputs });
  const requests = github.requests.slice(before);
  return { ...run, requests, writes: requests.filter((r) => r.method !== 'GET' && !(r.operation === 'graphql' && !String((r.body as { query: string }).query).startsWith('mutation'))) };
}

describe('a pull request that weakens etcd TLS and adds a wildcard ClusterRole', () => {
  it('gets line comments (with a suggestion for the flag), a failing check run with annotations and a summary of 2 new, 0 fixed; a re-run writes nothing; the fix minimizes both and passes', async () => {
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ [ETCD]: etcd, [ROLE]: clusterRole('["*"]') }, 'weaken etcd, add operator role');
    const event = openPullRequest(head);

    const first = await review(event);
    expect(first.code).toBe(1);
    // One review with both line comments, on the changed lines.
    expect(github.reviews).toHaveLength(1);
    expect(github.reviews[0]).toMatchObject({ event: 'COMMENT', commit_id: head });
    const comments = github.reviewComments.map((c) => ({ path: c.path, line: c.line }));
    expect(comments).toEqual([
      { path: ETCD, line: etcd.split('\n').findIndex((l) => l.includes('--client-cert-auth=false')) + 1 },
      { path: ROLE, line: 6 },
    ]);
    const etcdComment = github.reviewComments[0]!.body;
    expect(etcdComment).toContain('```suggestion\n    - --client-cert-auth=true\n```');
    expect(etcdComment).toContain('[`etcd-client-cert-auth`](https://github.com/kubeharden/kubeharden/blob/main/docs/rules/etcd-client-cert-auth.md)');
    expect(github.reviewComments[1]!.body).not.toContain('suggestion');
    // A failing check run on the head commit, in progress then completed, with both annotations.
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ head_sha: head, status: 'completed', conclusion: 'failure', name: 'kubeharden' });
    expect(github.checkRuns[0]!.annotations).toEqual([
      expect.objectContaining({ path: ETCD, annotation_level: 'failure', title: 'etcd-client-cert-auth (error)' }),
      expect.objectContaining({ path: ROLE, start_line: 6, annotation_level: 'notice' }),
    ]);
    const created = first.requests.find((r) => r.operation === 'checks/create')!;
    expect((created.body as { status: string }).status).toBe('in_progress');
    // The sticky summary: 2 new, 0 fixed, with links to the head's lines.
    expect(github.issueComments).toHaveLength(1);
    const summary = github.issueComments[0]!.body;
    expect(summary).toContain('**2** new · **0** fixed');
    expect(summary).toContain(`(https://github.com/octo/cluster-config/blob/${head}/clusters/prod/control-plane/etcd.yaml#L`);
    expect(summary).toContain('<!-- kubeharden:summary -->');
    expect(first.summary).toContain('**2** new · **0** fixed');
    expect(first.outputs).toMatchObject({ new: '2', fixed: '0', existing: '0' });
    // Request budget: ceil(files/100) + ceil(annotations/50) + 6 = 8, and that is what it takes.
    expect(first.requests.map((r) => r.operation)).toEqual([
      'pulls/list-files',
      'pulls/list-review-comments',
      'pulls/create-review',
      'issues/list-comments',
      'issues/create-comment',
      'checks/list-for-ref',
      'checks/create',
      'checks/update',
    ]);

    // The same run again: everything is already there, nothing is written.
    const again = await review(event);
    expect(again.code).toBe(1);
    expect(again.writes).toEqual([]);
    expect(again.requests.map((r) => r.operation)).toEqual(['pulls/list-files', 'pulls/list-review-comments', 'graphql', 'issues/list-comments', 'checks/list-for-ref']);
    expect(github.reviewComments).toHaveLength(2);
    expect(github.issueComments).toHaveLength(1);

    // The fix is pushed: both comments are folded as resolved, the check passes.
    const fixed = repo.commit({ [ETCD]: controlPlane[ETCD]!, [ROLE]: clusterRole('["get", "list", "watch"]') }, 'fix');
    const afterFix = await review(openPullRequest(fixed));
    expect(afterFix.code).toBe(0);
    expect(github.reviewComments.map((c) => c.minimized)).toEqual([true, true]);
    // Both comments folded in one GraphQL mutation; the summary edited; a new check run.
    expect(afterFix.writes.map((r) => r.operation)).toEqual(['graphql', 'issues/update-comment', 'checks/create', 'checks/update']);
    expect(github.checkRuns.filter((c) => c.head_sha === fixed)).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
    expect(github.issueComments).toHaveLength(1);
    expect(github.issueComments[0]!.body).toContain('**0** new');
    expect(github.issueComments[0]!.body).toContain('✅ No new findings at or above error.');
    // No new review when there is nothing new to say.
    expect(github.reviews).toHaveLength(1);
  }, 60_000);

  it('from a fork: exits non-zero with annotations and a job summary, and writes nothing', async () => {
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ [ETCD]: etcd, [ROLE]: clusterRole('["*"]') });
    const run = await review(openPullRequest(head, 'contributor/cluster-config'), { 'github-token': 'ghs_read_token' });
    expect(run.code).toBe(1);
    expect(run.writes).toEqual([]);
    expect(run.stdout).toContain('comes from a fork');
    expect(run.stdout).toMatch(/^::error title=etcd-client-cert-auth,file=clusters\/prod\/control-plane\/etcd.yaml,line=\d+/m);
    expect(run.stdout).toMatch(/^::notice title=rbac-wildcard,file=clusters\/prod\/rbac\/operator.yaml,line=6/m);
    expect(run.summary).toContain('**2** new · **0** fixed');
  }, 30_000);
});

describe('the review never sinks on GitHub\'s rules', () => {
  it('puts a finding outside the diff\'s hunks on its file, not on a line GitHub would refuse', async () => {
    // The first change makes the flag's finding; the second is 40 lines away in the same file.
    const apiserver = 'clusters/prod/control-plane/kube-apiserver.yaml';
    const text = controlPlane[apiserver]!;
    const lines = text.split('\n');
    const profiling = lines.findIndex((l) => l.includes('--profiling=false'));
    expect(profiling).toBeGreaterThan(0);
    // Remove the flag (the finding lands on the block that should set it, outside the hunk) and
    // touch the end of the file.
    const head = repo.commit({ [apiserver]: lines.filter((_, i) => i !== profiling).join('\n') + '\n# reviewed\n' });
    const run = await review(openPullRequest(head));
    expect(run.requests.filter((r) => r.status === 422)).toEqual([]);
    const onFile = github.reviewComments.filter((c) => c.subject_type === 'file');
    const onLines = github.reviewComments.filter((c) => c.subject_type === 'line');
    expect([...onFile, ...onLines].length).toBeGreaterThan(0);
    for (const c of onLines) expect(github.pulls.get(7)!.files.find((f) => f.filename === c.path)).toBeDefined();
  }, 30_000);

  it('waits out a secondary rate limit and posts everything once', async () => {
    github.secondaryRateLimits = 1;
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ [ETCD]: etcd });
    const run = await review(openPullRequest(head));
    expect(run.requests.filter((r) => r.status === 403)).toHaveLength(1);
    expect(run.stdout).toContain('secondary rate limit');
    expect(github.reviews).toHaveLength(1);
    expect(github.reviewComments).toHaveLength(1);
  }, 30_000);

  it('with a read-only token on its own repository: says why, annotates, and fails on the gate', async () => {
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ [ETCD]: etcd });
    const run = await review(openPullRequest(head), { 'github-token': 'ghs_read_token' });
    expect(run.code).toBe(1);
    expect(run.requests.filter((r) => r.status === 403).length).toBe(1);
    expect(run.stdout).toContain('The token cannot write to this pull request (HTTP 403');
    expect(run.stdout).toMatch(/^::error title=etcd-client-cert-auth/m);
  }, 30_000);
});

describe('the change', () => {
  it('lists 250 changed files in 3 requests and stays within the request budget', async () => {
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`apps/cm-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  k: v\n`]));
    const head = repo.commit(many);
    const run = await review(openPullRequest(head));
    expect(run.code).toBe(0);
    expect(run.requests.filter((r) => r.operation === 'pulls/list-files')).toHaveLength(3);
    expect(run.requests.length).toBeLessThanOrEqual(Math.ceil(250 / 100) + 1 + 6);
  }, 30_000);

  it('past GitHub\'s 3,000 listed files, reads the change from git and still finds what is beyond', async () => {
    const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`apps/cm-${String(i).padStart(4, '0')}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`]));
    // Moved to the end of the listing, where GitHub stops.
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ ...many, [ETCD]: null, [`zz/${ETCD}`]: etcd });
    const run = await review(openPullRequest(head));
    expect(github.pulls.get(7)!.files.length).toBeGreaterThan(3000);
    expect(run.requests.filter((r) => r.operation === 'pulls/list-files')).toHaveLength(30);
    expect(run.stdout).toContain('GitHub lists at most 3,000 changed files; reading the change from git instead');
    expect(github.reviewComments.map((c) => c.path)).toEqual([`zz/${ETCD}`]);
    expect(run.code).toBe(1);
  }, 120_000);

  it('reads a base file through the contents API when GitHub sends no patch and the clone has no history', async () => {
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ [ETCD]: etcd });
    const event = openPullRequest(head);
    for (const f of github.pulls.get(7)!.files) delete f.patch; // as for a large diff
    github.contents.set(baseSha, new Map([[ETCD, controlPlane[ETCD]!]]));
    // A workspace with the head's files and no git objects at all.
    const workspace = mkdtempSync(path.join(tmpdir(), 'kubeharden-no-git-'));
    for (const [rel, text] of Object.entries({ ...controlPlane, [ETCD]: etcd })) {
      mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      writeFileSync(path.join(workspace, rel), text);
    }
    const run = await review(event, { ...WRITE, comment: 'summary', 'check-run': 'false' }, workspace);
    expect(run.requests.filter((r) => r.operation === 'repos/get-content').map((r) => r.query.ref)).toEqual([baseSha]);
    expect(run.outputs).toMatchObject({ new: '1', existing: '0' });
  }, 30_000);

  it('reports line numbers of the head when the workflow checked out a merge commit', async () => {
    const head = repo.commit({ [ETCD]: controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false') });
    // main moves on, and the runner checks out the merge of the pull request into it: two lines
    // added at the top of etcd.yaml shift every line of the merge by two.
    repo.checkout(baseSha);
    const main = repo.commit({ [ETCD]: `# owned by the platform team\n# see RUNBOOK.md\n${controlPlane[ETCD]!}` }, 'main moves on');
    repo.git('merge', '-q', '--no-edit', head);
    expect(repo.git('rev-parse', 'HEAD^1')).toBe(main);
    const event = openPullRequest(head);
    const run = await review(event);
    const line = controlPlane[ETCD]!.split('\n').findIndex((l) => l.includes('--client-cert-auth=true')) + 1;
    expect(run.stdout).toContain('not the pull request\'s head');
    expect(github.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual([`${ETCD}:${line}`]);
  }, 30_000);

  it('counts a deleted file: removing the EncryptionConfiguration the API server names is a finding on the flag', async () => {
    const head = repo.commit({ 'clusters/prod/control-plane/encryption-config.yaml': null });
    const run = await review(openPullRequest(head));
    const json = github.issueComments[0]?.body ?? '';
    expect(json).toContain('**1** new');
    expect(json).toMatch(/kube-apiserver\.yaml:\d+/);
    expect(json).toContain('names `clusters/prod/control-plane/encryption-config.yaml`, which this change deletes');
    expect(run.outputs.new).toBe('1');
  }, 30_000);
});

describe('the two-workflow pattern for forks', () => {
  it('the pull_request run writes the report; the workflow_run run posts it without a checkout', async () => {
    const etcd = controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false');
    const head = repo.commit({ [ETCD]: etcd, [ROLE]: clusterRole('["*"]') });
    const event = openPullRequest(head, 'contributor/cluster-config');
    const reports = mkdtempSync(path.join(tmpdir(), 'kubeharden-artifact-'));
    const first = await review(event, { 'github-token': 'ghs_read_token', 'json-file': path.join(reports, 'kubeharden.json') });
    expect(first.code).toBe(1);
    expect(first.writes).toEqual([]);

    // The second workflow: base repository token, the artifact downloaded, nothing checked out.
    const empty = mkdtempSync(path.join(tmpdir(), 'kubeharden-workflow-run-'));
    writeFileSync(path.join(empty, 'kubeharden.json'), readFileSync(path.join(reports, 'kubeharden.json')));
    const second = await runAction(github, {
      workspace: empty,
      eventName: 'workflow_run',
      event: { action: 'completed', workflow_run: { head_sha: head, event: 'pull_request', pull_requests: [] }, repository: { full_name: 'octo/cluster-config' } },
      inputs: { 'github-token': 'ghs_write_token', 'report-from': 'kubeharden.json' },
    });
    expect(second.code).toBe(1);
    expect(github.reviewComments).toHaveLength(2);
    expect(github.checkRuns).toMatchObject([{ head_sha: head, conclusion: 'failure' }]);
    expect(github.issueComments[0]!.body).toContain('**2** new · **0** fixed');
  }, 30_000);

  it('refuses a report whose paths leave the repository', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kubeharden-workflow-run-'));
    const head = 'a'.repeat(40);
    writeFileSync(
      path.join(empty, 'r.json'),
      JSON.stringify({
        version: 1,
        pullRequest: { repository: 'octo/cluster-config', number: 7, headSha: head, baseSha: 'b'.repeat(40), mode: 'new', failOn: 'error', changedFiles: [] },
        findings: [{ ruleId: 'x', severity: 'error', area: 'etcd-tls', cis: [], file: '../../etc/passwd', line: 1, column: 1, endLine: 1, endColumn: 1, message: 'm', remediation: 'r', fingerprint: 'abcdef0123456789', helpUri: 'javascript:alert(1)' }],
        summary: { files: 1, documents: 1, bySeverity: { error: 1, warning: 0, notice: 0 }, suppressed: 0 },
      }),
    );
    const run = await runAction(github, {
      workspace: empty,
      eventName: 'workflow_run',
      event: { workflow_run: { head_sha: head } },
      inputs: { 'github-token': 'ghs_write_token', 'report-from': 'r.json' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('findings[0]: file is not a path inside the repository');
    expect(github.requests).toEqual([]);
  }, 30_000);
});

describe('the token', () => {
  it('is never printed', async () => {
    const head = repo.commit({ [ETCD]: controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false') });
    const run = await review(openPullRequest(head), { 'github-token': 'ghs_write_token', 'json-file': 'out.json', 'sarif-file': 'out.sarif' });
    expect(run.stdout).not.toContain('ghs_write_token');
    expect(run.summary).not.toContain('ghs_write_token');
    for (const f of ['out.json', 'out.sarif']) expect(readFileSync(path.join(repo.dir, f), 'utf8')).not.toContain('ghs_write_token');
    for (const c of [...github.reviewComments, ...github.issueComments]) expect(c.body).not.toContain('ghs_write_token');
  }, 30_000);
});

describe('many findings', () => {
  it('120 new findings: 30 line comments, the rest in the summary, annotations in batches of 50, within the request budget', async () => {
    const roles = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`rbac/role-${i}.yaml`, clusterRole('["*"]').replace('widget-operator', `operator-${i}`)]));
    const head = repo.commit(roles);
    const run = await review(openPullRequest(head));
    expect(run.code).toBe(0); // notices only
    expect(github.reviewComments.filter((c) => c.subject_type === 'line')).toHaveLength(30);
    expect(github.checkRuns[0]!.annotations).toHaveLength(120);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
    expect(run.requests.filter((r) => r.operation === 'checks/create' || r.operation === 'checks/update')).toHaveLength(3);
    expect(github.issueComments[0]!.body).toContain('90 of these are not commented on their lines');
    expect(run.requests.length).toBeLessThanOrEqual(Math.ceil(120 / 100) + Math.ceil(120 / 50) + 6);
  }, 60_000);
});

describe('mode and comment', () => {
  it('mode changed fails on a finding that was there before, in a file the pull request touches', async () => {
    repo.commit({ [ETCD]: controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false') });
    baseSha = repo.git('rev-parse', 'HEAD');
    const head = repo.commit({ [ETCD]: controlPlane[ETCD]!.replace('--client-cert-auth=true', '--client-cert-auth=false') + '# touched\n' });
    const event = openPullRequest(head);
    expect((await review(event, { ...WRITE, 'check-run': 'false', comment: 'none' })).code).toBe(0);
    const changedMode = await review(event, { ...WRITE, mode: 'changed', comment: 'summary', 'check-run': 'false' });
    expect(changedMode.code).toBe(1);
    expect(github.reviewComments).toEqual([]);
    expect(github.issueComments[0]!.body).toContain('❌ **1** finding in the changed files at or above error');
    expect(github.checkRuns).toEqual([]);
  }, 60_000);
});
