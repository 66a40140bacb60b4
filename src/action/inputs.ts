import * as core from '@actions/core';
import type { Severity } from '../rules/types.js';

/** Everything the Action was asked to do, read and checked in one place. */
export interface Settings {
  /** Files or folders to check, relative to the workspace; empty = the whole workspace. */
  paths: string[];
  /** `.kubeharden.yml` to use; empty = the one at the workspace root, if any. */
  config: string;
  /** Lowest severity that fails the step; undefined = the config's, else error. */
  failOn: Severity | 'none' | undefined;
  kubernetesVersion: string;
  /** Where to write the SARIF report; empty = do not write one. */
  sarifFile: string;
  /** Where to write the JSON report; empty = do not write one. */
  jsonFile: string;
  /** Never logged. Empty: no GitHub API calls at all. */
  token: string;
  /** What fails the check on a pull request; undefined = the config's, else `new`. */
  mode: 'new' | 'changed' | 'all' | undefined;
  /** `review`: line comments and the summary comment; `summary`: the summary comment only; `none`. */
  comment: 'review' | 'summary' | 'none';
  checkRun: boolean;
  /** Submit the review as REQUEST_CHANGES when the check fails (else COMMENT). */
  requestChanges: boolean;
  /** A JSON report written by an earlier run, to post instead of checking (the workflow_run pattern). */
  reportFrom: string;
}

/** A wrong input: the Action fails with this message, which names the input and what it accepts. */
export class InputError extends Error {}

export function readSettings(): Settings {
  const failOn = core.getInput('fail-on');
  if (failOn && !['error', 'warning', 'notice', 'none'].includes(failOn)) {
    throw new InputError(`input fail-on must be one of error, warning, notice, none (got "${failOn}")`);
  }
  const kubernetesVersion = core.getInput('kubernetes-version');
  if (kubernetesVersion && !/^v?\d+\.\d+(\.\d+)?$/.test(kubernetesVersion)) {
    throw new InputError(`input kubernetes-version must look like 1.31 or 1.31.2 (got "${kubernetesVersion}")`);
  }
  const mode = core.getInput('mode');
  if (mode && !['new', 'changed', 'all'].includes(mode)) throw new InputError(`input mode must be one of new, changed, all (got "${mode}")`);
  const comment = core.getInput('comment') || 'review';
  if (!['review', 'summary', 'none'].includes(comment)) throw new InputError(`input comment must be one of review, summary, none (got "${comment}")`);
  // Secrets given to a step are masked by the runner already; the token is never written anywhere.
  const token = core.getInput('github-token');
  const settings: Settings = {
    paths: core
      .getInput('paths')
      .split(/[\n,]/)
      .map((p) => p.trim())
      .filter(Boolean),
    config: core.getInput('config'),
    failOn: (failOn || undefined) as Settings['failOn'],
    kubernetesVersion,
    sarifFile: core.getInput('sarif-file'),
    jsonFile: core.getInput('json-file'),
    token,
    mode: (mode || undefined) as Settings['mode'],
    comment: comment as Settings['comment'],
    checkRun: booleanInput('check-run', true),
    requestChanges: booleanInput('request-changes', false),
    reportFrom: core.getInput('report-from'),
  };
  for (const [key, value] of Object.entries(settings)) if (key !== 'token') core.debug(`${key} = ${JSON.stringify(value)}`);
  return settings;
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).toLowerCase();
  if (!value) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`input ${name} must be true or false (got "${value}")`);
}
