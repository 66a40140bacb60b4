import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/findings/finding.js';
import { escapeMarkdown, renderMarkdownSummary } from '../src/report/markdown.js';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'apiserver-token-auth-file',
  severity: 'warning',
  area: 'authn',
  cis: ['1.2.2'],
  file: 'a.yaml',
  line: 3,
  column: 1,
  endLine: 3,
  endColumn: 2,
  message: 'The API server authenticates with a static token file: `--token-auth-file=/x`.',
  remediation: 'Remove it.',
  fingerprint: 'f'.repeat(32),
  helpUri: 'https://example.invalid/r.md',
  ...over,
});
const summary = { files: 1, documents: 1, bySeverity: { error: 0, warning: 1, notice: 0 }, suppressed: 0 };

describe('Markdown from repository values', () => {
  it('escapes HTML, links and emphasis in paths so nothing renders or runs', () => {
    const md = renderMarkdownSummary([finding({ file: 'x/<img src=x onerror=alert(1)>[a](http://e)|*b*.yaml' })], summary, { maxLength: 10_000 });
    expect(md).not.toContain('<img');
    expect(md).not.toContain('](http://e)');
    expect(md).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;\\[a\\]\\(http://e\\)\\|\\*b\\*.yaml');
  });

  it('keeps our code spans but stops a | inside them from splitting the table', () => {
    const md = renderMarkdownSummary([finding({ message: 'Value `a|b` is <bad>.' })], summary, { maxLength: 10_000 });
    expect(md).toContain('Value `a\\|b` is &lt;bad&gt;.');
  });

  it('stays under the length bound and says how many findings it left out', () => {
    const many = Array.from({ length: 500 }, (_, i) => finding({ line: i + 1 }));
    const md = renderMarkdownSummary(many, { ...summary, bySeverity: { error: 0, warning: 500, notice: 0 } }, { maxLength: 5_000 });
    expect(md.length).toBeLessThanOrEqual(5_000);
    expect(md).toMatch(/… and \d+ more findings/);
  });

  it('escapes every Markdown-active character', () => {
    expect(escapeMarkdown('a_b*c`d|e\nf')).toBe('a\\_b\\*c\\`d\\|e f');
  });
});
