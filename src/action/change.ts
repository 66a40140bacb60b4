import { execFileSync } from 'node:child_process';
import * as core from '@actions/core';
import { GitError, GitTree } from '../source/git-tree.js';
import type { FileTree } from '../source/tree.js';
import type { GitHubClient } from './client.js';
import { parsePatch, revertPatch, type Hunk } from './diff.js';

/** GitHub lists at most this many files of a pull request (pulls.listFiles). */
export const LIST_FILES_LIMIT = 3000;

export interface ChangedFile {
  path: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** For a rename or copy: the path at the base. */
  previous?: string | undefined;
  /** Absent when GitHub leaves the patch out (binary, or too large). */
  hunks?: Hunk[] | undefined;
}

export interface Change {
  files: ChangedFile[];
  /** GitHub stopped listing at LIST_FILES_LIMIT files: findings elsewhere are judged as unchanged. */
  truncated: boolean;
}

/** The pull request's changed files with their hunks, 100 per request. */
export async function listChangedFiles(client: GitHubClient, owner: string, repo: string, number: number): Promise<Change> {
  const files: ChangedFile[] = [];
  for await (const page of client.paginate.iterator(client.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 })) {
    for (const f of page.data) {
      files.push({ path: f.filename, status: f.status, previous: f.previous_filename, hunks: f.patch === undefined ? undefined : parsePatch(f.patch) });
    }
  }
  return { files, truncated: files.length >= LIST_FILES_LIMIT };
}

/** A tree with some files replaced or removed: the other side of a change, built from one checkout. */
export class OverlayTree implements FileTree {
  constructor(
    private readonly under: FileTree,
    /** path → contents, or null where the file does not exist on this side. */
    private readonly overrides: ReadonlyMap<string, Buffer | null>,
  ) {}

  list(): string[] {
    const paths = new Set(this.under.list());
    for (const [p, content] of this.overrides) {
      if (content === null) paths.delete(p);
      else paths.add(p);
    }
    return [...paths].sort();
  }

  read(relPath: string): Buffer | undefined {
    const o = this.overrides.get(relPath);
    if (o === null) return undefined;
    return o ?? this.under.read(relPath);
  }

  size(relPath: string): number | undefined {
    const o = this.overrides.get(relPath);
    if (o === null) return undefined;
    return o ? o.length : this.under.size(relPath);
  }
}

/** Where file contents the checkout does not have come from: git objects if present, else the contents API. */
export interface Sources {
  workspace: string;
  client: GitHubClient | undefined;
  owner: string;
  repo: string;
}

/** The commit the workspace has checked out, without running anything of the repository's. */
export function workspaceCommit(workspace: string): string | undefined {
  try {
    return execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-C', workspace, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/** Files of a commit from git's object store, when it has the commit; else undefined. */
function fromGit(workspace: string, commit: string, paths: readonly string[]): Map<string, Buffer> | undefined {
  try {
    const tree = new GitTree(workspace, commit, '', paths, () => true);
    return new Map(tree.list().map((p) => [p, tree.read(p)!]));
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

/** One file at a commit through the contents API (one request; raw, so no size limit below 100 MB). */
async function fromApi(sources: Sources, commit: string, path: string): Promise<Buffer | null> {
  if (!sources.client) return null;
  try {
    const response = await sources.client.rest.repos.getContent({ owner: sources.owner, repo: sources.repo, path, ref: commit, mediaType: { format: 'raw' } });
    return Buffer.from(response.data as unknown as string);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/**
 * The head side: the workspace, with the changed files replaced by their head versions when the
 * workflow checked out something else (the merge commit `actions/checkout` takes by default), so
 * that every line number is a line of the pull request's head.
 */
export async function headTree(workspaceTree: FileTree, change: Change, headSha: string, sources: Sources): Promise<FileTree> {
  const checkedOut = workspaceCommit(sources.workspace);
  if (!checkedOut || checkedOut === headSha) return workspaceTree;
  core.info(`The workspace holds ${checkedOut.slice(0, 12)}, not the pull request's head ${headSha.slice(0, 12)}: reading the changed files at the head.`);
  const paths = change.files.filter((f) => f.status !== 'removed').map((f) => f.path);
  const git = fromGit(sources.workspace, headSha, paths);
  const overrides = new Map<string, Buffer | null>();
  for (const p of paths) overrides.set(p, git ? (git.get(p) ?? null) : await fromApi(sources, headSha, p));
  for (const f of change.files) if (f.status === 'removed') overrides.set(f.path, null);
  return new OverlayTree(workspaceTree, overrides);
}

/**
 * The base side without a second checkout: the head tree with each changed file put back as it was
 * (added ones removed, renamed ones under their old name). Base contents come from reversing the
 * patch GitHub already sent, else from git, else from the contents API.
 */
export async function baseTree(head: FileTree, change: Change, baseSha: string, sources: Sources): Promise<FileTree> {
  const overrides = new Map<string, Buffer | null>();
  const missing: string[] = [];
  for (const f of change.files) {
    const basePath = f.previous ?? f.path;
    // An added file, and the new name of a rename or copy, did not exist at the base.
    if (f.status === 'added' || ((f.status === 'renamed' || f.status === 'copied') && basePath !== f.path)) overrides.set(f.path, null);
    if (f.status === 'added' || f.status === 'copied') continue;
    const headText = f.status === 'removed' ? '' : (head.read(f.path)?.toString('utf8') ?? '');
    const reverted = f.hunks ? revertPatch(headText, f.hunks) : undefined;
    if (reverted !== undefined) overrides.set(basePath, Buffer.from(reverted));
    else missing.push(basePath);
  }
  if (missing.length) {
    const git = fromGit(sources.workspace, baseSha, missing);
    for (const p of missing) overrides.set(p, git ? (git.get(p) ?? null) : await fromApi(sources, baseSha, p));
  }
  return new OverlayTree(head, overrides);
}

/**
 * The change from git, when the API cannot list it (over GitHub's 3,000 files, or no token) and
 * both commits are in the clone. `--no-ext-diff` and `--no-textconv` keep git from running any
 * program the repository configures.
 */
export function gitChange(workspace: string, baseSha: string, headSha: string): Change | undefined {
  let out: string;
  try {
    out = execFileSync(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-C', workspace, 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--find-renames', '--unified=3', baseSha, headSha],
      { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1024 * 1024 * 1024 },
    ).toString('utf8');
  } catch {
    return undefined;
  }
  const files: ChangedFile[] = [];
  for (const section of out.split(/^diff --git /m).slice(1)) {
    const header = section.slice(0, section.search(/^@@ /m) >= 0 ? section.search(/^@@ /m) : section.length);
    const from = /^--- (?:a\/(.*)|\/dev\/null)$/m.exec(header);
    const to = /^\+\+\+ (?:b\/(.*)|\/dev\/null)$/m.exec(header);
    const renameFrom = /^rename from (.*)$/m.exec(header)?.[1];
    const renameTo = /^rename to (.*)$/m.exec(header)?.[1];
    const named = /^a\/(.*) b\/(.*)$/m.exec(header.split('\n')[0] ?? '');
    const oldPath = renameFrom ?? from?.[1] ?? named?.[1];
    const newPath = renameTo ?? to?.[1] ?? named?.[2];
    if (!oldPath && !newPath) continue;
    const patch = section.slice(header.length);
    const hunks = parsePatch(patch);
    if (/^new file mode/m.test(header)) files.push({ path: (newPath ?? oldPath)!, status: 'added', hunks });
    else if (/^deleted file mode/m.test(header)) files.push({ path: (oldPath ?? newPath)!, status: 'removed', hunks });
    else if (renameTo) files.push({ path: renameTo, status: 'renamed', previous: renameFrom, hunks });
    else if (newPath) files.push({ path: newPath, status: 'modified', hunks: /^Binary files/m.test(header) ? undefined : hunks });
  }
  return { files, truncated: false };
}
