import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentDefaults } from '../src/extract/component.js';
import type { ComponentName } from '../src/model/types.js';
import cisData from '../src/data/cis-checks.json' with { type: 'json' };
import { generatedDocs } from '../src/docs/generated.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { readRuleFolders } from '../src/rules/load.js';
import { exampleFindings, expectedMarkers, REPO } from './helpers.js';

const RULES_DIR = path.join(REPO, 'rules');
const folders = readRuleFolders(RULES_DIR);

describe('the rule catalogue', () => {
  it('compiles every rule folder into the built-in catalogue, one rule per folder', () => {
    expect(BUILTIN_RULES.map((r) => r.id)).toEqual(folders.map((f) => f.id));
  });

  it('is counted right in the README', () => {
    expect(readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain(`${BUILTIN_RULES.length} rules today`);
  });

  it('writes remediations as imperative sentences and titles in the fixed shapes', () => {
    for (const rule of BUILTIN_RULES) {
      expect(rule.remediation, rule.id).toMatch(/^[A-Z][^]*\.$/);
      expect(rule.title, rule.id).toMatch(/^(Disallow|Require|Limit|Report) /);
    }
  });

  it('knows the default of every flag a rule judges by its default', () => {
    for (const rule of BUILTIN_RULES) {
      if (rule.check.kind !== 'flag') continue;
      for (const c of rule.check.conditions.filter((c) => c.absent === 'default' && !c.gate)) {
        for (const component of (rule.match?.components ?? []) as ComponentName[]) {
          for (const mode of component === 'kubelet' ? (['flags', 'config-file'] as const) : (['flags'] as const)) {
            expect(componentDefaults(component, mode).defaults.get(c.flag), `${rule.id}: ${mode} default of ${component} ${c.flag}`).toBeDefined();
          }
        }
      }
    }
  });

  it('has a rule for every flag check of the CIS data', () => {
    const cited = new Set(BUILTIN_RULES.flatMap((r) => r.references.cis ?? []));
    const uncovered = Object.keys(cisData.checks).filter((id) => !cited.has(id));
    expect(uncovered).toEqual([]);
  });

  it('maps each CIS id it cites to a check of the same component', () => {
    const cis = cisData.checks as Record<string, { component: string }>;
    for (const rule of BUILTIN_RULES) {
      for (const id of rule.references.cis ?? []) {
        const entry = cis[id];
        if (!entry || !rule.match) continue; // CIS checks of config files are cited by analyzer rules
        expect(rule.match.components, `${rule.id} cites CIS ${id}`).toContain(entry.component);
      }
    }
  });

  it('keeps every generated docs page current (run `npm run generate`)', () => {
    for (const [name, content] of generatedDocs(BUILTIN_RULES, RULES_DIR)) {
      expect(readFileSync(path.join(REPO, 'docs', name), 'utf8'), `docs/${name}`).toBe(content);
    }
  });
});

describe.each(folders.map((f) => [f.id, f] as const))('rule %s', (id, folder) => {
  const examplesDir = path.join(folder.dir, 'examples');
  it.each(folder.examples.filter((e) => e.startsWith('fail')))('reports exactly what %s declares', (example) => {
    const target = path.join(examplesDir, example);
    const expected = expectedMarkers(target, examplesDir).filter((m) => m.ruleId === id);
    expect(expected.length, `${example} declares no "# expect: ${id}" marker`).toBeGreaterThan(0);
    const found = exampleFindings(target, examplesDir).filter((f) => f.ruleId === id);
    expect(found.map((f) => `${f.file}:${f.line}`).sort()).toEqual(expected.map((m) => `${m.file}:${m.line}`).sort());
    for (const m of expected.filter((m) => m.column !== undefined)) {
      const columns = found.filter((f) => f.file === m.file && f.line === m.line).map((f) => f.column);
      expect(columns, `${m.file}:${m.line}`).toContain(m.column);
    }
  });
  it.each(folder.examples.filter((e) => e.startsWith('pass')))('reports nothing on %s', (example) => {
    const found = exampleFindings(path.join(examplesDir, example), examplesDir).filter((f) => f.ruleId === id);
    expect(found.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([]);
  });
});
