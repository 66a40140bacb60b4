import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { load } from 'js-yaml';
import { REPO } from './helpers.js';

/** The errors GitHub's own workflow parser finds in a workflow (or action.yml). */
function errorsOf(name: string, content: string, kind: 'workflow' | 'action' = 'workflow'): string[] {
  const file = { name, content };
  const result = kind === 'workflow' ? parseWorkflow(file, new NoOperationTraceWriter()) : parseAction(file, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

const workflows = readdirSync(path.join(REPO, '.github', 'workflows')).filter((f) => f.endsWith('.yml'));
const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const readmeWorkflows = [...readme.matchAll(/```yaml\n([^]*?)```/g)].map((m) => m[1]!).filter((y) => /^jobs:/m.test(y));

describe('workflows, as GitHub parses them', () => {
  it.each(workflows)('.github/workflows/%s is valid', (file) => {
    expect(errorsOf(file, readFileSync(path.join(REPO, '.github', 'workflows', file), 'utf8'))).toEqual([]);
  });

  it('every workflow in the README is valid, and uses the least permissions it documents', () => {
    expect(readmeWorkflows.length).toBeGreaterThanOrEqual(3);
    for (const [i, y] of readmeWorkflows.entries()) {
      expect(errorsOf(`README-${i}.yml`, y)).toEqual([]);
      const permissions = (load(y) as { permissions?: Record<string, string> }).permissions;
      expect(permissions, `README workflow ${i} sets permissions`).toBeDefined();
      for (const [scope, level] of Object.entries(permissions!)) {
        expect(['contents', 'pull-requests', 'checks', 'actions'], scope).toContain(scope);
        if (scope === 'contents' || scope === 'actions') expect(level).toBe('read');
      }
    }
  });

  it('the parser does find mistakes (a misspelt key)', () => {
    expect(errorsOf('bad.yml', readmeWorkflows[0]!.replace('permissions:', 'permissionz:')).length).toBeGreaterThan(0);
  });

  it('action.yml is valid, runs on node24, and documents every input the code reads', () => {
    const text = readFileSync(path.join(REPO, 'action.yml'), 'utf8');
    expect(errorsOf('action.yml', text, 'action')).toEqual([]);
    const action = load(text) as { runs: { using: string; main: string }; inputs: Record<string, { description: string }> };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    const code = readFileSync(path.join(REPO, 'src', 'action', 'inputs.ts'), 'utf8');
    const read = [...code.matchAll(/(?:getInput|booleanInput)\('([\w-]+)'/g)].map((m) => m[1]!).sort();
    expect(Object.keys(action.inputs).sort()).toEqual([...new Set(read)].sort());
  });
});
