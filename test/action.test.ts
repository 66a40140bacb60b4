import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, TEST_TODAY } from './helpers.js';

/** Runs dist/index.js as the runner does: inputs as INPUT_* variables, files for outputs and summary. */
function action(inputs: Record<string, string>, options: { summary?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-action-'));
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: REPO,
    GITHUB_OUTPUT: files.output,
    ...(options.summary === false ? {} : { GITHUB_STEP_SUMMARY: files.summary }),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/cluster-config',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    KUBEHARDEN_TODAY: TEST_TODAY,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [path.join(REPO, 'dist', 'index.js')], { cwd: REPO, env, encoding: 'utf8' });
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.output, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([^]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code: result.status, stdout: result.stdout, summary: readFileSync(files.summary, 'utf8'), outputs, dir };
}

describe('the Action on the workspace', () => {
  it('annotates findings on their lines, summarises them with links, and fails on errors', () => {
    const run = action({ paths: 'examples/insecure-kubeadm' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error title=apiserver-authorization-not-always-allow,file=examples/insecure-kubeadm/kube-apiserver.yaml,line=18,endLine=18,col=28,endColumn=39::',
    );
    expect(run.stdout.match(/^::error /gm)).toHaveLength(8);
    expect(run.stdout.match(/^::warning /gm)).toHaveLength(10); // GitHub shows at most 10 per level
    expect(run.stdout).toMatch(/more findings are not annotated/);
    expect(run.summary).toContain(
      '[examples/insecure-kubeadm/kube-apiserver.yaml:18](https://github.com/octo/cluster-config/blob/0123456789abcdef0123456789abcdef01234567/examples/insecure-kubeadm/kube-apiserver.yaml#L18)',
    );
    expect(run.outputs).toMatchObject({ errors: '8', warnings: '13' });
  });

  it('passes when nothing reaches fail-on, and writes SARIF and JSON reports where asked', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kubeharden-reports-'));
    const sarif = path.join(out, 'reports', 'kubeharden.sarif');
    const json = path.join(out, 'kubeharden.json');
    const run = action({ paths: 'examples/insecure-kubeadm/kube-scheduler.yaml', 'sarif-file': sarif, 'json-file': json });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.bySeverity).toEqual({ error: 0, warning: 1, notice: 1 });
    expect(run.outputs['sarif-file']).toBe(sarif);
  });

  it('still reports and passes on runners without job summaries', () => {
    const run = action({ paths: 'examples/hardened-kubeadm' }, { summary: false });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the summary is not written');
    expect(run.outputs.errors).toBe('0');
  });

  it('fails with a message naming the input when an input is wrong', () => {
    const run = action({ 'fail-on': 'sometimes' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::input fail-on must be one of error, warning, notice, none (got "sometimes")');
  });
});
