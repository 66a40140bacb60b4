import { CONFIG_SCHEMA } from '../config/schema.js';
import { RULE_SCHEMA } from '../rules/rule-schema.js';
import type { Rule } from '../rules/types.js';
import { renderRuleDocs } from './rule-pages.js';

/** Every generated file under docs/, keyed by its path relative to docs/. */
export function generatedDocs(rules: readonly Rule[], rulesDir: string): Map<string, string> {
  const out = renderRuleDocs(rules, rulesDir);
  out.set('config.schema.json', JSON.stringify(CONFIG_SCHEMA, null, 2) + '\n');
  out.set('rule.schema.json', JSON.stringify(RULE_SCHEMA, null, 2) + '\n');
  return out;
}
