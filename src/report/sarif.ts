import { VERSION as version } from '../version.js';
import type { Finding } from '../findings/finding.js';
import { DOCS_BASE } from '../findings/finding.js';
import type { Rule, Severity } from '../rules/types.js';
import { ruleHelpMarkdown } from './rule-help.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };
/** GitHub code scanning ranks alerts by this number: ≥7 high, ≥4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', notice: '2.0' };

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules with help text, every result
 * on its real line, and a line-independent fingerprint so alerts follow code that moves.
 */
export function renderSarif(findings: readonly Finding[], rules: readonly Rule[]): string {
  const used = new Set(findings.map((f) => f.ruleId));
  const driverRules = rules.filter((r) => used.has(r.id));
  const index = new Map(driverRules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubeharden',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/kubeharden/kubeharden',
            rules: driverRules.map((rule) => ({
              id: rule.id,
              name: pascal(rule.id),
              shortDescription: { text: rule.title },
              fullDescription: { text: plain(rule.description) },
              helpUri: `${DOCS_BASE}${rule.id}.md`,
              help: { text: `${plain(rule.description)}\n\n${rule.remediation}`, markdown: ruleHelpMarkdown(rule) },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: {
                tags: ['security', 'kubernetes', rule.area, ...(rule.references.cis ?? []).map((id) => `CIS-${id}`)],
                precision: 'high',
                'security-severity': SECURITY_SEVERITY[rule.severity],
              },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: `${f.message} ${f.remediation}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          partialFingerprints: { 'kubeharden/v1': f.fingerprint },
          ...(f.status ? { baselineState: BASELINE[f.status] } : {}),
          ...(f.suppressed ? { suppressions: [{ kind: f.suppressed.by === 'inline' ? 'inSource' : 'external', justification: f.suppressed.reason }] } : {}),
          ...(f.fix ? { fixes: [fixOf(f)] } : {}),
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** SARIF's names for a finding's state against the base. */
const BASELINE = { new: 'new', existing: 'unchanged', fixed: 'absent' } as const;

function fixOf(f: Finding) {
  const fix = f.fix!;
  return {
    description: { text: f.remediation },
    artifactChanges: [
      {
        artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
        replacements: [
          {
            deletedRegion: { startLine: fix.line, startColumn: 1, endLine: fix.line + 1, endColumn: 1 },
            insertedContent: { text: `${fix.replacement}\n` },
          },
        ],
      },
    ],
  };
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** Markdown to plain text for SARIF's text fields: drop code ticks and link targets. */
function plain(markdown: string): string {
  return markdown.replace(/`/g, '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').trim();
}
