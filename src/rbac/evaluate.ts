import { roleKey, type EffectiveRule, type PolicyRule, type RbacBinding, type RbacGraph, type RbacRole, type RbacSubject } from './graph.js';

/** Where a grant holds: every namespace and the cluster-scoped resources, or one namespace. */
export type RbacScope = 'cluster' | string;

/** A subject bound to a role: the rules it gets, at the binding's scope. */
export interface Grant {
  subject: RbacSubject;
  /** `User:alice`, `Group:system:authenticated`, `ServiceAccount:ns/name`. */
  subjectKey: string;
  binding: RbacBinding;
  role: RbacRole;
  scope: RbacScope;
  rules: EffectiveRule[];
}

/** A permission asked about: any of the verbs on any of the resources of any of the groups. */
export interface Permission {
  verbs: string[];
  groups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  /**
   * The object names that make the permission dangerous (a signer: `kubernetes.io/kube-apiserver-client`):
   * a rule limited by `resourceNames` matches only if it names one of them, and then in full.
   */
  names?: string[];
}

/** A rule that allows a permission, and the object names it is limited to, if any. */
export interface Match {
  rule: EffectiveRule;
  verb: string;
  resource: string;
  names: string[];
}

/**
 * Resources that exist outside namespaces: a RoleBinding, even to a ClusterRole, grants nothing
 * on them (`users`, `groups` and `uids` stand for impersonation targets, which are not namespaced).
 */
const CLUSTER_SCOPED = new Set([
  'nodes', 'nodes/proxy', 'nodes/status', 'persistentvolumes', 'namespaces', 'namespaces/status', 'namespaces/finalize',
  'certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status', 'signers',
  'clusterroles', 'clusterrolebindings', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations',
  'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'customresourcedefinitions', 'apiservices',
  'storageclasses', 'csidrivers', 'csinodes', 'volumeattachments', 'priorityclasses', 'runtimeclasses', 'ingressclasses',
  'users', 'groups', 'uids', 'userextras', 'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews',
]);

/** Verbs whose requests carry no object name: `resourceNames` cannot allow them. */
const UNNAMED_VERBS = new Set(['create', 'list', 'watch', 'deletecollection']);

export function subjectKey(s: RbacSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace}/${s.name}` : `${s.kind}:${s.name}`;
}

/** Every subject bound to a role the graph holds, with the rules it gets. */
export function grants(graph: RbacGraph): Grant[] {
  const out: Grant[] = [];
  for (const binding of graph.bindings) {
    const role = graph.roles.get(roleKey(binding.roleRef.kind, binding.namespace, binding.roleRef.name));
    // A binding to a role the repository does not hold, and that no cluster has by default, grants
    // nothing kubeharden can see.
    if (!role) continue;
    const scope: RbacScope = binding.kind === 'ClusterRoleBinding' ? 'cluster' : binding.namespace!;
    const rules = graph.effective.get(role.key) ?? [];
    for (const subject of binding.subjects) out.push({ subject, subjectKey: subjectKey(subject), binding, role, scope, rules });
  }
  return out;
}

function has(list: readonly string[], value: string): boolean {
  return value === '*' ? list.includes('*') : list.includes('*') || list.includes(value);
}

/** The authorizer's resource matching: `*` is every resource and subresource, `*\/sub` one subresource of all. */
function resourceMatches(rule: PolicyRule, resource: string): boolean {
  if (rule.resources.includes('*')) return true;
  if (resource === '*') return false;
  if (rule.resources.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && rule.resources.includes(`*${resource.slice(slash)}`);
}

/** Signer names in `resourceNames` may end in `/*`: every signer of that domain. */
function nameMatches(pattern: string, name: string): boolean {
  return pattern === name || (pattern.endsWith('/*') && name.startsWith(pattern.slice(0, -1)));
}

function urlMatches(rule: PolicyRule, url: string): boolean {
  return rule.nonResourceURLs.some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
}

/**
 * The rules that allow a permission at a scope, with the authorizer's semantics: all conditions
 * within one rule, `*` on verbs, groups and resources, `resourceNames` limiting only named
 * requests, and, in a namespace, nothing on cluster-scoped resources or non-resource URLs.
 */
export function allows(rules: readonly EffectiveRule[], permission: Permission, scope: RbacScope): Match[] {
  const out: Match[] = [];
  for (const e of rules) {
    const r = e.rule;
    for (const verb of permission.verbs) {
      if (!has(r.verbs, verb)) continue;
      if (permission.nonResourceURLs) {
        if (scope !== 'cluster') continue;
        const url = permission.nonResourceURLs.find((u) => urlMatches(r, u));
        if (url) out.push({ rule: e, verb, resource: url, names: [] });
        continue;
      }
      if (!r.resources.length) continue;
      for (const group of permission.groups ?? ['']) {
        if (!has(r.apiGroups, group)) continue;
        for (const resource of permission.resources ?? []) {
          if (scope !== 'cluster' && CLUSTER_SCOPED.has(resource)) continue;
          if (!resourceMatches(r, resource)) continue;
          if (r.resourceNames.length && UNNAMED_VERBS.has(verb)) continue;
          if (r.resourceNames.length && permission.names) {
            if (!permission.names.some((n) => r.resourceNames.some((p) => nameMatches(p, n)))) continue;
            out.push({ rule: e, verb, resource, names: [] });
            continue;
          }
          out.push({ rule: e, verb, resource, names: r.resourceNames });
        }
      }
    }
  }
  return out;
}

const memo = new WeakMap<readonly EffectiveRule[], WeakMap<Permission, [Match[] | undefined, Match[] | undefined]>>();

/**
 * `allows` for the rules of one role, remembered: thousands of subjects share the same few roles
 * (admin, edit, view, a team template), and within a namespace the answer does not depend on which.
 */
export function allowsOf(rules: readonly EffectiveRule[], permission: Permission, scope: RbacScope): Match[] {
  let byPermission = memo.get(rules);
  if (!byPermission) memo.set(rules, (byPermission = new WeakMap()));
  let entry = byPermission.get(permission);
  if (!entry) byPermission.set(permission, (entry = [undefined, undefined]));
  const slot = scope === 'cluster' ? 0 : 1;
  return (entry[slot] ??= allows(rules, permission, scope));
}
