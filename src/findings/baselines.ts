import data from '../data/rbac-baselines.json' with { type: 'json' };
import type { Exception } from '../config/config.js';
import type { Span } from '../parse/source-file.js';

export type BaselineName = 'argo-cd' | 'cert-manager' | 'flux' | 'ingress-nginx';
export const BASELINE_NAMES: readonly BaselineName[] = ['argo-cd', 'cert-manager', 'flux', 'ingress-nginx'];

interface Entry {
  subject: { kind: string; name: string; namespace?: string };
  scope?: string;
  rules: string[];
  why: string;
}

/** The exceptions a shipped baseline stands for, written at `at` (the config's `baselines:`). */
export function baselineExceptions(names: readonly BaselineName[], at: Span): Exception[] {
  return names.flatMap((name) =>
    (data[name].entries as Entry[]).map((e) => ({
      rules: e.rules,
      paths: [],
      subject: e.subject as Exception['subject'],
      scope: e.scope,
      reason: `baseline ${name}: ${e.why}`,
      at,
      baseline: name,
    })),
  );
}
