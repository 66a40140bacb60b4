import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A tree of files to check: a folder on disk, or (for `--base`) a git tree. Paths are relative to
 * the tree's root with forward slashes. Nothing is ever executed from the tree.
 */
export interface FileTree {
  /** Every file path under the tree (relative, forward slashes), sorted. */
  list(): string[];
  /** File contents, or undefined when the file does not exist in this tree. */
  read(relPath: string): Buffer | undefined;
  /** Size in bytes without reading the file, when cheap to know. */
  size(relPath: string): number | undefined;
}

/** Folders that never hold configuration and are expensive to walk. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

/** Files held in memory: a git tree read for `--base`, or a test's own files. */
export class MemoryTree implements FileTree {
  readonly #files: Map<string, Buffer>;

  constructor(files: Record<string, string | Buffer>) {
    this.#files = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? Buffer.from(c) : c]));
  }

  list(): string[] {
    return [...this.#files.keys()].sort();
  }

  read(relPath: string): Buffer | undefined {
    return this.#files.get(relPath);
  }

  size(relPath: string): number | undefined {
    return this.#files.get(relPath)?.length;
  }
}

export class DirectoryTree implements FileTree {
  constructor(
    readonly root: string,
    /** Limit the walk to these relative paths (files or folders); empty means the whole root. */
    private readonly only: readonly string[] = [],
  ) {}

  list(): string[] {
    const out: string[] = [];
    const starts = this.only.length ? this.only : [''];
    const seen = new Set<string>();
    for (const start of starts) {
      const abs = path.join(this.root, start);
      let stat;
      try {
        stat = statSync(abs);
      } catch {
        continue;
      }
      if (stat.isFile()) {
        if (!seen.has(start)) out.push(start);
        seen.add(start);
      } else if (stat.isDirectory()) {
        this.walk(abs, start, out, seen);
      }
    }
    return out.sort();
  }

  private walk(abs: string, rel: string, out: string[], seen: Set<string>): void {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to check there
    }
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      // Symbolic links are not followed: they can point outside the tree or loop.
      if (entry.isDirectory()) this.walk(path.join(abs, entry.name), childRel, out, seen);
      else if (entry.isFile() && !seen.has(childRel)) {
        seen.add(childRel);
        out.push(childRel);
      }
    }
  }

  read(relPath: string): Buffer | undefined {
    try {
      return readFileSync(path.join(this.root, relPath));
    } catch {
      return undefined;
    }
  }

  size(relPath: string): number | undefined {
    try {
      return statSync(path.join(this.root, relPath)).size;
    } catch {
      return undefined;
    }
  }
}

/** The git top-level folder holding `dir`, found by looking for `.git` (no git process is started). */
export function gitTopLevel(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Converts an OS path relative to the root into the forward-slash form used everywhere else. */
export function toTreePath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}
