import type { RawFinding } from '../../findings/finding.js';
import type { ClusterScope } from '../../model/types.js';
import type { Span } from '../../parse/source-file.js';
import { allows, allowsOf, grants, subjectKey, type Grant, type Match, type Permission, type RbacScope } from '../../rbac/evaluate.js';
import { APPLIED_NAMESPACE, buildGraph, selects, type EffectiveRule, type RbacGraph, type RbacRole } from '../../rbac/graph.js';
import type { Rule, Severity } from '../types.js';
import { analyzerFinding, type Analyzer, type AnalyzerInput } from './index.js';

/** A capability rule's params: what it takes, and how severe it is outside the cluster scope. */
interface CapabilityParams {
  /** How the capability reads in a message: "can read Secrets". */
  capability: string;
  /** Alternatives; each lists permissions that must all be held. */
  any: Permission[][];
  /** Severity in a namespace other than kube-system (default: one step below the rule's). */
  namespaced?: Severity | 'skip';
  /** Rules whose finding for the same subject and scope makes this one redundant. */
  impliedBy?: string[];
}

type SubjectCheck = 'namespace-admin-role' | 'anonymous-subject' | 'broad-group' | 'default-service-account' | 'user-subject' | 'masters-group' | 'unmatched-subject';

/** A scope's permission graph and its grants by subject, built once for all the RBAC rules. */
interface Analysis {
  graph: RbacGraph;
  all: Grant[];
  bySubject: Map<string, Grant[]>;
  /** Per subject, the grants that hold at each scope: a namespace's include the cluster-wide ones. */
  atScope: Map<string, Map<RbacScope, Grant[]>>;
  /** Every verb and resource a granted rule names, to skip at once a capability nobody can hold. */
  verbs: Set<string>;
  resources: Set<string>;
}

const analyses = new WeakMap<ClusterScope, Analysis | null>();
function analysisOf(scope: ClusterScope): Analysis | undefined {
  let analysis = analyses.get(scope);
  if (analysis === undefined) {
    if (!scope.objects.some((o) => o.apiVersion.startsWith('rbac.authorization.k8s.io/'))) analysis = null;
    else {
      const graph = buildGraph(scope.objects);
      const all = grants(graph);
      const bySubject = new Map<string, Grant[]>();
      for (const g of all) {
        const list = bySubject.get(g.subjectKey);
        if (list) list.push(g);
        else bySubject.set(g.subjectKey, [g]);
      }
      const atScope = new Map<string, Map<RbacScope, Grant[]>>();
      for (const [subject, list] of bySubject) {
        // Only the defaults every cluster has (system:authenticated's discovery roles…): nothing to report.
        if (list.every((g) => g.binding.builtin && g.role.builtin)) continue;
        const cluster = list.filter((g) => g.scope === 'cluster');
        const scopes = new Map<RbacScope, Grant[]>();
        if (cluster.length) scopes.set('cluster', cluster);
        for (const g of list) if (g.scope !== 'cluster' && !scopes.has(g.scope)) scopes.set(g.scope, [...list.filter((o) => o.scope === g.scope), ...cluster]);
        atScope.set(subject, scopes);
      }
      const verbs = new Set<string>();
      const resources = new Set<string>();
      for (const list of atScope.values()) {
        for (const grantsAt of list.values()) {
          for (const g of grantsAt) {
            for (const e of g.rules) {
              for (const v of e.rule.verbs) verbs.add(v);
              for (const r of e.rule.resources) resources.add(r);
            }
          }
        }
      }
      analysis = { graph, all, bySubject, atScope, verbs, resources };
    }
    analyses.set(scope, analysis);
  }
  return analysis ?? undefined;
}

const MASTERS = 'Group:system:masters';
const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'notice', notice: 'notice' };
/** Subjects that stand for many: anyone, every user, every service account. */
const BROAD = /^Group:system:(unauthenticated|authenticated|serviceaccounts(:.*)?)$|^User:system:anonymous$/;
const ANONYMOUS = /^Group:system:unauthenticated$|^User:system:anonymous$/;
/** Built-in roles meant for everyone: a binding of anonymous users to them is the default. */
const PUBLIC_ROLES = new Set(['system:public-info-viewer', 'system:discovery', 'system:basic-user']);

export const rbac: Analyzer = (rule, params, model, input, out) => {
  const check = params.check as SubjectCheck | 'aggregation' | 'takeover' | 'wildcard' | undefined;
  for (const scope of model.scopes) {
    const analysis = analysisOf(scope);
    if (!analysis) continue;
    const { graph, all, bySubject } = analysis;
    const base = baseGraph(input, scope);
    if (check === 'aggregation') aggregationInto(rule, params, graph, out);
    else if (check === 'takeover') takeover(rule, params, all, bySubject, out);
    else if (check === 'wildcard') wildcards(rule, graph, out);
    else if (check) subjects(rule, check, graph, all, out);
    else capabilities(rule, params as unknown as CapabilityParams, analysis, base, out);
  }
};

/** The same scope's RBAC graph at the base of the change, to find what a change made new. */
function baseGraph(input: AnalyzerInput, scope: ClusterScope): RbacGraph | undefined {
  const match = input.base?.scopes.find((s) => s.name === scope.name);
  return match ? analysisOf(match)?.graph : undefined;
}

/** Whether any granted rule could allow the permission: a cheap, conservative test. */
function mayHold(analysis: Analysis, p: Permission): boolean {
  if (p.nonResourceURLs) return true;
  if (!analysis.verbs.has('*') && !p.verbs.some((v) => analysis.verbs.has(v))) return false;
  if (analysis.resources.has('*')) return true;
  return (p.resources ?? []).some((r) => analysis.resources.has(r) || (r.includes('/') && analysis.resources.has(`*${r.slice(r.indexOf('/'))}`)));
}

function capabilities(rule: Rule, params: CapabilityParams, analysis: Analysis, base: RbacGraph | undefined, out: RawFinding[]): void {
  if (!params.any.some((alternative) => alternative.every((p) => mayHold(analysis, p)))) return;
  for (const [subject, scopes] of analysis.atScope) {
    // Members of system:masters bypass RBAC: what a binding gives them is moot (rbac-masters-group says so).
    if (subject === MASTERS) continue;
    const cluster = scopes.get('cluster');
    const heldAtCluster = cluster && held(params, cluster, 'cluster');
    for (const [scope, relevant] of scopes) {
      // What a subject holds cluster-wide it holds in every namespace: reported once.
      const matches = scope === 'cluster' ? heldAtCluster : heldAtCluster ? undefined : held(params, relevant, scope);
      if (!matches) continue;
      const granting = relevant.filter((g) => g.rules.some((e) => matches.some((m) => m.rule === e)));
      // The built-in admin or edit role given in one namespace is the documented way to make a
      // namespace's owners; rbac-namespace-admin-role says once what it holds.
      if (scope !== 'cluster' && scope !== 'kube-system' && !BROAD.test(subject) && granting.every(isNamespaceOwner) && heldByBuiltins(params, granting, scope)) continue;
      // The defaults every cluster has (system:masters → cluster-admin) are not findings.
      if (granting.every((g) => g.binding.builtin) && matches.every((m) => m.rule.source.builtin)) continue;
      const severity = severityFor(rule, params, scope, subject);
      if (!severity) continue;
      const grant = granting.find((g) => !g.binding.builtin) ?? granting[0]!;
      const at = cause(grant, matches, base);
      if (!at) continue;
      const limited = matches.every((m) => m.names.length) ? [...new Set(matches.flatMap((m) => m.names))] : [];
      const detail = `${describeSubject(grant)} ${params.capability} ${describeScope(scope)}${limited.length ? ` (only ${limited.map((n) => `\`${n}\``).join(', ')})` : ''}: ${chain(grant, matches)}`;
      out.push({
        ...analyzerFinding(rule, at, detail, `${subject} ${scope}`),
        severity: limited.length ? LOWER[severity] : severity,
        rbac: { subject, scope },
        impliedBy: params.impliedBy,
      });
    }
  }
}

/** Whether the built-in rules of the grants alone hold the capability (what a repository role adds aside). */
function heldByBuiltins(params: CapabilityParams, granting: readonly Grant[], scope: RbacScope): boolean {
  return !!held(params, granting.map((g) => ({ ...g, rules: g.rules.filter((e) => e.source.builtin) })), scope);
}

/** The matches of the first alternative whose permissions all hold, or undefined. */
function held(params: CapabilityParams, subjectGrants: readonly Grant[], scope: RbacScope): Match[] | undefined {
  const holds = (p: Permission) => subjectGrants.some((g) => allowsOf(g.rules, p, scope).length > 0);
  const alternative = params.any.find((permissions) => permissions.every(holds));
  return alternative?.flatMap((p) => subjectGrants.flatMap((g) => allowsOf(g.rules, p, scope)));
}

function severityFor(rule: Rule, params: CapabilityParams, scope: RbacScope, subject: string): Severity | undefined {
  if (scope === 'cluster' || scope === 'kube-system' || BROAD.test(subject)) return rule.severity;
  if (params.namespaced === 'skip') return undefined;
  return params.namespaced ?? LOWER[rule.severity];
}

/** The built-in roles for the owners of a namespace, given there by a RoleBinding. */
const OWNER_ROLES: Record<string, string> = {
  admin: 'reads and writes its Secrets, runs commands in its pods, creates any workload, acts as any of its service accounts and manages its roles and bindings',
  edit: 'reads and writes its Secrets, runs commands in its pods, creates any workload and acts as any of its service accounts',
};

function isNamespaceOwner(g: Grant): boolean {
  return g.binding.kind === 'RoleBinding' && g.role.builtin && g.role.name in OWNER_ROLES;
}

function describeSubject(grant: Grant): string {
  const s = grant.subject;
  if (s.kind === 'ServiceAccount') return s.namespace === APPLIED_NAMESPACE ? `ServiceAccount ${s.name} (of the namespace the manifest is applied to)` : `ServiceAccount ${s.namespace}/${s.name}`;
  const who = ANONYMOUS.test(grant.subjectKey)
    ? ' (anyone who can reach the API server)'
    : grant.subjectKey === 'Group:system:authenticated'
      ? ' (every user and service account)'
      : /^Group:system:serviceaccounts/.test(grant.subjectKey)
        ? ' (service accounts)'
        : '';
  return `${s.kind} ${s.name}${who}`;
}

function describeScope(scope: RbacScope): string {
  if (scope === 'cluster') return 'in every namespace and cluster-wide';
  return scope === APPLIED_NAMESPACE ? 'in the namespace the manifest is applied to' : `in namespace ${scope}`;
}

function where(span: Span | undefined): string {
  return span ? `${span.file.path}:${span.file.position(span.start).line}` : 'built-in';
}

/**
 * binding (file:line) → role (file:line) → [aggregated from role (file:line) →] rule: each role a
 * matching rule is written in, the repository's first.
 */
function chain(grant: Grant, matches: readonly Match[]): string {
  const head = `${grant.binding.kind} ${grant.binding.name} (${where(grant.binding.at)}) → ${grant.role.kind} ${grant.role.name} (${where(grant.role.at)})`;
  const bySource = new Map<RbacRole, Match[]>();
  for (const m of [...matches].sort((a, b) => Number(a.rule.source.builtin) - Number(b.rule.source.builtin))) {
    const list = bySource.get(m.rule.source);
    if (list) list.push(m);
    else bySource.set(m.rule.source, [m]);
  }
  const branches = [...bySource].map(([source, ms]) => {
    const rules = [...new Set(ms.map((m) => m.rule))].map((e) => `rule ${e.rule.index + 1} (${describeRule(ms.filter((m) => m.rule === e))})`);
    return `${source === grant.role ? '' : `aggregated from ${source.kind} ${source.name} (${where(source.at)}) → `}${rules.join(', ')}`;
  });
  return `${head} → ${branches.join('; ')}`;
}

function describeRule(matches: readonly Match[]): string {
  const verbs = [...new Set(matches.map((m) => m.verb))].join(', ');
  const resources = [...new Set(matches.map((m) => m.resource))].join(', ');
  return `${verbs} on ${resources}`;
}

/**
 * The line that makes the capability: against the base, the subject the change adds to a binding,
 * else the rule it adds to a role, else the label that joins a role to an aggregation; without a
 * base (or when nothing of it changed), the subject in the binding.
 */
function cause(grant: Grant, matches: readonly Match[], base: RbacGraph | undefined): Span | undefined {
  const subjectAt = grant.subject.at ?? grant.binding.at;
  if (!subjectAt) return matches.find((m) => m.rule.rule.at)?.rule.rule.at;
  if (!base) return subjectAt;
  const baseBinding = base.bindings.find((b) => b.key === grant.binding.key);
  if (!baseBinding || !baseBinding.subjects.some((s) => subjectKey(s) === grant.subjectKey)) return subjectAt;
  for (const m of matches) {
    const source = m.rule.source;
    const before = base.roles.get(source.key);
    if (!before || !before.rules.some((r) => sameRule(r, m.rule.rule))) return m.rule.rule.at ?? subjectAt;
    if (source !== grant.role) {
      const label = joiningLabel(source, grant.role, base);
      if (label) return label;
    }
  }
  return subjectAt;
}

function sameRule(a: EffectiveRule['rule'], b: EffectiveRule['rule']): boolean {
  const key = (r: EffectiveRule['rule']) => JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
  return key(a) === key(b);
}

/** The label of `source` that an aggregation selects and that the base did not have. */
function joiningLabel(source: RbacRole, aggregator: RbacRole, base: RbacGraph): Span | undefined {
  const before = base.roles.get(source.key);
  for (const label of Object.keys(source.labels)) {
    if (before && before.labels[label] === source.labels[label]) continue;
    if ((aggregator.aggregation ?? []).some((s) => label in s.matchLabels) || isAggregationLabel(label)) return source.labelAt(label);
  }
  return undefined;
}

function isAggregationLabel(label: string): boolean {
  return /^rbac\.authorization\.k8s\.io\/aggregate-to-/.test(label);
}

/** Checks of the subjects themselves (who is bound), whatever the role grants. */
function subjects(rule: Rule, check: SubjectCheck, graph: RbacGraph, all: readonly Grant[], out: RawFinding[]): void {
  if (check === 'unmatched-subject') {
    for (const binding of graph.bindings) {
      for (const s of binding.unmatched) {
        const detail = `the ServiceAccount ${s.name} in ClusterRoleBinding ${binding.name} has no namespace, so it matches no service account and the API server refuses the binding`;
        out.push(analyzerFinding(rule, s.at ?? binding.at!, detail, `${binding.key} ${s.name} unmatched`));
      }
    }
    return;
  }
  for (const g of all) {
    if (g.binding.builtin) continue;
    const at = g.subject.at ?? g.binding.at!;
    const identity = `${g.binding.key} ${g.subjectKey}`;
    const role = `${g.role.kind} ${g.role.name}`;
    const via = `${g.binding.kind} ${g.binding.name}`;
    if (check === 'namespace-admin-role' && isNamespaceOwner(g) && g.scope !== 'kube-system' && !BROAD.test(g.subjectKey)) {
      out.push({ ...analyzerFinding(rule, at, `${via} gives the built-in ${g.role.name} role in namespace ${g.scope === APPLIED_NAMESPACE ? '(the one the manifest is applied to)' : g.scope} to ${describeSubject(g)}, which there ${OWNER_ROLES[g.role.name]}`, identity), rbac: { subject: g.subjectKey, scope: g.scope } });
    } else if (check === 'anonymous-subject' && ANONYMOUS.test(g.subjectKey) && !PUBLIC_ROLES.has(g.role.name)) {
      out.push({ ...analyzerFinding(rule, at, `${via} gives ${role} to ${describeSubject(g)} ${describeScope(g.scope)}`, identity), rbac: { subject: g.subjectKey, scope: g.scope } });
    } else if (check === 'broad-group' && BROAD.test(g.subjectKey) && !ANONYMOUS.test(g.subjectKey) && !PUBLIC_ROLES.has(g.role.name) && !onlyUse(g)) {
      out.push({ ...analyzerFinding(rule, at, `${via} gives ${role} to ${describeSubject(g)} ${describeScope(g.scope)}`, identity), rbac: { subject: g.subjectKey, scope: g.scope } });
    } else if (check === 'default-service-account' && g.subject.kind === 'ServiceAccount' && g.subject.name === 'default') {
      out.push({ ...analyzerFinding(rule, at, `${via} gives ${role} to the \`default\` service account of ${g.subject.namespace}, which every pod there that names no service account runs as`, identity), rbac: { subject: g.subjectKey, scope: g.scope } });
    } else if (check === 'user-subject' && g.subject.kind === 'User' && !g.subject.name.startsWith('system:')) {
      out.push({ ...analyzerFinding(rule, at, `${via} gives ${role} to the user ${g.subject.name}; bind a group instead, so that access follows membership in the identity provider`, identity), rbac: { subject: g.subjectKey, scope: g.scope } });
    } else if (check === 'masters-group' && g.subjectKey === MASTERS) {
      out.push(analyzerFinding(rule, at, `${via} binds the group system:masters, whose members bypass RBAC altogether: the binding changes nothing, and membership is granted by client certificates, which cannot be revoked`, identity));
    }
  }
}

/**
 * `use` of a PodSecurityPolicy or SecurityContextConstraints is admission, not access: letting
 * everyone use the restricted policy is how those policies are meant to be bound.
 */
function onlyUse(g: Grant): boolean {
  return g.rules.length > 0 && g.rules.every((e) => e.rule.verbs.length > 0 && e.rule.verbs.every((v) => v === 'use'));
}

/**
 * A ClusterRole whose labels join it to an aggregated ClusterRole (view, edit, admin, or one of
 * the repository's) brings its rules to everyone bound to that role, with no binding in sight.
 * Reported on the label when the rules it brings include one the aggregated role did not have
 * before and that reads Secrets, runs code in pods or manages RBAC.
 */
function aggregationInto(rule: Rule, params: Record<string, unknown>, graph: RbacGraph, out: RawFinding[]): void {
  const dangerous: Permission[] = [
    { verbs: ['get', 'list', 'watch'], groups: [''], resources: ['secrets'] },
    { verbs: ['create', 'get'], groups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy'] },
    { verbs: ['escalate', 'bind', 'impersonate', '*'], groups: ['rbac.authorization.k8s.io', ''], resources: ['roles', 'clusterroles', 'users', 'groups', 'serviceaccounts'] },
  ];
  for (const [key, sources] of graph.aggregatedFrom) {
    const aggregator = graph.roles.get(key)!;
    for (const source of sources) {
      if (source.builtin) continue;
      const own = source.rules.map((r) => ({ rule: r, source }));
      const others = (graph.effective.get(key) ?? []).filter((e) => e.source !== source);
      for (const permission of dangerous) {
        const brought = allows(own, permission, 'cluster');
        if (!brought.length || allows(others, permission, 'cluster').length) continue;
        const label = Object.keys(source.labels).find((l) => aggregator.aggregation!.some((s) => l in s.matchLabels || selects(s, { [l]: source.labels[l]! })));
        const at = (label ? source.labelAt(label) : undefined) ?? source.at!;
        const m = brought[0]!;
        const detail = `the label ${label ? `\`${label}\`` : ''} joins ClusterRole ${source.name} to ${aggregator.builtin ? 'the built-in ' : ''}ClusterRole ${aggregator.name}, which gains ${m.verb} on ${m.resource} (rule ${m.rule.rule.index + 1}) for everyone bound to ${aggregator.name}`;
        const impliedBy = Array.isArray(params.impliedBy) ? (params.impliedBy as string[]) : undefined;
        out.push({ ...analyzerFinding(rule, at, detail, `${source.key} into ${aggregator.key} ${m.resource}`), impliedBy });
        break;
      }
    }
  }
}

/** What makes a subject any service account of a namespace. */
const BECOME_ANY_ACCOUNT: Permission[] = [
  { verbs: ['create'], groups: [''], resources: ['pods', 'serviceaccounts/token'] },
  // A Secret of type service-account-token, created for any account, is filled with its token.
  { verbs: ['create'], groups: [''], resources: ['secrets'] },
  { verbs: ['create'], groups: ['apps'], resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'] },
  { verbs: ['create'], groups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { verbs: ['impersonate'], groups: [''], resources: ['serviceaccounts'] },
];
/** What makes a service account worth becoming, most powerful first. */
const POWERFUL: Permission[] = [
  { verbs: ['*'], groups: ['*'], resources: ['*'] },
  { verbs: ['get', 'list'], groups: [''], resources: ['secrets'] },
  { verbs: ['escalate', 'bind', 'impersonate'], groups: ['rbac.authorization.k8s.io', ''], resources: ['clusterroles', 'roles', 'users', 'groups'] },
];

/**
 * In a namespace, creating pods (or workloads, tokens, token Secrets) is acting as any service
 * account of the namespace: a subject that can do it there holds what those accounts hold.
 */
function takeover(rule: Rule, params: Record<string, unknown>, all: readonly Grant[], bySubject: ReadonlyMap<string, Grant[]>, out: RawFinding[]): void {
  // Service accounts' grants by namespace, cluster-wide grants first: the most powerful is named.
  const accounts = new Map<string, Grant[]>();
  const ordered = all.filter((g) => g.subject.kind === 'ServiceAccount').sort((a, b) => Number(b.scope === 'cluster') - Number(a.scope === 'cluster'));
  for (const a of ordered) {
    const list = accounts.get(a.subject.namespace!);
    if (list) list.push(a);
    else accounts.set(a.subject.namespace!, [a]);
  }
  const impliedBy = Array.isArray(params.impliedBy) ? (params.impliedBy as string[]) : undefined;
  for (const [subject, subjectGrants] of bySubject) {
    // Built-in bindings are every cluster's defaults, and system:masters bypasses RBAC anyway.
    if (subject === MASTERS) continue;
    for (const g of subjectGrants) {
      if (g.binding.builtin) continue;
      const can = BECOME_ANY_ACCOUNT.flatMap((p) => allowsOf(g.rules, p, g.scope))[0];
      if (!can) continue;
      const targets = (g.scope === 'cluster' ? ordered : (accounts.get(g.scope) ?? [])).filter((a) => a.subjectKey !== subject);
      let victim: Grant | undefined;
      let m: Match | undefined;
      for (const p of POWERFUL) {
        // Becoming an account is a gain only for what the subject does not hold already there.
        const holds = (scope: RbacScope) => subjectGrants.some((o) => (o.scope === 'cluster' || o.scope === scope) && allowsOf(o.rules, p, scope).some((x) => !x.names.length));
        victim = targets.find((a) => (m = allowsOf(a.rules, p, a.scope)[0]) && !holds(a.scope));
        if (victim) break;
      }
      if (!victim || !m) continue;
      const what = m.verb === '*' && m.resource === '*' ? 'do anything' : `${m.verb} ${m.resource}`;
      const detail = `${describeSubject(g)} can ${can.verb} ${can.resource} ${describeScope(g.scope)} (${g.binding.kind} ${g.binding.name}), and so act as ${describeSubject(victim)}, which can ${what} ${describeScope(victim.scope)} (${victim.binding.kind} ${victim.binding.name})`;
      out.push({ ...analyzerFinding(rule, g.subject.at ?? g.binding.at!, detail, `${subject} ${g.scope} takeover ${victim.subjectKey}`), rbac: { subject, scope: g.scope }, impliedBy });
      break;
    }
  }
}


/** Verbs a `*` may hand out without anyone noticing, as permissions to test the rule against. */
const HIDDEN_VERBS: [string, Permission][] = [
  ['escalate', { verbs: ['escalate'], groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'] }],
  ['bind', { verbs: ['bind'], groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'] }],
  ['impersonate', { verbs: ['impersonate'], groups: ['', 'authentication.k8s.io'], resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras'] }],
  ['approve', { verbs: ['approve'], groups: ['certificates.k8s.io'], resources: ['signers'] }],
];

/** Kubernetes' own API groups (core, `apps`, `*.k8s.io`, …): not the types a repository defines itself. */
function builtinGroup(group: string): boolean {
  return group === '*' || !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * `*` in the verbs or resources of a rule the repository writes, on Kubernetes' own groups (on a
 * group of its own CustomResourceDefinitions, the repository decides what the types are). Full
 * access is rbac-full-access's; an aggregated role's own rules are replaced by the controller.
 */
function wildcards(rule: Rule, graph: RbacGraph, out: RawFinding[]): void {
  for (const role of graph.roles.values()) {
    if (role.builtin || role.aggregation) continue;
    for (const r of role.rules) {
      const verbs = r.verbs.includes('*');
      const resources = r.resources.includes('*');
      const anyGroup = r.apiGroups.includes('*');
      const groups = r.apiGroups.filter(builtinGroup);
      if ((!verbs && !resources && !anyGroup) || !r.resources.length || !groups.length || !r.at) continue;
      if (verbs && resources && anyGroup) continue;
      const own = [{ rule: r, source: role }];
      const hidden = verbs ? HIDDEN_VERBS.filter(([, p]) => allows(own, p, 'cluster').length).map(([v]) => v) : [];
      const secrets = resources && groups.some((g) => g === '' || g === '*');
      const notes = [
        ...(hidden.length ? [`${hidden.join(', ')} included`] : []),
        ...(resources ? [`${secrets ? 'Secrets, ' : ''}every subresource and types added later included`] : []),
      ];
      if (anyGroup && !resources) notes.push(`${r.resources.join(', ')} of every API group, those added later included`);
      const what = verbs && resources ? 'verbs and resources' : verbs ? `verbs on ${r.resources.join(', ')}` : resources ? 'resources' : 'API groups';
      const on = groups.map((g) => (g === '' ? 'the core group' : `\`${g}\``)).join(', ');
      const detail = `rule ${r.index + 1} of ${role.kind} ${role.name} has \`*\` ${what}${anyGroup && !verbs && !resources ? '' : ` of ${on}`}${notes.length ? ` (${notes.join('; ')})` : ''}`;
      out.push(analyzerFinding(rule, r.at, detail, `${role.key}#${r.index} wildcard`));
    }
  }
}
