import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { check } from '../check.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { checkOptions } from '../config/options.js';
import { atOrAbove, type Finding } from '../findings/finding.js';
import { renderJson } from '../report/json.js';
import { renderMarkdownSummary } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { BUILTIN_RULES } from '../rules/builtin.js';
import type { Severity } from '../rules/types.js';
import { DirectoryTree } from '../source/tree.js';
import { InputError, readSettings } from './inputs.js';

/**
 * GitHub shows at most 10 annotations of each level per step ("10 warning + 10 error + 10 notice
 * per step", workflow commands docs); more are dropped silently, so we send 10 and say so.
 */
const ANNOTATIONS_PER_LEVEL = 10;
/** The job summary of a step is cut off above 1 MiB (workflow commands docs). */
const STEP_SUMMARY_LIMIT = 1024 * 1024;

/** The Action: check the workspace, annotate, summarise, write reports, pass or fail. */
export async function run(): Promise<void> {
  try {
    const settings = readSettings();
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const config = loadConfig(workspace, BUILTIN_RULES, settings.config || undefined);
    // KUBEHARDEN_TODAY pins the day end-of-life dates are judged against (reproducible runs).
    const today = process.env.KUBEHARDEN_TODAY && /^\d{4}-\d{2}-\d{2}$/.test(process.env.KUBEHARDEN_TODAY) ? process.env.KUBEHARDEN_TODAY : undefined;
    const options = checkOptions(BUILTIN_RULES, config, { kubernetesVersion: settings.kubernetesVersion || undefined, today });
    const rules = options.rules;
    const result = check(new DirectoryTree(workspace, settings.paths), options);
    const failOn = settings.failOn ?? config.failOn ?? 'error';

    const reported = result.findings.filter((f) => !f.suppressed);
    annotate(reported);
    const summary = renderMarkdownSummary(reported, result.summary, { linkTo: lineLink(), maxLength: STEP_SUMMARY_LIMIT - 1024 });
    // Runners without job summaries (older GHES, local runners) leave the variable unset.
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summary).write();
    else core.info('No job summary file (GITHUB_STEP_SUMMARY is not set); the summary is not written.');

    if (settings.sarifFile) writeReport(workspace, settings.sarifFile, renderSarif(result.findings, rules));
    if (settings.jsonFile) writeReport(workspace, settings.jsonFile, renderJson(result.findings, result.summary));
    core.setOutput('errors', result.summary.bySeverity.error);
    core.setOutput('warnings', result.summary.bySeverity.warning);
    core.setOutput('notices', result.summary.bySeverity.notice);
    core.setOutput('sarif-file', settings.sarifFile);
    core.setOutput('json-file', settings.jsonFile);

    const failing = reported.filter((f) => atOrAbove(f.severity, failOn)).length;
    if (failing) core.setFailed(`kubeharden: ${failing} finding${failing === 1 ? '' : 's'} at or above ${failOn}`);
  } catch (error) {
    if (error instanceof InputError || error instanceof ConfigError) core.setFailed(error.message);
    else core.setFailed(`kubeharden: internal error: ${(error as Error)?.stack ?? String(error)}`);
  }
}

function annotate(findings: readonly Finding[]): void {
  const sent: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) {
    if (sent[f.severity] >= ANNOTATIONS_PER_LEVEL) continue;
    sent[f.severity]++;
    const properties = {
      title: `${f.ruleId}`,
      file: f.file,
      startLine: f.line,
      endLine: f.endLine,
      ...(f.line === f.endLine ? { startColumn: f.column, endColumn: f.endColumn } : {}),
    };
    const text = `${f.message} ${f.remediation}`;
    if (f.severity === 'error') core.error(text, properties);
    else if (f.severity === 'warning') core.warning(text, properties);
    else core.notice(text, properties);
  }
  const dropped = findings.length - sent.error - sent.warning - sent.notice;
  if (dropped > 0) {
    core.info(`${dropped} more findings are not annotated (GitHub shows 10 per level per step); the job summary lists them.`);
  }
}

function lineLink(): ((file: string, line: number) => string) | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = process.env;
  if (!server || !repo || !sha) return undefined;
  return (file, line) => `${server}/${repo}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}

function writeReport(workspace: string, file: string, content: string): void {
  const target = path.resolve(workspace, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
}
