import { CHAPTER_SECTIONS, type ChapterSection } from '../rules/chapter.js';
import type { Rule } from '../rules/types.js';

/** The short help a reporter attaches to a rule (SARIF help, review comments). */
export function ruleHelpMarkdown(rule: Rule): string {
  const refs: string[] = [];
  for (const id of rule.references.cis ?? []) refs.push(`CIS Kubernetes Benchmark ${id}`);
  for (const key of rule.references.chapter) {
    const section = CHAPTER_SECTIONS[key as ChapterSection];
    if (section) refs.push(`Chapter: ${section.en} (${section.zh})`);
  }
  for (const url of rule.references.docs) refs.push(`<${url}>`);
  return [`**${rule.title}**`, '', rule.description.trim(), '', `**Fix:** ${rule.remediation}`, '', ...refs.map((r) => `- ${r}`)].join('\n');
}
