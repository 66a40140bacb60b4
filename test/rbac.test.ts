import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { parseConfig } from '../src/config/config.js';
import { checkOptions } from '../src/config/options.js';
import { compareWithBase } from '../src/findings/baseline.js';
import type { Finding } from '../src/findings/finding.js';
import { BUILTIN_RULES } from '../src/rules/builtin.js';
import { MemoryTree } from '../src/source/tree.js';
import { SHARED, TEST_TODAY } from './helpers.js';

const RBAC_RULES = BUILTIN_RULES.filter((r) => r.area === 'rbac');

function run(files: Record<string, string>, config = '', base?: Record<string, string>): Finding[] {
  const options = checkOptions(BUILTIN_RULES, parseConfig('.kubeharden.yml', config, BUILTIN_RULES), { today: TEST_TODAY });
  const before = base ? check(new MemoryTree(base), options) : undefined;
  const after = check(new MemoryTree(files), { ...options, base: before?.model });
  const findings = before ? compareWithBase(after.findings, before.findings) : after.findings;
  return findings.filter((f) => RBAC_RULES.some((r) => r.id === f.ruleId));
}

const lines = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.file}:${f.line} ${f.ruleId}${f.status ? ` ${f.status}` : ''}${f.suppressed ? ' (suppressed)' : ''}`);

function clusterRole(name: string, rules: string[], labels: Record<string, string> = {}): string {
  const labelLines = Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`);
  return ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', `  name: ${name}`, ...(labelLines.length ? ['  labels:', ...labelLines] : []), 'rules:', ...rules, ''].join('\n');
}

function role(name: string, namespace: string, rules: string[]): string {
  return ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'rules:', ...rules, ''].join('\n');
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, roleRef: string, subjects: string[], namespace?: string, refKind = 'ClusterRole'): string {
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    `  kind: ${refKind}`,
    `  name: ${roleRef}`,
    'subjects:',
    ...subjects,
    '',
  ].join('\n');
}

const sa = (name: string, namespace?: string) => [`  - kind: ServiceAccount`, `    name: ${name}`, ...(namespace ? [`    namespace: ${namespace}`] : [])].join('\n');
const READ_SECRETS = ['  - apiGroups: [""]', '    resources: ["secrets"]', '    verbs: ["get", "list", "watch"]'];
const EXEC = ['  - apiGroups: [""]', '    resources: ["pods/exec"]', '    verbs: ["create"]'];
const READ_PODS = ['  - apiGroups: [""]', '    resources: ["pods"]', '    verbs: ["get", "list"]'];

describe('the two changes issue 5 is done with', () => {
  const roles = { 'rbac/secret-reader.yaml': clusterRole('secret-reader', READ_SECRETS) };
  const before = { ...roles, 'rbac/ci.yaml': binding('ClusterRoleBinding', 'ci', 'secret-reader', [sa('builder', 'ci')]) };

  it('a pull request that binds a service account to a role that reads Secrets cluster-wide: one new finding on the new subject', () => {
    const after = { ...roles, 'rbac/ci.yaml': binding('ClusterRoleBinding', 'ci', 'secret-reader', [sa('builder', 'ci'), sa('deployer', 'ci')]) };
    const found = run(after, '', before).filter((f) => f.status === 'new');
    expect(lines(found)).toEqual(['rbac/ci.yaml:13 rbac-read-secrets new']);
    expect(found[0]!.message).toContain('ServiceAccount ci/deployer can read Secrets in every namespace and cluster-wide');
    expect(found[0]!.message).toContain('ClusterRoleBinding ci (rbac/ci.yaml:4) → ClusterRole secret-reader (rbac/secret-reader.yaml:4) → rule 1 (get, list, watch on secrets)');
    // The subject already there is still reported, as existing.
    expect(lines(run(after, '', before).filter((f) => f.status === 'existing'))).toEqual(['rbac/ci.yaml:10 rbac-read-secrets existing']);
  });

  it('a pull request that only adds an aggregate-to-view label to a role with pods/exec: one new finding, on the label, naming subject and chain', () => {
    const viewers = { 'rbac/viewers.yaml': binding('ClusterRoleBinding', 'viewers', 'view', ['  - kind: Group', '    apiGroup: rbac.authorization.k8s.io', '    name: support']) };
    const base = { ...viewers, 'rbac/debug.yaml': clusterRole('debug', EXEC) };
    const head = { ...viewers, 'rbac/debug.yaml': clusterRole('debug', EXEC, { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }) };
    const found = run(head, '', base);
    const added = found.filter((f) => f.status === 'new');
    expect(lines(added)).toEqual(['rbac/debug.yaml:6 rbac-pods-exec new']);
    expect(added.find((f) => f.ruleId === 'rbac-pods-exec')!.message).toContain(
      'Group support can run commands in pods (exec, attach or port-forward) in every namespace and cluster-wide: ClusterRoleBinding viewers (rbac/viewers.yaml:4) → ClusterRole view (built-in) → aggregated from ClusterRole debug (rbac/debug.yaml:4)',
    );
    expect(run(base, '', base).filter((f) => f.status === 'new')).toEqual([]);
  });

  it('the same files without the change report nothing as new', () => {
    expect(run(before, '', before).filter((f) => f.status !== 'existing')).toEqual([]);
  });

  it('a permission taken away is reported fixed', () => {
    const after = { ...roles, 'rbac/ci.yaml': binding('ClusterRoleBinding', 'ci', 'secret-reader', [sa('other', 'ci')]) };
    const base = { ...roles, 'rbac/ci.yaml': binding('ClusterRoleBinding', 'ci', 'secret-reader', [sa('other', 'ci'), sa('builder', 'ci')]) };
    const fixed = run(after, '', base).filter((f) => f.status === 'fixed');
    expect(fixed.map((f) => `${f.ruleId} ${f.rbac?.subject}`)).toEqual(['rbac-read-secrets ServiceAccount:ci/builder']);
  });
});

describe('the authorizer semantics', () => {
  it('joins a role in one file to its binding in another, and names both places', () => {
    const found = run({ 'a/role.yaml': clusterRole('r', READ_SECRETS), 'b/binding.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]) });
    expect(lines(found)).toEqual(['b/binding.yaml:10 rbac-read-secrets']);
    expect(found[0]!.message).toContain('ClusterRole r (a/role.yaml:4)');
  });

  it('a RoleBinding to a ClusterRole grants its namespaced rules in one namespace, one step lower, and nothing cluster-scoped', () => {
    const nodes = ['  - apiGroups: [""]', '    resources: ["nodes/proxy"]', '    verbs: ["get"]'];
    const found = run({ 'r.yaml': clusterRole('r', [...READ_SECRETS, ...nodes]), 'b.yaml': binding('RoleBinding', 'b', 'r', [sa('app')], 'shop') });
    expect(found.map((f) => `${f.ruleId} ${f.severity} ${f.rbac?.scope}`)).toEqual(['rbac-read-secrets warning shop']);
    expect(found[0]!.message).toContain('ServiceAccount shop/app can read Secrets in namespace shop');
  });

  it('tells same-named Roles of different namespaces apart', () => {
    const found = run({
      'shop.yaml': role('app', 'shop', READ_SECRETS),
      'blog.yaml': role('app', 'blog', READ_PODS),
      'b.yaml': binding('RoleBinding', 'b', 'app', [sa('app')], 'blog', 'Role'),
    });
    expect(found).toEqual([]);
    const shop = run({ 'shop.yaml': role('app', 'shop', READ_SECRETS), 'blog.yaml': role('app', 'blog', READ_PODS), 'b.yaml': binding('RoleBinding', 'b', 'app', [sa('app')], 'shop', 'Role') });
    expect(lines(shop)).toEqual(['b.yaml:11 rbac-read-secrets']);
  });

  it('a ServiceAccount without namespace in a ClusterRoleBinding matches no one, and says so', () => {
    const found = run({ 'r.yaml': clusterRole('r', READ_SECRETS), 'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app')]) });
    expect(lines(found)).toEqual(['b.yaml:10 rbac-unmatched-subject']);
  });

  it('resourceNames lower a read and name the Secrets, but cannot limit list', () => {
    const named = ['  - apiGroups: [""]', '    resources: ["secrets"]', '    resourceNames: ["app-tls"]', '    verbs: ["get"]'];
    const namedList = ['  - apiGroups: [""]', '    resources: ["secrets"]', '    resourceNames: ["app-tls"]', '    verbs: ["list"]'];
    const get = run({ 'r.yaml': clusterRole('r', named), 'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]) });
    expect(get.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['rbac-read-secrets warning']);
    expect(get[0]!.message).toContain('(only `app-tls`)');
    expect(run({ 'r.yaml': clusterRole('r', namedList), 'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]) })).toEqual([]);
  });

  it('matches `*` on resources and subresources, `*/sub`, and not `pods` for `pods/exec`', () => {
    const rule = (resources: string) => ['  - apiGroups: [""]', `    resources: [${resources}]`, '    verbs: ["create"]'];
    const exec = (resources: string) =>
      run({ 'r.yaml': clusterRole('r', rule(resources)), 'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]) }).filter((f) => f.ruleId === 'rbac-pods-exec').length;
    expect(exec('"*/exec"')).toBe(1);
    expect(exec('"pods/exec"')).toBe(1);
    expect(exec('"pods"')).toBe(0);
    expect(exec('"pods/*"')).toBe(0);
  });

  it('requires verb, group and resource in the same rule', () => {
    const split = ['  - apiGroups: [""]', '    resources: ["secrets"]', '    verbs: ["update"]', '  - apiGroups: [""]', '    resources: ["pods"]', '    verbs: ["get"]'];
    expect(run({ 'r.yaml': clusterRole('r', split), 'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]) }).filter((f) => f.ruleId === 'rbac-read-secrets')).toEqual([]);
    const otherGroup = ['  - apiGroups: ["example.com"]', '    resources: ["*"]', '    verbs: ["*"]'];
    expect(run({ 'r.yaml': clusterRole('r', otherGroup), 'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]) }).map((f) => f.ruleId)).toEqual([]);
  });

  it('expands the built-in aggregation chain: a label for view reaches edit and admin too', () => {
    const files = {
      'debug.yaml': clusterRole('debug', EXEC, { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }),
      'admins.yaml': binding('RoleBinding', 'admins', 'admin', ['  - kind: Group', '    apiGroup: rbac.authorization.k8s.io', '    name: shop-admins'], 'shop'),
    };
    // admin holds pods/exec by itself; the label brings nothing new to it, so only view gains.
    const found = run(files);
    expect(found.map((f) => f.ruleId)).toContain('rbac-aggregated-into-role');
    expect(found.find((f) => f.ruleId === 'rbac-aggregated-into-role')!.message).toContain('ClusterRole view');
  });

  it('aggregates by matchExpressions of a repository role, to a fixpoint', () => {
    const aggregator = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRole',
      'metadata:',
      '  name: platform',
      'aggregationRule:',
      '  clusterRoleSelectors:',
      '    - matchExpressions:',
      '        - {key: example.com/platform, operator: Exists}',
      'rules: []',
      '',
    ].join('\n');
    const found = run({
      'agg.yaml': aggregator,
      'part.yaml': clusterRole('part', READ_SECRETS, { 'example.com/platform': 'yes' }),
      'b.yaml': binding('ClusterRoleBinding', 'b', 'platform', [sa('ops', 'platform')]),
    });
    expect(found.filter((f) => f.ruleId === 'rbac-read-secrets').map((f) => f.message)).toEqual([
      expect.stringContaining('ClusterRole platform (agg.yaml:4) → aggregated from ClusterRole part (part.yaml:4)'),
    ]);
  });

  it('reports a subject that can do anything once, not once per capability', () => {
    const found = run({ 'b.yaml': binding('ClusterRoleBinding', 'b', 'cluster-admin', [sa('ops', 'ops')]) });
    expect(found.map((f) => f.ruleId)).toEqual(['rbac-full-access']);
  });

  it('leaves the defaults of every cluster alone: system:masters is cluster-admin without a finding', () => {
    expect(run({ 'r.yaml': clusterRole('r', READ_PODS) })).toEqual([]);
  });
});

describe('exceptions and baselines for RBAC', () => {
  const files = {
    'r.yaml': clusterRole('r', [...READ_SECRETS, ...EXEC]),
    'b.yaml': binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop'), sa('other', 'shop')]),
  };

  it('an exception keyed by subject and scope silences that subject only, and only the capabilities it names', () => {
    const config = [
      'exceptions:',
      '  - rules: [rbac-read-secrets]',
      '    subject: {kind: ServiceAccount, namespace: shop, name: app}',
      '    scope: cluster',
      '    reason: "the app reconciles TLS Secrets of every namespace"',
      '',
    ].join('\n');
    expect(lines(run(files, config))).toEqual(['b.yaml:10 rbac-pods-exec', 'b.yaml:10 rbac-read-secrets (suppressed)', 'b.yaml:13 rbac-pods-exec', 'b.yaml:13 rbac-read-secrets']);
  });

  it('an exception for another scope silences nothing, and says so', () => {
    const config = 'exceptions:\n  - rules: [rbac-read-secrets]\n    subject: {kind: ServiceAccount, name: app}\n    scope: shop\n    reason: "only in its own namespace"\n';
    const options = checkOptions(BUILTIN_RULES, parseConfig('.kubeharden.yml', config, BUILTIN_RULES), { today: TEST_TODAY });
    const result = check(new MemoryTree(files), options);
    expect(result.findings.filter((f) => f.suppressed)).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toContain('suppression-unused');
  });

  it('the kubeharden.dev/ignore annotation works on the binding that carries the finding', () => {
    const annotated = binding('ClusterRoleBinding', 'b', 'r', [sa('app', 'shop')]).replace(
      '  name: b\n',
      "  name: b\n  annotations:\n    kubeharden.dev/ignore: 'rbac-read-secrets reason=\"reviewed in SEC-12\"'\n",
    );
    expect(lines(run({ 'r.yaml': files['r.yaml'], 'b.yaml': annotated }))).toEqual(['b.yaml:12 rbac-pods-exec', 'b.yaml:12 rbac-read-secrets (suppressed)']);
  });
});

describe('the shipped baselines, on the controllers\' real manifests', () => {
  const bundles = path.join(SHARED, 'corpus', 'bundles');
  const manifests = Object.fromEntries(
    readdirSync(bundles)
      .filter((f) => /^(argo-cd-install|cert-manager-v0\.8\.0-alpha\.0|ingress-nginx-cloud-deploy|flux2-gotk-components-2021-12)\.yaml$/.test(f))
      .map((f) => [f, readFileSync(path.join(bundles, f), 'utf8')]),
  );

  it('silence what the controllers need by design, and only that', () => {
    const all = run(manifests, 'baselines: [argo-cd, cert-manager, flux, ingress-nginx]\n');
    const left = all.filter((f) => !f.suppressed && f.rbac).map((f) => `${f.ruleId} ${f.rbac!.subject} ${f.rbac!.scope}`);
    // Left: the paths to another controller's service account, which depend on what else the
    // cluster runs and so belong to no one controller's baseline.
    expect(left.sort()).toEqual([
      'rbac-service-account-takeover ServiceAccount:/argocd-redis ',
      'rbac-service-account-takeover ServiceAccount:argocd/argocd-server cluster',
      'rbac-service-account-takeover ServiceAccount:cert-manager/cert-manager cluster',
      'rbac-service-account-takeover ServiceAccount:ingress-nginx/ingress-nginx-admission ingress-nginx',
    ]);
    expect(all.filter((f) => f.suppressed).length).toBeGreaterThan(20);
  });

  it('still report a capability the controller does not need', () => {
    const tampered = manifests['cert-manager-v0.8.0-alpha.0.yaml']!.replace('"services","pods"]', '"services", "pods", "pods/exec"]');
    expect(tampered).not.toBe(manifests['cert-manager-v0.8.0-alpha.0.yaml']);
    const found = run({ 'cert-manager.yaml': tampered }, 'baselines: [cert-manager]\n').filter((f) => !f.suppressed && f.ruleId === 'rbac-pods-exec');
    expect(found.map((f) => f.rbac?.subject)).toEqual(['ServiceAccount:cert-manager/cert-manager']);
  });

  it('are rejected by name when unknown', () => {
    expect(() => parseConfig('.kubeharden.yml', 'baselines: [no-such-controller]\n', BUILTIN_RULES)).toThrow(/baselines/);
  });
});
