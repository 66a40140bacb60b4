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
  };
  for (const [key, value] of Object.entries(settings)) core.debug(`${key} = ${JSON.stringify(value)}`);
  return settings;
}
