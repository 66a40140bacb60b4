import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderRulePage } from '../docs/rule-pages.js';
import { DOCS_BASE } from '../findings/finding.js';
import type { Rule } from '../rules/types.js';

/** `kubeharden rules`: every rule with its area, severity and CIS ids, as a table or JSON. */
export function listRules(rules: readonly Rule[], format: 'text' | 'json'): string {
  if (format === 'json') {
    const list = rules.map((r) => ({ id: r.id, title: r.title, area: r.area, severity: r.severity, cis: r.references.cis ?? [], tags: r.tags ?? [], helpUri: `${DOCS_BASE}${r.id}.md` }));
    return JSON.stringify(list, null, 2) + '\n';
  }
  const rows = rules.map((r) => [r.id, r.area, r.severity, (r.references.cis ?? []).join(',') || '-', r.title]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['ID', 'AREA', 'SEVERITY', 'CIS'][i]!.length, ...rows.map((row) => row[i]!.length)]));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  return [line(['ID', 'AREA', 'SEVERITY', 'CIS', 'TITLE']), ...rows.map(line)].join('\n') + '\n';
}

/** `kubeharden explain <id>`: the rule's page (without its examples, which are on the web page). */
export function explainRule(rule: Rule): string {
  return `${renderRulePage(rule, undefined, false).trimEnd()}\n\nExamples and the full page: ${DOCS_BASE}${rule.id}.md\n`;
}

/** The starter configuration `kubeharden init` writes; every key is optional. */
export const STARTER_CONFIG = `# kubeharden configuration: https://github.com/kubeharden/kubeharden/blob/main/docs/configuration.md
# yaml-language-server: $schema=https://github.com/kubeharden/kubeharden/raw/main/docs/config.schema.json

# recommended (default), strict (beta feature gates and rules tagged strict are errors, notices
# become warnings) or cis (only the rules that map to CIS Kubernetes Benchmark checks).
preset: recommended

# Files not to read (globs relative to the repository root).
exclude:
  - "vendor/**"

# The lowest severity that fails the run: error, warning, notice or none.
fail-on: error

# With a base (--base, or a pull request in the Action): fail on new findings only, or on all.
mode: new

# Turn rules off or change their severity, by id, by area (area:audit) or by tag (tag:cis).
# rules:
#   apiserver-tls-cipher-suites: off
#   tag:strict: error

# The version of clusters whose files do not say (image tags, kubernetesVersion, spec.version).
# kubernetes-version: "1.35"

# Where files that flags name are kept in this repository.
# files:
#   /etc/kubernetes/enc/encryption-config.yaml: clusters/prod/encryption-config.yaml

# The clusters this repository describes, when not laid out as clusters/<name>/.
# clusters:
#   - name: prod
#     paths: ["prod/**"]
#     kubernetes-version: "1.35"

# Findings not to report, each with a reason (and, optionally, the day the exception ends).
# exceptions:
#   - rules: [scheduler-bind-address]
#     paths: ["clusters/lab/**"]
#     reason: "the lab cluster is scraped over the node network"
#     until: 2027-03-01

# Rules of your own, in CEL (docs/custom-rules.md).
# custom-rules:
#   - id: scheduler-profiling-off
#     title: Require profiling off on the scheduler
#     area: scheduler
#     severity: error
#     components: [kube-scheduler]
#     flag: --profiling
#     expression: '"--profiling" in component.settings && component.settings["--profiling"].value == "false"'
#     message: Profiling is on for the scheduler.
#     remediation: Set --profiling=false.
`;

/** `kubeharden init`: writes the starter configuration, never over an existing one. */
export function writeStarterConfig(root: string): { written?: string; exists?: string } {
  const target = path.join(root, '.kubeharden.yml');
  for (const name of ['.kubeharden.yml', '.kubeharden.yaml']) {
    if (existsSync(path.join(root, name))) return { exists: path.join(root, name) };
  }
  writeFileSync(target, STARTER_CONFIG);
  return { written: target };
}
