import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { STARTER_CONFIG } from '../src/cli/commands.js';
import { ConfigError, parseConfig } from '../src/config/config.js';
import { checkOptions } from '../src/config/options.js';
import { renderJson } from '../src/report/json.js';
import { renderSarif } from '../src/report/sarif.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { MemoryTree } from '../src/source/tree.js';
import { REPO, TEST_TODAY } from './helpers.js';
import { compileCustomRule } from '../src/rules/custom.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const scheduler = (flags: string[], comment = '') =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: kube-scheduler',
    '  namespace: kube-system',
    ...(comment ? [`  annotations:`, `    kubeharden.dev/ignore: '${comment}'`] : []),
    'spec:',
    '  containers:',
    '    - name: kube-scheduler',
    '      image: registry.k8s.io/kube-scheduler:v1.35.5',
    '      command:',
    '        - kube-scheduler',
    ...flags.map((f) => `        - ${f}`),
    '',
  ].join('\n');

/** Checks files with a .kubeharden.yml, as the CLI does. */
function run(config: string, files: Record<string, string>) {
  const parsed = parseConfig('.kubeharden.yml', config, BUILTIN_RULES);
  const options = checkOptions(BUILTIN_RULES, parsed, { today: TEST_TODAY });
  const result = check(new MemoryTree({ ...files, '.kubeharden.yml': config }), options);
  return { ...result, rules: options.rules, lines: result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}${f.suppressed ? ` (suppressed: ${f.suppressed.reason})` : ''}`) };
}

function configError(config: string): string {
  try {
    parseConfig('.kubeharden.yml', config, BUILTIN_RULES);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('no error');
}

describe('what a repository owner can do from the docs', () => {
  it('turns off a rule for one folder, with the reason', () => {
    const files = { 'lab/kube-scheduler.yaml': scheduler(['--bind-address=0.0.0.0']), 'prod/kube-scheduler.yaml': scheduler(['--bind-address=0.0.0.0']) };
    const { lines, summary } = run('exceptions:\n  - rules: [scheduler-bind-address]\n    paths: ["lab/**"]\n    reason: "the lab is scraped over the node network"\n', files);
    expect(lines.filter((l) => l.includes('scheduler-bind-address'))).toEqual([
      'lab/kube-scheduler.yaml:12 scheduler-bind-address (suppressed: the lab is scraped over the node network)',
      'prod/kube-scheduler.yaml:12 scheduler-bind-address',
    ]);
    expect(summary.suppressed).toBe(1);
  });

  it('suppresses one finding on its line with a reason and an expiry, and reports it again once expired', () => {
    const comment = '# kubeharden:ignore scheduler-bind-address reason="scraped by the node agent" until=2027-03-01';
    const files = { 'kube-scheduler.yaml': scheduler([`--bind-address=0.0.0.0 ${comment}`]) };
    const now = run('', files);
    expect(now.lines.filter((l) => l.includes('bind-address') || l.includes('suppression'))).toEqual(['kube-scheduler.yaml:12 scheduler-bind-address (suppressed: scraped by the node agent)']);
    const json = JSON.parse(renderJson(now.findings, now.summary));
    expect(json.findings.find((f: { ruleId: string }) => f.ruleId === 'scheduler-bind-address').suppressed).toEqual({ by: 'inline', reason: 'scraped by the node agent', until: '2027-03-01' });
    const sarif = JSON.parse(renderSarif(now.findings, now.rules));
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'scheduler-bind-address').suppressions).toEqual([{ kind: 'inSource', justification: 'scraped by the node agent' }]);

    const later = check(new MemoryTree(files), { ...checkOptions(BUILTIN_RULES, parseConfig('.kubeharden.yml', '', BUILTIN_RULES), {}), today: '2027-03-02' });
    expect(later.findings.filter((f) => /bind-address|suppression/.test(f.ruleId)).map((f) => `${f.line} ${f.ruleId} ${f.suppressed ? 'suppressed' : ''}`.trim())).toEqual([
      '12 suppression-expired',
      '12 scheduler-bind-address',
    ]);
  });

  it('silences a whole object with its annotation, and flags directives without a reason or that silence nothing', () => {
    const annotated = run('', { 'a.yaml': scheduler(['--bind-address=0.0.0.0', '--profiling=true'], 'scheduler-bind-address,scheduler-profiling reason="lab node"') });
    expect(annotated.lines.filter((l) => /scheduler-|suppression/.test(l))).toEqual([
      'a.yaml:14 scheduler-bind-address (suppressed: lab node)',
      'a.yaml:15 scheduler-profiling (suppressed: lab node)',
    ]);
    const sloppy = run('', {
      'a.yaml': scheduler(['--bind-address=0.0.0.0 # kubeharden:ignore scheduler-bind-address', '--profiling=false # kubeharden:ignore scheduler-profiling reason="was on"']),
    });
    expect(sloppy.lines.filter((l) => /scheduler-|suppression/.test(l))).toEqual([
      'a.yaml:12 suppression-invalid',
      'a.yaml:12 scheduler-bind-address',
      'a.yaml:13 suppression-unused',
    ]);
  });

  it('raises beta feature gates to errors with the strict preset, or with a severity for the rule', () => {
    const files = { 'a.yaml': scheduler(['--feature-gates=ClusterTrustBundle=true', '--profiling=false', '--bind-address=127.0.0.1']) };
    const severity = (config: string) => run(config, files).findings.find((f) => f.ruleId === 'feature-gate-beta-changed')?.severity;
    expect(severity('')).toBe('warning');
    expect(severity('preset: strict\n')).toBe('error');
    expect(severity('rules:\n  feature-gate-beta-changed: error\n')).toBe('error');
    expect(severity('rules:\n  area:feature-gates: notice\n  tag:strict: error\n')).toBe('error');
  });

  it('adds a CEL rule that requires --profiling=false on the scheduler', () => {
    const config = [
      'custom-rules:',
      '  - id: scheduler-profiling-off',
      '    title: Require profiling off on the scheduler',
      '    area: scheduler',
      '    severity: error',
      '    components: [kube-scheduler]',
      '    flag: --profiling',
      `    expression: '"--profiling" in component.settings && component.settings["--profiling"].value == "false"'`,
      '    message: Profiling is on for the scheduler.',
      '    remediation: Set --profiling=false.',
      '',
    ].join('\n');
    const on = run(config, { 'a.yaml': scheduler(['--profiling=true']) }).findings.filter((f) => f.ruleId === 'scheduler-profiling-off');
    expect(on.map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`)).toEqual(['12:11 error Profiling is on for the scheduler.']);
    expect(run(config, { 'a.yaml': scheduler([]) }).findings.filter((f) => f.ruleId === 'scheduler-profiling-off')).toHaveLength(1);
    expect(run(config, { 'a.yaml': scheduler(['--profiling=false']) }).findings.filter((f) => f.ruleId === 'scheduler-profiling-off')).toEqual([]);
  });

  it('keeps only the CIS-mapped rules, named by their CIS ids, with the cis preset', () => {
    const { findings } = run('preset: cis\n', { 'a.yaml': scheduler(['--feature-gates=MemoryQoS=true']) });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.message).toMatch(/^CIS \d/);
  });

  it('groups files into the clusters it is given, each with its own version', () => {
    const config = 'clusters:\n  - name: old\n    paths: ["legacy/**"]\n    kubernetes-version: "1.27"\n';
    const { model } = run(config, { 'legacy/kube-scheduler.yaml': scheduler([]).replace(':v1.35.5', ''), 'new/kube-scheduler.yaml': scheduler([]) });
    expect(model.scopes.map((s) => `${s.name}:${s.components.length}:${s.kubernetesVersion?.minor ?? '-'}`).sort()).toEqual([':1:-', 'old:1:27']);
  });

  it('compiles every CEL example of docs/custom-rules.md', () => {
    const doc = readFileSync(path.join(REPO, 'docs', 'custom-rules.md'), 'utf8');
    const examples = [...doc.matchAll(/```cel\n([^]*?)```/g)].flatMap((m) => m[1]!.split('\n').filter((l) => l.trim() && !l.trim().startsWith('//')));
    expect(examples.length).toBeGreaterThan(2);
    for (const expression of examples) {
      const rule = compileCustomRule({ id: 'x', title: 'x', area: 'etcd-tls', severity: 'notice', expression, message: 'm', remediation: 'r' }, 'docs');
      expect(rule.check.kind).toBe('cel');
    }
  });

  it('accepts the starter configuration kubeharden init writes', () => {
    expect(() => parseConfig('.kubeharden.yml', STARTER_CONFIG, BUILTIN_RULES)).not.toThrow();
  });
});

describe('mistakes in .kubeharden.yml', () => {
  it('are errors that say where and what', () => {
    expect(configError('preset: paranoid\n')).toBe('.kubeharden.yml:1:1: "preset" must be equal to one of the allowed values');
    expect(configError('rules:\n  area:nope: off\n')).toMatch(/^\.kubeharden\.yml:2:3: unknown rule id "area:nope"/);
    expect(configError('exceptions:\n  - rules: [no-such-rule]\n    reason: because\n')).toBe('.kubeharden.yml:2:13: unknown rule id "no-such-rule" in an exception');
    expect(configError('exceptions:\n  - rules: [scheduler-profiling]\n')).toMatch(/^\.kubeharden\.yml:2:5: "exceptions\.0" must have required property 'reason'$/);
    expect(configError('exceptions:\n  - rules: [scheduler-profiling]\n    reason: lab\n    until: soon\n')).toMatch(/^\.kubeharden\.yml:4:5: "exceptions\.0\.until" must match pattern/);
    expect(configError('clusters:\n  - name: prod\n')).toBe(`.kubeharden.yml:2:5: "clusters.0" must have required property 'paths'`);
    expect(configError('files:\n  etc/enc.yaml: enc.yaml\n')).toBe('.kubeharden.yml:2:3: "etc/enc.yaml" is not a valid key under files (it must match pattern "^/")');
    const cel = 'custom-rules:\n  - id: mine\n    title: Mine\n    area: scheduler\n    severity: error\n    expression: component.name == && true\n    message: bad\n    remediation: Fix it.\n';
    expect(configError(cel)).toBe(".kubeharden.yml:6:32: custom rule \"mine\": the CEL expression does not parse: found = but expecting end of input");
    expect(configError(cel.replace('id: mine', 'id: scheduler-profiling').replace('== && true', '== "x"'))).toBe('.kubeharden.yml:2:5: custom rule id "scheduler-profiling" is a built-in rule\'s');
  });
});
