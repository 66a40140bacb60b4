import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO, TEST_TODAY } from '../helpers.js';
import type { ChangedFileFixture, FakeGitHub } from './server.js';

/** A git repository the scenarios commit to, as a pull request's history. */
export class Repository {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-pr-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'dev@example.com');
    this.git('config', 'user.name', 'dev');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-C', this.dir, ...args], { encoding: 'utf8' }).trim();
  }

  /** Writes (or, with null, deletes) files and commits them; returns the commit id. */
  commit(files: Record<string, string | null>, message = 'change'): string {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(this.dir, rel);
      if (content === null) rmSync(abs, { force: true });
      else {
        mkdirSync(path.dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    }
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  checkout(ref: string): void {
    this.git('checkout', '-q', '--detach', ref);
  }

  /** The pull request's files as GitHub lists them: status, previous name, and the patch of each. */
  changedFiles(base: string, head: string): ChangedFileFixture[] {
    const out: ChangedFileFixture[] = [];
    for (const line of this.git('diff', '--name-status', '-M', base, head).split('\n').filter(Boolean)) {
      const [code, a, b] = line.split('\t') as [string, string, string | undefined];
      const status = code.startsWith('R') ? 'renamed' : code === 'A' ? 'added' : code === 'D' ? 'removed' : 'modified';
      const filename = status === 'renamed' ? b! : a;
      const diff = this.git('diff', '-M', base, head, '--', ...(status === 'renamed' ? [a, b!] : [a]));
      const at = diff.indexOf('\n@@');
      const patch = at >= 0 ? diff.slice(at + 1) : '';
      const additions = patch.split('\n').filter((l) => l.startsWith('+')).length;
      const deletions = patch.split('\n').filter((l) => l.startsWith('-')).length;
      out.push({ filename, status, ...(patch ? { patch } : {}), ...(status === 'renamed' ? { previous_filename: a } : {}), additions, deletions });
    }
    return out;
  }
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

/** A pull_request event payload, as the runner writes it to GITHUB_EVENT_PATH (the fields that matter, real names). */
export function pullRequestEvent(github: FakeGitHub, number: number, headSha: string, baseSha: string, headRepo = `${github.owner}/${github.repo}`) {
  const repository = { full_name: `${github.owner}/${github.repo}`, name: github.repo, owner: { login: github.owner } };
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      state: 'open',
      head: { ref: 'feature', sha: headSha, repo: { full_name: headRepo, name: headRepo.split('/')[1], owner: { login: headRepo.split('/')[0] } } },
      base: { ref: 'main', sha: baseSha, repo: repository },
    },
    repository,
  };
}

/**
 * Runs the bundled Action (dist/index.js) as the runner does: inputs as INPUT_* variables, the
 * event payload in a file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_API_URL pointing at
 * the local server. Asynchronous, so the server in this process can answer.
 */
export async function runAction(github: FakeGitHub, options: { workspace: string; eventName: string; event: unknown; inputs: Record<string, string>; sha?: string }): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-runner-'));
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md'), event: path.join(dir, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(options.event));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
    GITHUB_SHA: options.sha ?? '',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    KUBEHARDEN_TODAY: TEST_TODAY,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'index.js')], { cwd: options.workspace, env });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.output, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([^]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code, stdout, summary: readFileSync(files.summary, 'utf8'), outputs };
}
