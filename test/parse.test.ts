import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locate } from '../src/parse/locate.js';
import { SourceFile } from '../src/parse/source-file.js';
import { parseYaml } from '../src/parse/yaml.js';
import { checkPath } from './helpers.js';

function parse(text: string) {
  return parseYaml(new SourceFile('test.yaml', text));
}

/** Writes files into a fresh folder and checks it; returns the findings as `file:line rule`. */
function checkFiles(files: Record<string, string | Buffer>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-parse-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return checkPath(dir).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

describe('reading YAML as Kubernetes does', () => {
  it('reads YAML 1.1 booleans and octal numbers, and keeps dates as text', () => {
    const { documents } = parse('a: yes\nb: off\nc: 0755\nd: 2027-03-01\ne: "yes"\n');
    expect(documents[0]!.value).toEqual({ a: true, b: false, c: 493, d: '2027-03-01', e: 'yes' });
  });

  it('rejects a duplicate key at the duplicate, and still reads the other documents', () => {
    const { documents, problems } = parse('a: 1\n---\nb: 1\nb: 2\n---\nc: 3\n');
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/duplicate key/);
    expect(new SourceFile('x', 'a: 1\n---\nb: 1\nb: 2\n').position(problems[0]!.offset).line).toBe(4);
  });

  it('salvages the intact documents of a file with a syntax error, reporting its line', () => {
    const text = 'kind: A\n---\nkind: B\n  bad: [\n---\nkind: C\n';
    const { documents, problems } = parse(text);
    expect(documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['A', 'C']);
    expect(problems).toHaveLength(1);
    expect(new SourceFile('x', text).position(problems[0]!.offset).line).toBe(4);
  });

  it('reads application tags such as !Ref as their plain value instead of failing', () => {
    expect(parse('a: !Ref foo\nb: !Sub [x]\n').documents[0]!.value).toEqual({ a: 'foo', b: ['x'] });
  });

  it('refuses a document whose aliases would expand without bound, but keeps modest aliases', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 8; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const refused = parse(bomb);
    expect(refused.documents).toHaveLength(0);
    expect(refused.problems[0]!.code).toBe('alias-limit');
    expect(parse('base: &b {x: 1}\none: *b\ntwo: *b\n').documents[0]!.value).toEqual({ base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
  });

  it('locates keys, list items and missing paths (closest existing ancestor)', () => {
    const text = 'spec:\n  containers:\n    - name: a\n      command: [x, "--y=1"]\n';
    const doc = parse(text).documents[0]!;
    const file = new SourceFile('t', text);
    const item = locate(doc, ['spec', 'containers', 0, 'command', 1])!;
    expect(item.exact).toBe(true);
    expect(text.slice(item.node.start, item.node.end)).toBe('--y=1');
    const missing = locate(doc, ['spec', 'containers', 0, 'args'])!;
    expect(missing.exact).toBe(false);
    expect(file.position(missing.node.keyStart ?? missing.node.start).line).toBe(3);
  });
});

describe('bad input never stops the run', () => {
  it('reports invalid YAML as an error on its line and checks the other files', () => {
    const found = checkFiles({
      'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: {}\n',
      'apiserver.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      command: [kube-apiserver, --token-auth-file=/t.csv]\n',
    });
    expect(found).toContain('broken.yaml:5 yaml-invalid');
    expect(found).toContain('apiserver.yaml:8 apiserver-token-auth-file');
  });

  it('reports a Helm template once as not checked, and checks YAML whose values merely quote a template', () => {
    const found = checkFiles({
      'role.yaml': '{{- if .Values.rbac }}\nkind: Role\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n',
      'alerts.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  t: "{{ .Labels.x }}"\n',
    });
    expect(found).toEqual(['role.yaml:1 templated-file']);
  });

  it('skips binary and oversized files with a notice', () => {
    const found = checkFiles({ 'blob.yaml': Buffer.from([0x61, 0, 0x62]), 'big.yaml': 'a: ' + 'x'.repeat(9 * 1024 * 1024) });
    expect(found.sort()).toEqual(['big.yaml:1 file-not-checked', 'blob.yaml:1 file-not-checked']);
  });

  it('ignores YAML that is not Kubernetes (workflows, compose files) silently', () => {
    expect(
      checkFiles({
        'ci.yml': 'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: "kube-apiserver --anonymous-auth=true"}]\n',
        'compose.yaml': 'services:\n  etcd:\n    image: etcd\n    command: etcd --listen-client-urls=http://0.0.0.0:2379\n',
      }),
    ).toEqual([]);
  });

  it('reads List kinds and JSON manifests, with lines in the file', () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Pod',
      '    metadata: {name: s, namespace: kube-system}',
      '    spec:',
      '      containers:',
      '        - name: s',
      '          command: [kube-scheduler, --bind-address=0.0.0.0]',
    ].join('\n');
    const json = JSON.stringify(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'e' }, spec: { containers: [{ name: 'e', command: ['etcd', '--auto-tls=true'] }] } },
      null,
      2,
    );
    const found = checkFiles({ 'list.yaml': list, 'etcd.json': json });
    expect(found).toContain('list.yaml:10 scheduler-bind-address');
    expect(found).toContain(`etcd.json:${json.split('\n').findIndex((l) => l.includes('--auto-tls')) + 1} etcd-auto-tls`);
  });
});
