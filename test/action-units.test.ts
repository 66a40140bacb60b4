import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentableLines, parsePatch, revertPatch } from '../src/action/diff.js';
import { commentBody, findingMarker, MAX_FILE_COMMENTS, MAX_INLINE_COMMENTS, planReview } from '../src/action/review.js';
import type { Finding } from '../src/findings/finding.js';
import { renderChangeSummary } from '../src/report/markdown.js';

/** `git diff` between two texts, without its file headers: a patch as GitHub's API sends it. */
function gitPatch(base: string, head: string, context: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-diff-'));
  writeFileSync(path.join(dir, 'a'), base);
  writeFileSync(path.join(dir, 'b'), head);
  try {
    execFileSync('git', ['diff', '--no-index', '--no-color', `-U${context}`, 'a', 'b'], { cwd: dir });
    return '';
  } catch (error) {
    const out = (error as { stdout: Buffer }).stdout.toString();
    return out.slice(out.indexOf('@@')).replace(/\n$/, '');
  }
}

describe('patches', () => {
  it('are reverted to the exact base text, trailing newlines and all (400 random edits, checked against git)', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let compared = 0;
    for (let t = 0; t < 400; t++) {
      const base = Array.from({ length: Math.floor(random() * 25) }, () => (random() < 0.2 ? '' : `line ${Math.floor(random() * 6)}`));
      const head = base.flatMap((l) => (random() < 0.1 ? [] : random() < 0.15 ? [l, `new ${Math.floor(random() * 4)}`] : random() < 0.05 ? [`changed ${l}`] : [l]));
      if (random() < 0.2) head.push('tail');
      const text = (lines: string[], newline: boolean) => (lines.length ? lines.join('\n') + (newline ? '\n' : '') : '');
      const b = text(base, random() < 0.8);
      const h = text(head, random() < 0.8);
      if (b === h) continue;
      expect(revertPatch(h, parsePatch(gitPatch(b, h, Math.floor(random() * 4))))).toBe(b);
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('refuse a head that does not match them (a merge commit instead of the head)', () => {
    const patch = gitPatch('a\nb\nc\n', 'a\nB\nc\n', 1);
    expect(revertPatch('x\nB\nc\n', parsePatch(patch))).toBeUndefined();
  });

  it('name the head lines a comment may go on, by hunk', () => {
    const lines = commentableLines(parsePatch(gitPatch('1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n', '1\n2\nthree\n4\n5\n6\n7\n8\nnine\n10\n', 1)));
    expect([...lines]).toEqual([[2, 0], [3, 0], [4, 0], [8, 1], [9, 1], [10, 1]]);
  });
});

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'etcd-client-cert-auth',
    severity: 'error',
    area: 'etcd-tls',
    cis: ['2.2'],
    file: 'etcd.yaml',
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 30,
    message: 'etcd accepts clients without a certificate: `--client-cert-auth=false`.',
    remediation: 'Set --client-cert-auth=true.',
    fingerprint: 'aaaaaaaaaaaaaaaa',
    fix: { line: 3, replacement: '    - --client-cert-auth=true' },
    helpUri: 'https://github.com/kubeharden/kubeharden/blob/main/docs/rules/etcd-client-cert-auth.md',
    status: 'new',
    ...overrides,
  };
}

const changed = (file: string, patch: string) => ({ path: file, status: 'modified' as const, hunks: parsePatch(patch) });

describe('the review plan', () => {
  const patch = '@@ -1,4 +1,4 @@\n a\n b\n-    - --client-cert-auth=true\n+    - --client-cert-auth=false\n d';

  it('comments on a line in a hunk with a suggestion, and on the file when the line is outside', () => {
    const plan = planReview([finding(), finding({ line: 40, endLine: 40, fingerprint: 'bbbbbbbbbbbbbbbb', fix: { line: 40, replacement: 'x' } })], new Set(), [changed('etcd.yaml', patch)], []);
    expect(plan.inline).toHaveLength(1);
    expect(plan.inline[0]!.body).toContain('```suggestion\n    - --client-cert-auth=true\n```');
    expect(plan.fileLevel).toHaveLength(1);
    expect(plan.fileLevel[0]!.body).toContain('line 40, outside the lines this pull request changes');
    expect(plan.fileLevel[0]!.body).not.toContain('suggestion');
  });

  it('puts findings of unchanged files and those over the caps in the summary', () => {
    const many = Array.from({ length: MAX_INLINE_COMMENTS + MAX_FILE_COMMENTS + 5 }, (_, i) =>
      finding({ fingerprint: i.toString(16).padStart(16, '0'), line: i < MAX_INLINE_COMMENTS + 3 ? 3 : 100 }),
    );
    const plan = planReview([...many, finding({ file: 'other.yaml', fingerprint: 'cccccccccccccccc' })], new Set(), [changed('etcd.yaml', patch)], []);
    expect(plan.inline).toHaveLength(MAX_INLINE_COMMENTS);
    expect(plan.fileLevel).toHaveLength(MAX_FILE_COMMENTS);
    expect(plan.summaryOnly.map((f) => f.fingerprint)).toContain('cccccccccccccccc');
    expect(plan.summaryOnly).toHaveLength(3 + 2 + 1);
  });

  it('edits a posted comment whose text changed, folds the gone, unfolds the returned', () => {
    const f = finding();
    const body = commentBody(f, { suggestion: true });
    const posted = [
      { id: 1, nodeId: 'N1', fingerprint: f.fingerprint, body: body.replace('error', 'warning'), minimized: true, byBot: true },
      { id: 2, nodeId: 'N2', fingerprint: 'dddddddddddddddd', body: `gone ${findingMarker('dddddddddddddddd')}`, minimized: false, byBot: true },
      { id: 3, nodeId: 'N3', fingerprint: 'eeeeeeeeeeeeeeee', body: `gone too ${findingMarker('eeeeeeeeeeeeeeee')}`, minimized: true, byBot: true },
      // A person quoting a marker: no second comment on it, but their comment is left alone.
      { id: 4, nodeId: 'N4', fingerprint: 'ffffffffffffffff', body: `quoted ${findingMarker('ffffffffffffffff')}`, minimized: false, byBot: false },
    ];
    const quoted = finding({ fingerprint: 'ffffffffffffffff', message: 'other' });
    const plan = planReview([f, quoted], new Set([f.fingerprint]), [changed('etcd.yaml', patch)], posted);
    expect(plan.inline).toEqual([]);
    expect(plan.edits).toEqual([{ id: 1, body }]);
    expect(plan.unminimize.map((c) => c.id)).toEqual([1]);
    expect(plan.minimize.map((c) => c.id)).toEqual([2]);
  });

  it('cannot be broken out of its suggestion fence or into HTML by the text of a finding', () => {
    const hostile = finding({ message: 'a <img src=x onerror=alert(1)> [link](javascript:alert(1))', fix: { line: 3, replacement: 'x: "```"' } });
    const body = commentBody(hostile, { suggestion: true });
    expect(body).not.toContain('<img');
    expect(body).not.toContain('](javascript');
    expect(body).toContain('````suggestion\nx: "```"\n````');
  });
});

describe('the summary', () => {
  it('stays under a comment\'s 65,536 characters with thousands of findings, and says how many it left out', () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ file: `clusters/c${i}/etcd.yaml`, fingerprint: i.toString(16).padStart(16, '0') }));
    const text = renderChangeSummary({ added: many, fixed: many.slice(0, 500), existing: many, verdict: '❌', maxLength: 65_436, marker: '<!-- m -->' });
    expect(text.length).toBeLessThanOrEqual(65_436);
    expect(text).toMatch(/… and \d+ more, not shown/);
    expect(text.trimEnd().endsWith('<!-- m -->')).toBe(true);
    expect(text).toContain('**3000** new · **500** fixed 🎉 · **3000** already there');
  });
});
