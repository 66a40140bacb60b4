import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { REPO } from './helpers.js';
import { CHECKOV_RULES, checkovLabels, verdicts } from './peer/checkov.js';
import { kubeconformVerdicts } from './peer/kubeconform.js';
import { CHECKOV_RBAC_RULES, rbacVerdicts } from './peer/checkov-rbac.js';

/** Rows of the disagreement table under a `## ` heading of docs/peer-agreement.md, minus the reason. */
function documentedDisagreements(heading: string, cells: number): string[] {
  const doc = readFileSync(path.join(REPO, 'docs', 'peer-agreement.md'), 'utf8');
  const start = doc.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`docs/peer-agreement.md has no section ${heading}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !/^\| (check|fixture) \|/.test(line))
    .map((line) => line.split('|').slice(1, 1 + cells).map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')).join('|'))
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
    expect(disagreements.sort()).toEqual(documentedDisagreements('Checkov (bridgecrewio/checkov 3.3.13)', 5));
  });
});

describe('agreement with kubeconform on schema validation', () => {
  it('agrees on every comparable run except the disagreements documented with a reason', () => {
    const all = kubeconformVerdicts();
    expect(all.length).toBeGreaterThan(25);
    const disagreements = all
      .filter((v) => v.kubeconform !== v.kubeharden)
      .map((v) => [v.fixture, v.flags, v.kubeconform, v.kubeharden].join('|'));
    expect(disagreements.sort()).toEqual(documentedDisagreements('kubeconform (yannh/kubeconform e65429b)', 4));
  });
});

describe('agreement with Checkov on RBAC checks', () => {
  const labels = checkovLabels(['rbac']).filter((l) => CHECKOV_RBAC_RULES[l.check]);

  it('maps every compared check to rules that exist', () => {
    const ids = new Set(BUILTIN_RULES.map((r) => r.id));
    for (const rule of Object.values(CHECKOV_RBAC_RULES).flat()) expect(ids.has(rule), rule).toBe(true);
  });

  it('agrees on every labelled role and binding except the disagreements documented with a reason', () => {
    const all = labels.flatMap((l) => rbacVerdicts(l));
    expect(all.length).toBeGreaterThan(30);
    const disagreements = all.filter((v) => v.checkov !== v.kubeharden).map((v) => [v.check, v.file, v.resource, v.checkov, v.kubeharden].join('|'));
    expect(disagreements.sort()).toEqual(documentedDisagreements('Checkov RBAC checks', 5));
  });
});
