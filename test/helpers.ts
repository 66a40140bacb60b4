import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { check, type CheckResult } from '../src/check.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import type { Model } from '../src/model/types.js';
import type { Rule } from '../src/rules/types.js';
import { DirectoryTree } from '../src/source/tree.js';

export const SHARED = process.env.KUBEHARDEN_SHARED ?? path.resolve(__dirname, '..', '..', 'shared');
export const REPO = path.resolve(__dirname, '..');

/**
 * The day the tests judge end-of-life dates against, so that what they assert does not change
 * with the calendar (the snapshots were reviewed as of this day).
 */
export const TEST_TODAY = '2026-12-03';

/** Runs the whole check on a file or folder, with paths reported relative to `root`. */
export function checkPath(
  target: string,
  options: { root?: string; rules?: readonly Rule[]; today?: string | undefined; kubernetesVersion?: string; base?: Model | undefined } = {},
): CheckResult {
  const abs = path.resolve(target);
  const root = options.root ?? (statSync(abs).isDirectory() ? abs : path.dirname(abs));
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return check(new DirectoryTree(root, rel ? [rel] : []), {
    rules: options.rules ?? BUILTIN_RULES,
    today: options.today ?? TEST_TODAY,
    kubernetesVersion: options.kubernetesVersion,
    base: options.base,
  });
}

/**
 * A rule example's findings, with paths relative to `examplesDir`. An example folder holding
 * `base/` and `head/` is a change: `head/` is checked against `base/`, as with `--base`.
 */
export function exampleFindings(target: string, examplesDir: string): CheckResult['findings'] {
  const today = asOf(target);
  const base = path.join(target, 'base');
  const head = path.join(target, 'head');
  if (existsSync(base) && existsSync(head)) {
    const before = checkPath(base, { root: base, today });
    const prefix = path.relative(examplesDir, head).split(path.sep).join('/');
    return checkPath(head, { root: head, today, base: before.model }).findings.map((f) => ({ ...f, file: `${prefix}/${f.file}` }));
  }
  return checkPath(target, { root: examplesDir, today }).findings;
}

/** An example's `# as of YYYY-MM-DD` line: the day it is judged on (for rules about dates). */
export function asOf(target: string): string | undefined {
  for (const file of filesUnder(target)) {
    const m = /# as of (\d{4}-\d{2}-\d{2})/.exec(readFileSync(file, 'utf8'));
    if (m) return m[1];
  }
  return undefined;
}

/** Every file under a folder (relative paths), or the file itself. */
export function filesUnder(target: string): string[] {
  if (statSync(target).isFile()) return [target];
  return readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * `# expect: <rule-id>[@col]` markers: the findings a fail example declares, on the marker's line;
 * `# expect(<line>): <rule-id>` names another line (for formats without trailing comments).
 */
export function expectedMarkers(target: string, root: string): { file: string; line: number; ruleId: string; column?: number }[] {
  const out: { file: string; line: number; ruleId: string; column?: number }[] = [];
  for (const file of filesUnder(target)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        for (const m of text.matchAll(/# expect(?:\((\d+)\))?: ([a-z0-9-]+)(?:@(\d+))?/g)) {
          out.push({ file: rel, line: m[1] ? Number(m[1]) : index + 1, ruleId: m[2]!, ...(m[3] ? { column: Number(m[3]) } : {}) });
        }
      });
  }
  return out;
}
