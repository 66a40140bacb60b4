import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPath, REPO } from './helpers.js';

const EXAMPLES = path.join(REPO, 'examples');
const folders = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/**
 * The samples the README and each example's README describe: what kubeharden reports on them is
 * snapshotted, so a change shows up in review next to the prose that has to stay true.
 */
describe.each(folders)('examples/%s', (folder) => {
  it('reports what its README describes', async () => {
    const result = checkPath(path.join(EXAMPLES, folder), { root: REPO });
    const lines = result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}`);
    if (folder.startsWith('hardened')) expect(lines).toEqual([]);
    else expect(result.summary.bySeverity.error).toBeGreaterThan(0);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot(path.join('snapshots', 'examples', `${folder}.txt`));
  });
});
