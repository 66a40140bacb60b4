import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPath, SHARED } from './helpers.js';

const CORPUS = path.join(SHARED, 'corpus');
const categories = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/**
 * Real configuration from public projects (../shared/corpus/PROVENANCE.md). Every file must be
 * read without a crash, and what kubeharden says about it is snapshotted in a form a reviewer can
 * read: a change in any finding shows up in review as a diff of this file.
 */
describe.each(categories)('corpus/%s', (category) => {
  it('is read without a crash, and its findings are the reviewed ones', async () => {
    const result = checkPath(path.join(CORPUS, category), { root: CORPUS });
    const lines = result.findings.map(
      (f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}${f.fix ? ` [fix line ${f.fix.line}]` : ''}`,
    );
    lines.push(`-- ${result.summary.files} files, ${result.summary.documents} documents`);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot(path.join('snapshots', 'corpus', `${category}.txt`));
  });
});
