import { readFileSync } from 'node:fs';

/** What the workflow run is about, read from the event payload the runner hands the Action. */
export type RunEvent =
  | {
      kind: 'pull_request';
      owner: string;
      repo: string;
      number: number;
      headSha: string;
      baseSha: string;
      /** The pull request comes from another repository: its token is read-only, whatever the workflow asks. */
      fork: boolean;
    }
  | { kind: 'workflow_run'; owner: string; repo: string; headSha: string }
  | { kind: 'tree'; owner: string; repo: string; sha: string; name: string };

interface Payload {
  pull_request?: { number?: number; head?: { sha?: string; repo?: { full_name?: string } | null }; base?: { sha?: string; repo?: { full_name?: string } } };
  workflow_run?: { head_sha?: string };
  repository?: { full_name?: string };
}

/** Reads GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH. */
export function readEvent(env: NodeJS.ProcessEnv = process.env): RunEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  let payload: Payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Payload;
    } catch {
      // A local run without a payload: treated as a check of the tree.
    }
  }
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '/').split('/');
  const pr = payload.pull_request;
  if ((name === 'pull_request' || name === 'pull_request_target') && pr?.number && pr.head?.sha && pr.base?.sha) {
    const headRepo = pr.head.repo?.full_name;
    const baseRepo = pr.base.repo?.full_name ?? `${owner}/${repo}`;
    return { kind: 'pull_request', owner, repo, number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, fork: headRepo !== baseRepo };
  }
  if (name === 'workflow_run' && payload.workflow_run?.head_sha) return { kind: 'workflow_run', owner, repo, headSha: payload.workflow_run.head_sha };
  return { kind: 'tree', owner, repo, sha: env.GITHUB_SHA ?? '', name };
}
