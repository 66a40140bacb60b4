import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateData } from '../src/data/generate.js';
import { REPO, SHARED } from './helpers.js';

describe('generated facts in src/data', () => {
  it('are what `npm run generate` writes from ../shared/data today', () => {
    for (const [name, content] of generateData(path.join(SHARED, 'data'))) {
      expect(readFileSync(path.join(REPO, 'src', 'data', name), 'utf8'), `src/data/${name} is stale: run npm run generate`).toBe(content);
    }
  });

  it('record where they came from', () => {
    const cis = JSON.parse(readFileSync(path.join(REPO, 'src/data/cis-checks.json'), 'utf8'));
    expect(cis.source.file).toBe('shared/data/cis-flag-checks.json');
    expect(cis.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
