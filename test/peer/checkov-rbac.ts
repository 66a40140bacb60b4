import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { check } from '../../src/check.js';
import { BUILTIN_RULES } from '../../src/rules/builtin.js';
import { MemoryTree } from '../../src/source/tree.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { SourceFile } from '../../src/parse/source-file.js';
import { get, str } from '../../src/util/values.js';
import { TEST_TODAY } from '../helpers.js';
import { CHECKOV, type Label, type Verdict } from './checkov.js';

/**
 * Checkov's RBAC checks → the kubeharden rules that judge the same capability. Checkov judges a
 * role by itself; kubeharden judges what a bound subject can do, so a role is compared as if it
 * were bound to a service account (a ClusterRoleBinding for a ClusterRole, a RoleBinding in its
 * namespace for a Role). Checkov's graph checks judge bindings over the fixture's folder, as here.
 */
export const CHECKOV_RBAC_RULES: Record<string, string[]> = {
  CKV_K8S_49: ['rbac-wildcard', 'rbac-full-access'],
  CKV_K8S_155: ['rbac-webhooks'],
  CKV_K8S_156: ['rbac-approve-csr'],
  CKV_K8S_157: ['rbac-bind'],
  CKV_K8S_158: ['rbac-escalate'],
  CKV_K8S_42: ['rbac-default-service-account'],
  CKV2_K8S_1: ['rbac-bind', 'rbac-escalate', 'rbac-manage-rbac'],
  CKV2_K8S_2: ['rbac-pods-exec', 'rbac-nodes-proxy'],
  CKV2_K8S_3: ['rbac-impersonate'],
  CKV2_K8S_4: ['rbac-modify-status'],
  CKV2_K8S_5: ['rbac-read-secrets'],
};

const ROLE_CHECKS = new Set(['CKV_K8S_49', 'CKV_K8S_155', 'CKV_K8S_156', 'CKV_K8S_157', 'CKV_K8S_158']);

interface Resource {
  id: string;
  kind: string;
  namespace: string | undefined;
  name: string;
}

function resourcesOf(rel: string): Resource[] {
  const file = new SourceFile(rel, readFileSync(path.join(CHECKOV, rel), 'utf8'));
  return parseYaml(file).documents.map((d) => {
    const kind = str(get(d.value, 'kind')) ?? '';
    const namespace = str(get(get(d.value, 'metadata'), 'namespace'));
    const name = str(get(get(d.value, 'metadata'), 'name')) ?? '';
    return { id: `${kind}.${namespace ?? 'default'}.${name}`, kind, namespace, name };
  });
}

function binding(role: Resource): string {
  const kind = role.kind === 'Role' ? 'RoleBinding' : 'ClusterRoleBinding';
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: compare-${role.name}`,
    ...(role.kind === 'Role' ? [`  namespace: ${role.namespace ?? 'default'}`] : []),
    `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${role.kind}, name: ${role.name}}`,
    'subjects:',
    '  - {kind: ServiceAccount, name: compared, namespace: peer}',
    '',
  ].join('\n');
}

function ruleIds(files: Record<string, string>, ids: readonly string[]): Set<string> {
  const result = check(new MemoryTree(files), { rules: BUILTIN_RULES, today: TEST_TODAY });
  return new Set(result.findings.filter((f) => ids.includes(f.ruleId)).map((f) => f.file));
}

/** Our verdict per labelled resource of one Checkov RBAC label. */
export function rbacVerdicts(label: Label): Verdict[] {
  const ids = CHECKOV_RBAC_RULES[label.check]!;
  const resources = resourcesOf(label.file);
  const out: Verdict[] = [];
  for (const [expected, names] of [['passed', label.expect.passed], ['failed', label.expect.failed]] as const) {
    for (const id of names) {
      const resource = resources.find((r) => r.id === id);
      let hit = false;
      if (resource && ROLE_CHECKS.has(label.check)) {
        // The role alone, bound: does a bound subject hold the capability?
        const doc = readFileSync(path.join(CHECKOV, label.file), 'utf8');
        hit = ruleIds({ 'role.yaml': doc, 'binding.yaml': binding(resource) }, ids).size > 0;
      } else if (resource) {
        // A binding, with the other files of its folder (the roles it refers to).
        const dir = path.dirname(label.file);
        const files = Object.fromEntries(
          readdirSync(path.join(CHECKOV, dir))
            .filter((f) => f.endsWith('.yaml'))
            .map((f) => [f, readFileSync(path.join(CHECKOV, dir, f), 'utf8')]),
        );
        const within = check(new MemoryTree(files), { rules: BUILTIN_RULES, today: TEST_TODAY }).findings.filter(
          (f) => ids.includes(f.ruleId) && f.file === path.basename(label.file) && f.message.includes(`${resource.kind} ${resource.name}`),
        );
        hit = within.length > 0;
      }
      out.push({ check: label.check, file: label.file, resource: id, checkov: expected, kubeharden: hit ? 'failed' : 'passed' });
    }
  }
  return out;
}
