import { execFileSync } from 'node:child_process';
import type { FileTree } from './tree.js';

/** A ref that git cannot resolve, or a folder that is not a git repository: a usage error. */
export class GitError extends Error {}

/**
 * Git is run for its plumbing only (rev-parse, ls-tree, cat-file), which reads objects and runs
 * no hook, filter or fsmonitor; the settings below make sure of that whatever the repository's
 * own configuration says, so nothing the repository provides is executed.
 */
const SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'protocol.allow=never', '--no-replace-objects'];

function git(root: string, args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync('git', [...SAFE, '-C', root, ...args], {
      input,
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new GitError('--base needs git, which is not installed');
    throw new GitError(stderr || `git ${args[0]} failed`);
  }
}

interface Entry {
  oid: string;
  size: number;
}

/**
 * The files of a commit (`--base REF`), read from git's object store without a checkout. Blobs
 * are read in one `git cat-file --batch` on first use, for the files `wanted` selects.
 */
export class GitTree implements FileTree {
  readonly commit: string;
  readonly #entries = new Map<string, Entry>();
  #blobs: Map<string, Buffer> | undefined;

  constructor(
    /** The git top-level folder. */
    private readonly root: string,
    ref: string,
    /** The folder (relative to the top level) whose files the tree holds, as paths relative to it. */
    prefix: string,
    /** Limit to these paths (relative to `prefix`, files or folders); empty means all. */
    only: readonly string[],
    private readonly wanted: (path: string, size: number) => boolean,
  ) {
    let commit = '';
    try {
      commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).toString().trim();
    } catch (error) {
      // An unknown ref makes rev-parse --quiet fail silently; anything git does say (a folder it
      // does not trust, a broken repository) is the better message.
      if (!(error instanceof GitError) || !error.message.endsWith('failed')) throw error;
    }
    if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new GitError(`--base ${ref} is not a commit of the repository at ${root}`);
    this.commit = commit;
    const listing = git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', this.commit]).toString('utf8');
    for (const record of listing.split('\0')) {
      // `<mode> SP <type> SP <oid> SP+ <size> TAB <path>`
      const m = /^\d+ blob ([0-9a-f]+) +(\d+)\t(.*)$/s.exec(record);
      if (!m) continue;
      const full = m[3]!;
      if (prefix && !full.startsWith(`${prefix}/`)) continue;
      const filePath = prefix ? full.slice(prefix.length + 1) : full;
      if (only.length && !only.some((o) => filePath === o || filePath.startsWith(`${o.replace(/\/$/, '')}/`))) continue;
      if (filePath.split('/').some((part) => part === 'node_modules')) continue;
      this.#entries.set(filePath, { oid: m[1]!, size: Number(m[2]) });
    }
  }

  list(): string[] {
    return [...this.#entries.keys()].sort();
  }

  size(relPath: string): number | undefined {
    return this.#entries.get(relPath)?.size;
  }

  read(relPath: string): Buffer | undefined {
    if (!this.#entries.has(relPath)) return undefined;
    this.#blobs ??= this.load();
    return this.#blobs.get(relPath);
  }

  private load(): Map<string, Buffer> {
    const paths = [...this.#entries].filter(([p, e]) => this.wanted(p, e.size)).map(([p]) => p);
    const blobs = new Map<string, Buffer>();
    if (!paths.length) return blobs;
    const out = git(this.root, ['cat-file', '--batch'], Buffer.from(paths.map((p) => this.#entries.get(p)!.oid).join('\n') + '\n'));
    let offset = 0;
    for (const p of paths) {
      const headerEnd = out.indexOf(0x0a, offset);
      const header = out.subarray(offset, headerEnd).toString();
      const size = Number(header.split(' ')[2]);
      if (!Number.isFinite(size)) throw new GitError(`git cat-file: unexpected output "${header}"`);
      blobs.set(p, out.subarray(headerEnd + 1, headerEnd + 1 + size));
      offset = headerEnd + 1 + size + 1;
    }
    return blobs;
  }
}
