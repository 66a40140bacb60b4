import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectsOf } from '../src/extract/objects.js';
import { SourceFile } from '../src/parse/source-file.js';
import { positionTree } from '../src/parse/locate.js';
import { parseYaml } from '../src/parse/yaml.js';
import { CONFIG_SCHEMAS } from '../src/schema/config-schemas.js';
import { hasSchema, validateObjects, type SchemaIssue } from '../src/schema/validate.js';
import { MemoryTree } from '../src/source/tree.js';
import { check } from '../src/check.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { checkPath, filesUnder, REPO, SHARED } from './helpers.js';
import { KUBECONFORM } from './peer/kubeconform.js';

const CORPUS = path.join(SHARED, 'corpus');

function corpusObjects() {
  return filesUnder(CORPUS)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .flatMap((f) => parseYaml(new SourceFile(path.relative(CORPUS, f), readFileSync(f, 'utf8'))).documents.flatMap(objectsOf));
}

function findingsFor(file: string, text: string) {
  return check(new MemoryTree({ [file]: text }), { rules: BUILTIN_RULES }).findings.filter((f) => f.area === 'schema');
}

describe('schema validation on real files', () => {
  it('finds every object of the corpus that has a schema valid', () => {
    const objects = corpusObjects().filter((o) => hasSchema(o.apiVersion, o.kind));
    // Guards against a validator that silently validates nothing.
    expect(objects.length).toBeGreaterThan(200);
    const issues: SchemaIssue[] = [];
    validateObjects(objects, issues);
    expect(issues.map((i) => `${i.at.file.path}: ${i.detail}`)).toEqual([]);
  });

  // Every top-level field of every corpus configuration object, misspelt by one letter, is
  // reported on its line with the original name suggested (and a fix that restores it).
  const configFields = corpusObjects()
    .filter((o) => CONFIG_SCHEMAS[o.apiVersion]?.[o.kind] && o.path.length === 0)
    .flatMap((o) => {
      const tree = positionTree(o.doc)!;
      return [...tree.entries!.entries()]
        .filter(([key]) => !['apiVersion', 'kind', 'metadata'].includes(key) && key.length >= 4)
        .map(([key, node]) => ({ file: o.doc.file, key, line: o.doc.file.position(node.keyStart!).line }));
    });

  it('has configuration fields in the corpus to misspell', () => expect(configFields.length).toBeGreaterThan(100));

  it('reports each misspelt field on its line and suggests the real name', () => {
    const misses: string[] = [];
    for (const { file, key, line } of configFields) {
      const lines = file.text.split('\n');
      const original = lines[line - 1]!;
      lines[line - 1] = original.replace(key, key.slice(0, -1));
      const here = findingsFor(file.path, lines.join('\n')).find((f) => f.ruleId === 'schema-unknown-field' && f.line === line);
      if (!here?.message.includes(`did you mean \`${key}\`?`) || here.fix?.replacement !== original) {
        misses.push(`${file.path}:${line} ${key}: ${here?.message ?? 'no finding'}`);
      }
    }
    expect(misses).toEqual([]);
  });
});

describe('where schema findings land', () => {
  it('puts an invalid List item on its own line', () => {
    const found = checkPath(path.join(KUBECONFORM, 'fixtures', 'list_invalid.yaml'), { root: KUBECONFORM }).findings.filter(
      (f) => f.area === 'schema',
    );
    const text = readFileSync(path.join(KUBECONFORM, 'fixtures', 'list_invalid.yaml'), 'utf8').split('\n');
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(text[f.line - 1]).toMatch(/replicas/);
  });

  it('maps a field inside a kind kubeadmConfigPatches string to the line of the host file', () => {
    const dir = path.join(REPO, 'test', 'fixtures', 'schema');
    const found = checkPath(path.join(dir, 'kind-patch.yaml'), { root: dir }).findings.filter((f) => f.ruleId === 'schema-unknown-field');
    expect(found.map((f) => [f.line, f.column])).toEqual([[10, 13]]);
    expect(found[0]!.message).toContain('`authentication.anonymous.enable` is not a field of KubeletConfiguration');
    expect(found[0]!.fix).toEqual({ line: 10, replacement: '            enabled: false' });
  });

  it('does not ask a partial kind patch for the fields kubeadm fills in', () => {
    const found = findingsFor(
      'kind.yaml',
      ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', 'kubeadmConfigPatches:', '  - |', '    kind: EncryptionConfiguration', '    apiVersion: apiserver.config.k8s.io/v1', ''].join('\n'),
    );
    expect(found).toEqual([]);
  });

  it('reports a config file with a missing required field, and a wrong type, once each', () => {
    const found = findingsFor('audit.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: RequestReceived\n');
    expect(found.map((f) => `${f.line} ${f.ruleId} ${f.message}`)).toEqual([
      "2 schema-invalid the Policy has no `rules`, which Policy requires, so the configuration is refused as written.",
      '3 schema-invalid `omitStages` must be an array; it is `"RequestReceived"`, so the configuration is refused as written.',
    ]);
  });
});
