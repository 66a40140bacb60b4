import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { REPO } from './helpers.js';
import { CHECKOV_RULES, checkovLabels, verdicts } from './peer/checkov.js';

/** The disagreement table of docs/peer-agreement.md: `check|file|resource|checkov|kubeharden`. */
function documentedDisagreements(): string[] {
  const doc = readFileSync(path.join(REPO, 'docs', 'peer-agreement.md'), 'utf8');
  return doc
    .split('\n')
    .filter((line) => /^\| CKV_K8S_\d+ \|/.test(line))
    .map((line) => line.split('|').slice(1, 6).map((cell) => cell.trim()).join('|'))
    .sort();
}

describe('agreement with Checkov on control-plane and kubelet checks', () => {
  const labels = checkovLabels(['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler', 'kubelet']);

  it('maps every compared check to a rule that exists', () => {
    const ids = new Set(BUILTIN_RULES.map((r) => r.id));
    for (const rule of Object.values(CHECKOV_RULES).flat()) expect(ids.has(rule), rule).toBe(true);
  });

  it('agrees on every labelled resource except the disagreements documented with a reason', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const label of labels) {
      const rule = CHECKOV_RULES[label.check];
      if (!rule) continue;
      for (const v of verdicts(label, rule)) {
        compared++;
        if (v.checkov !== v.kubeharden) disagreements.push([v.check, v.file, v.resource, v.checkov, v.kubeharden].join('|'));
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(disagreements.sort()).toEqual(documentedDisagreements());
  });
});
