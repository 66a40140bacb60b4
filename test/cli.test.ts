import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, TEST_TODAY } from './helpers.js';

const CLI = path.join(REPO, 'dist', 'cli.js');
const require = createRequire(import.meta.url);

/** Runs the bundled CLI as a user would. */
function kubeharden(args: string[], cwd = REPO, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', KUBEHARDEN_TODAY: TEST_TODAY, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // The tests judge the artifact users run; build it when a checkout has not yet.
  try {
    readFileSync(CLI);
  } catch {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO, stdio: 'inherit' });
  }
});

describe('kubeharden check', () => {
  it('prints findings grouped by file as file:line:col severity rule message, with the remediation under it', () => {
    const { code, stdout } = kubeharden(['check', 'examples/insecure-kubeadm']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'examples/insecure-kubeadm/kube-apiserver.yaml:18:28 error apiserver-authorization-not-always-allow The API server authorizes every request: `--authorization-mode=AlwaysAllow`.\n    Set --authorization-mode=Node,RBAC.\n',
    );
    expect(stdout).toMatch(/\n\d+ errors, \d+ warnings, \d+ notices in 4 files \(4 documents\)\nEach rule is explained by `kubeharden explain <rule-id>` and at https:\/\/github\.com\/kubeharden\/kubeharden\/blob\/main\/docs\/rules\/<rule-id>\.md\n$/);
    expect(stdout).not.toContain('\x1b[');
  });

  it('colours severities only when asked or on a terminal, never with NO_COLOR', () => {
    expect(kubeharden(['check', 'examples/insecure-kubeadm'], REPO, { FORCE_COLOR: '1' }).stdout).toContain('\x1b[31merror');
    expect(kubeharden(['check', 'examples/insecure-kubeadm'], REPO, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
  });

  it('exits 0 when nothing reaches --fail-on, 1 when something does', () => {
    expect(kubeharden(['check', 'examples/hardened-kubeadm']).code).toBe(0);
    expect(kubeharden(['check', 'examples/insecure-kubeadm', '--fail-on', 'none']).code).toBe(0);
    const scheduler = 'examples/insecure-kubeadm/kube-scheduler.yaml'; // warnings and a notice only
    expect(kubeharden(['check', scheduler]).code).toBe(0);
    expect(kubeharden(['check', scheduler, '--fail-on', 'warning']).code).toBe(1);
  });

  it('exits 2 with one line and no stack trace for usage mistakes', () => {
    for (const args of [['check', '--format', 'xml'], ['check', '--nope'], ['chek'], ['check', 'no/such/path'], ['check', '--kubernetes-version', 'latest']]) {
      const { code, stderr } = kubeharden(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(/^kubeharden: /);
    }
  });

  it('reports paths relative to --root, with forward slashes', () => {
    const { stdout } = kubeharden(['check', 'examples/insecure-kubeadm', '--root', 'examples', '--format', 'json']);
    const files = new Set((JSON.parse(stdout) as { findings: { file: string }[] }).findings.map((f) => f.file));
    expect([...files].sort()).toEqual(['insecure-kubeadm/etcd.yaml', 'insecure-kubeadm/kube-apiserver.yaml', 'insecure-kubeadm/kube-controller-manager.yaml', 'insecure-kubeadm/kube-scheduler.yaml']);
  });

  it('writes a stable JSON report (version 1) with lines, areas, CIS ids and one-line fixes', () => {
    const report = JSON.parse(kubeharden(['check', 'examples/insecure-kubeadm', '--format', 'json']).stdout);
    expect(report.version).toBe(1);
    expect(Object.keys(report.summary)).toEqual(['files', 'documents', 'bySeverity', 'suppressed']);
    const anonymous = report.findings.find((f: { ruleId: string }) => f.ruleId === 'apiserver-anonymous-auth');
    expect(anonymous).toMatchObject({
      severity: 'warning',
      area: 'apiserver',
      cis: ['1.2.1'],
      file: 'examples/insecure-kubeadm/kube-apiserver.yaml',
      line: 17,
      column: 7,
      fix: { line: 17, replacement: '    - --anonymous-auth=false' },
    });
    expect(anonymous.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const etcd = report.findings.find((f: { ruleId: string }) => f.ruleId === 'etcd-dedicated-ca');
    expect(etcd).toMatchObject({ area: 'etcd-tls', cis: ['2.7'], file: 'examples/insecure-kubeadm/etcd.yaml', line: 30 });
  });

  it('keeps fingerprints when lines move and when other parts of the file change', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-fp-'));
    const original = readFileSync(path.join(REPO, 'examples/insecure-kubeadm/kube-scheduler.yaml'), 'utf8');
    const fingerprints = () =>
      (JSON.parse(kubeharden(['check', dir, '--format', 'json']).stdout) as { findings: { ruleId: string; fingerprint: string; line: number }[] }).findings
        .map((f) => `${f.ruleId} ${f.fingerprint}`)
        .sort();
    writeFileSync(path.join(dir, 'kube-scheduler.yaml'), original);
    const before = fingerprints();
    writeFileSync(path.join(dir, 'kube-scheduler.yaml'), original.replace('    - --leader-elect=true\n', '    - --leader-elect=true\n    - --v=2\n    - --secure-port=10259\n').replace('cpu: 100m', 'cpu: 150m'));
    expect(fingerprints()).toEqual(before);
  });

  it('writes SARIF 2.1.0 that validates against the schema, with rules, help, real regions and fingerprints', () => {
    const sarif = JSON.parse(kubeharden(['check', 'examples/insecure-kubeadm', '--format', 'sarif']).stdout);
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('kubeharden');
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.markdown).toContain('**Fix:**');
      expect(rule.helpUri).toMatch(/docs\/rules\/[a-z0-9-]+\.md$/);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
      expect(result.partialFingerprints['kubeharden/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('exits quietly when the reader closes the pipe early (kubeharden … | head)', async () => {
    const child = spawn(process.execPath, [CLI, 'check', 'examples/insecure-kubeadm', '--format', 'sarif'], { cwd: REPO });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
  });

  it('loads no deprecated Node module, so nothing but findings reaches the terminal', () => {
    // --pending-deprecation makes Node 20 warn where Node 22 and 24 always do (e.g. `punycode`).
    const result = spawnSync(process.execPath, ['--pending-deprecation', '--throw-deprecation', CLI, 'check', 'examples', '--fail-on', 'none'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('writes the report to --output instead of standard output', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kubeharden-out-')), 'report.json');
    const { stdout } = kubeharden(['check', 'examples/insecure-kubeadm', '--format', 'json', '--output', out]);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe(1);
  });
});

describe('.kubeharden.yml', () => {
  function repoWith(config: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-cfg-'));
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'manifests'));
    mkdirSync(path.join(dir, 'vendor'));
    const scheduler = readFileSync(path.join(REPO, 'examples/insecure-kubeadm/kube-scheduler.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'manifests', 'kube-scheduler.yaml'), scheduler);
    writeFileSync(path.join(dir, 'vendor', 'kube-scheduler.yaml'), scheduler);
    writeFileSync(path.join(dir, '.kubeharden.yml'), config);
    return dir;
  }

  it('is found at the git top-level, excludes paths, turns rules off and changes severities', () => {
    const dir = repoWith('exclude: ["vendor/**"]\nrules:\n  scheduler-profiling: off\n  scheduler-bind-address: error\n');
    const report = JSON.parse(kubeharden(['check', '--format', 'json'], path.join(dir, 'manifests')).stdout);
    expect(report.findings.map((f: { file: string; ruleId: string; severity: string }) => `${f.file} ${f.ruleId} ${f.severity}`)).toEqual([
      'manifests/kube-scheduler.yaml scheduler-bind-address error',
    ]);
  });

  it('rejects unknown keys, unknown rule ids and wrong values with the file, line and key', () => {
    const cases: [string, RegExp][] = [
      ['exclude: [a]\nrulez: {}\n', /^kubeharden: \.kubeharden\.yml:2:1: unknown key "rulez"$/],
      ['rules:\n  no-such-rule: off\n', /^kubeharden: \.kubeharden\.yml:2:3: unknown rule id "no-such-rule"/],
      ['rules:\n  scheduler-profiling: loud\n', /^kubeharden: \.kubeharden\.yml:2:\d+: "rules\.scheduler-profiling" must be equal to one of the allowed values$/],
      ['fail-on: [error]\n', /^kubeharden: \.kubeharden\.yml:1:\d+: "fail-on" must be equal to one of the allowed values$/],
    ];
    for (const [config, message] of cases) {
      const { code, stderr } = kubeharden(['check'], repoWith(config));
      expect(code, config).toBe(2);
      expect(stderr.trim(), config).toMatch(message);
    }
  });
});

describe('kubeharden check --base', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });

  /** A repository whose last commit holds `before`, with `after` in the working tree. */
  function changed(before: Record<string, string>, after: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-base-'));
    git(dir, 'init', '-q');
    for (const [name, text] of Object.entries(before)) writeFileSync(path.join(dir, name), text);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    for (const [name, text] of Object.entries(after)) writeFileSync(path.join(dir, name), text);
    return dir;
  }

  const scheduler = (flags: string[]) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-scheduler\n  namespace: kube-system\nspec:\n  containers:\n    - name: kube-scheduler\n      image: registry.k8s.io/kube-scheduler:v1.35.5\n      command:\n${flags.map((f) => `        - ${f}\n`).join('')}`;
  const enc = (keys: string[]) =>
    `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - secretbox:\n          keys:\n${keys.map((k) => `            - name: ${k}\n              secret: \${${k.toUpperCase()}}\n`).join('')}`;

  it('marks findings new, existing or fixed by fingerprint, and fails only on new ones', () => {
    const dir = changed(
      { 'kube-scheduler.yaml': scheduler(['kube-scheduler', '--profiling=true', '--bind-address=0.0.0.0']) },
      // profiling fixed; the bind address is still there, two lines lower.
      { 'kube-scheduler.yaml': scheduler(['kube-scheduler', '--v=2', '--leader-elect=true', '--bind-address=0.0.0.0', '--profiling=false']) },
    );
    const json = kubeharden(['check', '--base', 'HEAD', '--format', 'json'], dir);
    const report = JSON.parse(json.stdout);
    const statuses = report.findings.map((f: { ruleId: string; status: string; line: number }) => `${f.ruleId} ${f.status} ${f.line}`).sort();
    expect(statuses).toEqual(['scheduler-bind-address existing 14', 'scheduler-profiling fixed 12']);
    expect(report.summary.base).toMatchObject({ ref: 'HEAD', byStatus: { new: 0, existing: 1, fixed: 1 } });
    expect(report.summary.base.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(json.code).toBe(0); // the existing warning does not count, and --fail-on warning would not either
    expect(kubeharden(['check', '--base', 'HEAD', '--fail-on', 'warning'], dir).code).toBe(0);
    expect(kubeharden(['check', '--base', 'HEAD', '--fail-on', 'warning', '--mode', 'all'], dir).code).toBe(1);
    const text = kubeharden(['check', '--base', 'HEAD'], dir).stdout;
    expect(text).toContain('Fixed since HEAD (where they were):\n  kube-scheduler.yaml:12:11 notice scheduler-profiling');
    expect(text).toMatch(/against HEAD: 0 new, 1 existing, 1 fixed\n/);
  });

  it('tells the operator what a change to the encryption keys asks of them', () => {
    const dir = changed({ 'enc.yaml': enc(['key1']) }, { 'enc.yaml': enc(['key2']) });
    const report = JSON.parse(kubeharden(['check', '--base', 'HEAD', '--format', 'json'], dir).stdout);
    const change = report.findings.filter((f: { ruleId: string }) => /rewrite|removed/.test(f.ruleId));
    expect(change.map((f: { ruleId: string; status: string }) => `${f.ruleId} ${f.status}`)).toEqual(['encryption-key-removed new', 'encryption-rewrite-needed new']);
    expect(kubeharden(['check', '--base', 'HEAD'], dir).code).toBe(1);
  });

  it('refuses a ref that is not a commit, or a folder outside git, with one line', () => {
    const dir = changed({ 'a.yaml': 'a: 1\n' }, {});
    for (const [cwd, ref] of [[dir, 'no-such-ref'], [mkdtempSync(path.join(tmpdir(), 'kubeharden-nogit-')), 'HEAD']] as const) {
      const { code, stderr } = kubeharden(['check', '--base', ref], cwd);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^kubeharden: /);
    }
  });
});

describe('kubeharden rules, explain and init', () => {
  it('lists every rule with its area, severity and CIS ids, as a table or JSON', () => {
    const table = kubeharden(['rules']).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+AREA\s+SEVERITY\s+CIS\s+TITLE$/);
    expect(table.find((l) => l.startsWith('apiserver-anonymous-auth '))).toMatch(/apiserver\s+warning\s+1\.2\.1\s+Disallow anonymous requests/);
    const json = JSON.parse(kubeharden(['rules', '--format', 'json']).stdout);
    expect(json.length).toBe(table.filter((l) => l.trim()).length - 1);
    expect(json.find((r: { id: string }) => r.id === 'etcd-client-tls')).toMatchObject({ area: 'etcd-tls', severity: 'error', cis: ['2.1'] });
  });

  it('explains a rule, and refuses an unknown id with one line', () => {
    const { code, stdout } = kubeharden(['explain', 'encryption-identity-first']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# encryption-identity-first\n\n\*\*Disallow identity as the first provider for Secrets\*\*/);
    expect(stdout).toContain('kubeharden:ignore encryption-identity-first reason=');
    expect(kubeharden(['explain', 'no-such-rule'])).toMatchObject({ code: 2, stderr: 'kubeharden: unknown rule id "no-such-rule" (see kubeharden rules)\n' });
  });

  it('writes a starter configuration that it then accepts, and never overwrites one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-init-'));
    mkdirSync(path.join(dir, '.git'));
    expect(kubeharden(['init'], dir)).toMatchObject({ code: 0, stdout: `wrote ${path.join(dir, '.kubeharden.yml')}\n` });
    expect(kubeharden(['check'], dir).code).toBe(0);
    expect(kubeharden(['init'], dir).code).toBe(2);
  });
});
