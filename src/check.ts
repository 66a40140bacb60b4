import picomatch from 'picomatch';
import type { Extracted, Model } from './model/types.js';
import { resolveReferences } from './model/references.js';
import { buildScopes } from './model/scopes.js';
import { parseVersion } from './model/versions.js';
import { SourceFile } from './parse/source-file.js';
import { positionTree } from './parse/locate.js';
import { parseYaml, type YamlDocument } from './parse/yaml.js';
import { helmTemplateDirs, templateKind } from './parse/templates.js';
import { extractYamlFile } from './extract/index.js';
import { extractK3sConfigs, isK3sConfig } from './extract/k3s.js';
import { extractUnit, isUnitFile } from './extract/systemd.js';
import type { FileTree } from './source/tree.js';
import type { FileProblem } from './rules/analyzers/index.js';
import { runRules } from './rules/engine.js';
import { k3sOptionIssues } from './schema/k3s-options.js';
import { typeMetaIssues, validateObjects, type SchemaIssue } from './schema/validate.js';
import type { Rule, Severity } from './rules/types.js';
import { compareFindings, toFinding, type Finding } from './findings/finding.js';
import { annotationDirective, ANNOTATION, applySuppressions, commentDirectives, type Directive, type DocumentRange } from './findings/suppressions.js';
import type { ClusterConfig, Exception } from './config/config.js';
import { spanAt } from './extract/spans.js';
import { get, str } from './util/values.js';

export interface CheckOptions {
  rules: readonly Rule[];
  /** Glob patterns (relative to the root) of files not to read. */
  exclude?: readonly string[];
  /** Files larger than this are skipped with a notice. */
  maxFileBytes?: number;
  /** `.kubeharden.yml` `files:`: host path → repository path of files that flags name. */
  files?: Readonly<Record<string, string>> | undefined;
  /** `--kubernetes-version`: the version of every cluster, over what the files and the config say. */
  kubernetesVersion?: string | undefined;
  /** The day to judge end-of-life dates against, `YYYY-MM-DD`; today by default. */
  today?: string | undefined;
  /** The model of the same files at the base of a change, for rules about the change itself. */
  base?: Model | undefined;
  /** Glob patterns of the only files to read. */
  include?: readonly string[] | undefined;
  /** `kubernetes-version` of .kubeharden.yml: the version of clusters that do not name their own. */
  defaultKubernetesVersion?: string | undefined;
  /** `clusters:` of .kubeharden.yml: the scopes, with their versions and distributions. */
  clusters?: readonly ClusterConfig[] | undefined;
  /** `exceptions:` of .kubeharden.yml. */
  exceptions?: readonly Exception[] | undefined;
}

export interface CheckSummary {
  /** Files read as configuration. */
  files: number;
  /** YAML documents parsed in them. */
  documents: number;
  /** Findings that count, by severity (suppressed ones are not in it). */
  bySeverity: Record<Severity, number>;
  /** Findings silenced by a directive or an exception. */
  suppressed: number;
}

export interface CheckResult {
  findings: Finding[];
  summary: CheckSummary;
  model: Model;
}

/** Big enough for every real bundle we have seen (Argo CD's install is ~2 MB), small enough to bound memory. */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** File names read as YAML or JSON. `.manifest` is what GCE and older tools name static pods. */
const YAML_FILE = /\.(ya?ml|json|manifest)$/i;
/** systemd units and drop-ins (a `.conf` counts once its text shows a [Service] section). */
const UNIT_FILE = /\.(service|conf)$/i;
const TEMPLATE_FILE = /\.(ya?ml|json|service|conf|env)\.(j2|jinja2?|tpl|gotmpl|tmpl)$/i;

/** Whether kubeharden reads a file of this name (YAML and JSON, systemd units, templates of them). */
export function readsFile(path: string): boolean {
  return YAML_FILE.test(path) || UNIT_FILE.test(path) || TEMPLATE_FILE.test(path);
}

/**
 * The whole check: read every file of the tree, parse, extract the model, run the rules.
 * Nothing here throws for bad input: every unreadable file becomes a finding and the run goes on.
 */
export function check(tree: FileTree, options: CheckOptions): CheckResult {
  const excluded = options.exclude?.length ? picomatch([...options.exclude], { dot: true }) : () => false;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const included = options.include?.length ? picomatch([...options.include], { dot: true }) : () => true;
  const paths = tree.list().filter((p) => readsFile(p) && included(p) && !excluded(p));
  const directives: Directive[] = [];
  const ranges: DocumentRange[] = [];
  const helmDirs = helmTemplateDirs(tree.list());
  const problems: FileProblem[] = [];
  const schema: SchemaIssue[] = [];
  const extracted: Extracted = { components: [], encryption: [], audit: [], objects: [] };
  const components = extracted.components;
  const units: SourceFile[] = [];
  const k3sDocs: YamlDocument[] = [];
  let files = 0;
  let documents = 0;

  for (const path of paths) {
    const size = tree.size(path);
    if (size !== undefined && size > maxBytes) {
      problems.push(skipped(path, 'too-large', `the file is ${megabytes(size)}, over the ${megabytes(maxBytes)} limit; it is not checked`));
      continue;
    }
    const bytes = tree.read(path);
    if (!bytes) continue;
    if (bytes.length > maxBytes) {
      problems.push(skipped(path, 'too-large', `the file is ${megabytes(bytes.length)}, over the ${megabytes(maxBytes)} limit; it is not checked`));
      continue;
    }
    if (bytes.subarray(0, 8000).includes(0)) {
      problems.push(skipped(path, 'binary', 'the file is binary; it is not checked'));
      continue;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const file = new SourceFile(path, text);
    if (UNIT_FILE.test(path)) {
      if (isUnitFile(path, text)) {
        files++;
        units.push(file);
        directives.push(...commentDirectives(file));
      }
      continue;
    }
    directives.push(...commentDirectives(file));
    files++;
    const inHelmChart = helmDirs.some((dir) => path.startsWith(dir));
    if (TEMPLATE_FILE.test(path) || inHelmChart) {
      const kind = templateKind(path, text, true, inHelmChart);
      if (kind) {
        problems.push({ file, code: 'templated', message: `the file is ${kind}`, offset: 0 });
        continue;
      }
    }
    const parsed = parseYaml(file);
    if (parsed.problems.some((p) => p.code === 'syntax')) {
      const kind = templateKind(path, text, false, inHelmChart);
      if (kind) {
        problems.push({ file, code: 'templated', message: `the file has ${kind}`, offset: 0 });
        continue;
      }
    }
    for (const problem of parsed.problems) problems.push({ file, ...problem });
    documents += parsed.documents.length;
    const keptBefore = extracted.objects.length;
    const objects = extractYamlFile(parsed.documents, extracted);
    validateObjects(objects, schema);
    // Positions are settled once the file is extracted and the event streams can go, except for
    // what is read later: a k3s configuration (with its drop-ins) and the objects rules read as
    // they are keep their position trees.
    const keep = new Set(extracted.objects.slice(keptBefore).map((o) => o.doc));
    ranges.push(...documentRanges(parsed.documents, directives));
    for (const doc of parsed.documents) {
      typeMetaIssues(doc, schema);
      k3sOptionIssues(doc, schema);
      if (isK3sConfig(path, doc.value)) {
        k3sDocs.push(doc);
        keep.add(doc);
      }
    }
    for (const doc of parsed.documents) {
      if (keep.has(doc)) positionTree(doc);
      doc.events = undefined;
      if (!keep.has(doc)) doc.tree = undefined;
    }
  }

  extractK3sConfigs(k3sDocs, extracted);
  for (const group of unitGroups(units)) extractUnit(group, components);
  const model: Model = { scopes: buildScopes(extracted, options.clusters ?? [], options.defaultKubernetesVersion) };
  resolveReferences(model.scopes, options.files ?? {});
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const raw = runRules(options.rules, model, {
    problems,
    schema,
    kubernetesVersion: options.kubernetesVersion ? parseVersion(options.kubernetesVersion) : undefined,
    today,
    base: options.base,
  }).map(toFinding);
  const findings = applySuppressions({
    findings: raw,
    directives,
    exceptions: options.exceptions ?? [],
    documents: ranges,
    rules: options.rules,
    today,
  }).sort(compareFindings);
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  return { findings, summary: { files, documents, bySeverity, suppressed }, model };
}

/**
 * A unit with the drop-ins beside it (`x.service` and `x.service.d/*.conf`), in the order systemd
 * applies them; a drop-in whose unit is not in the repository stands alone.
 */
function unitGroups(units: readonly SourceFile[]): SourceFile[][] {
  const byPath = new Map(units.map((u) => [u.path, u]));
  const groups = new Map<string, SourceFile[]>();
  for (const unit of [...units].sort((a, b) => a.path.localeCompare(b.path))) {
    const m = /^(.*\.service)\.d\/[^/]+\.conf$/.exec(unit.path);
    const base = m && byPath.has(m[1]!) ? m[1]! : unit.path;
    groups.set(base, [...(groups.get(base) ?? []), unit]);
  }
  return [...groups.entries()].map(([base, files]) => [byPath.get(base)!, ...files.filter((f) => f.path !== base)]);
}

/**
 * Each document's lines and the object it holds (for exceptions keyed by object), and its
 * `kubeharden.dev/ignore` annotation, which silences findings anywhere in the object. A document
 * runs from its first node to the line before the next document's.
 */
function documentRanges(documents: readonly YamlDocument[], directives: Directive[]): DocumentRange[] {
  const starts = documents.map((doc) => {
    const first = doc.events?.find((e) => ('start' in e && e.start >= 0) || ('valueStart' in e && e.valueStart >= 0));
    const offset = first ? ('start' in first ? first.start : (first as { valueStart: number }).valueStart) : 0;
    return doc.file.position(offset).line;
  });
  return documents.map((doc, i) => {
    const from = starts[i]!;
    const to = i + 1 < starts.length ? Math.max(from, starts[i + 1]! - 1) : doc.file.lineCount;
    const metadata = get(doc.value, 'metadata');
    const annotation = str(get(get(metadata, 'annotations'), ANNOTATION));
    if (annotation !== undefined) {
      const line = doc.file.position(spanAt(doc, ['metadata', 'annotations', ANNOTATION]).start).line;
      directives.push(annotationDirective(doc.file, annotation, line, from, to));
    }
    return { file: doc.file.path, from, to, kind: str(get(doc.value, 'kind')), namespace: str(get(metadata, 'namespace')), name: str(get(metadata, 'name')) };
  });
}

function skipped(path: string, code: FileProblem['code'], message: string): FileProblem {
  return { file: new SourceFile(path, ''), code, message, offset: 0 };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
