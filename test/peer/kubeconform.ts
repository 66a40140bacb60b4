import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPath, SHARED } from '../helpers.js';

export const KUBECONFORM = path.join(SHARED, 'peer-suites', 'kubeconform');

interface Run {
  flags: string[];
  purpose: string;
  schemaSource: string;
  test: string;
  expect: { verdict: string };
}

interface Entry {
  fixture: string;
  notCopied?: boolean;
  runs: Run[];
}

export interface KubeconformVerdict {
  fixture: string;
  flags: string;
  kubeconform: 'pass' | 'fail';
  kubeharden: 'pass' | 'fail';
}

/** Options that only change what kubeconform prints, or that kubeharden has no equivalent to judge against. */
const COMPARABLE_FLAGS = new Set(['-summary', '-verbose', '-strict', '-', '-kubernetes-version']);

/**
 * The runs that judge a manifest with kubeconform's own schemas: not those that test its schema
 * locations, caches, skip and reject lists, or a network failure.
 */
function comparable(run: Run): boolean {
  if (run.purpose !== 'validation') return false;
  if (/unreachable/.test(run.schemaSource)) return false;
  return run.flags.every((flag, i) => COMPARABLE_FLAGS.has(flag) || run.flags[i - 1] === '-kubernetes-version');
}

/** Schema violations and unreadable YAML fail a file for kubeharden; other findings are not about validity. */
function kubehardenVerdict(fixture: string): 'pass' | 'fail' {
  const findings = checkPath(path.join(KUBECONFORM, fixture), { root: KUBECONFORM }).findings;
  return findings.some((f) => f.area === 'schema' || f.ruleId === 'yaml-invalid') ? 'fail' : 'pass';
}

export function kubeconformVerdicts(): KubeconformVerdict[] {
  const entries = JSON.parse(readFileSync(path.join(KUBECONFORM, 'labels.json'), 'utf8')) as Entry[];
  const out: KubeconformVerdict[] = [];
  for (const entry of entries) {
    if (entry.notCopied || !existsSync(path.join(KUBECONFORM, entry.fixture))) continue;
    for (const run of entry.runs.filter(comparable)) {
      const expected = ['valid', 'empty', 'skipped'].includes(run.expect.verdict) ? 'pass' : 'fail';
      out.push({ fixture: entry.fixture, flags: run.flags.join(' ') || '(none)', kubeconform: expected, kubeharden: kubehardenVerdict(entry.fixture) });
    }
  }
  return out;
}
