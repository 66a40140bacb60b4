import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPath, expectedMarkers, filesUnder, REPO } from './helpers.js';

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'formats');

/**
 * One insecure setting written in every way kubeharden reads: each file must yield the same rule
 * and CIS id on the line that sets it (the `# expect` marker), and nothing else of that rule.
 */
describe.each(readdirSync(FIXTURES))('the same setting in every format: %s', (setting) => {
  const dir = path.join(FIXTURES, setting);
  const files = filesUnder(dir).map((f) => path.relative(dir, f).split(path.sep).join('/'));
  const ruleIds = new Set(expectedMarkers(dir, dir).map((m) => m.ruleId));
  expect(ruleIds.size).toBe(1);
  const ruleId = [...ruleIds][0]!;

  it.each(files)('%s', (file) => {
    const [expected] = expectedMarkers(path.join(dir, file), dir);
    const found = checkPath(path.join(dir, file), { root: dir }).findings.filter((f) => f.ruleId === ruleId);
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual([`${expected!.file}:${expected!.line}`]);
    expect(found[0]!.cis.length).toBeGreaterThan(0);
  });

  it('gives every format the same CIS ids', () => {
    const cis = files.map((file) => checkPath(path.join(dir, file), { root: dir }).findings.find((f) => f.ruleId === ruleId)?.cis.join());
    expect(new Set(cis).size).toBe(1);
  });
});
