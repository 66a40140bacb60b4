import type { CheckOptions } from '../check.js';
import type { Rule } from '../rules/types.js';
import { applyRuleSettings, type Config } from './config.js';

/**
 * What the CLI and the Action pass to the check, from the configuration and the few settings
 * given on the command line (or as inputs), which win.
 */
export function checkOptions(builtin: readonly Rule[], config: Config, given: { kubernetesVersion?: string | undefined; today?: string | undefined }): CheckOptions {
  return {
    rules: applyRuleSettings(builtin, config),
    include: config.include,
    exclude: config.exclude,
    files: config.files,
    clusters: config.clusters,
    exceptions: config.exceptions,
    kubernetesVersion: given.kubernetesVersion,
    defaultKubernetesVersion: config.kubernetesVersion,
    today: given.today,
  };
}
