import builtinData from '../data/builtin-rbac.json' with { type: 'json' };
import { keySpanAt, spanAt } from '../extract/spans.js';
import type { KubeObject } from '../extract/objects.js';
import type { Span } from '../parse/source-file.js';
import { arr, get, isObj, str } from '../util/values.js';

/** One PolicyRule of a role, with where it is written (built-in roles have no position). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  at?: Span | undefined;
  index: number;
}

export interface Selector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

export interface RbacRole {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string | undefined;
  labels: Record<string, string>;
  /** Where a label is written, for findings on the label that joins an aggregation. */
  labelAt: (label: string) => Span | undefined;
  aggregation?: Selector[] | undefined;
  /** The role's own rules (for an aggregated ClusterRole, the controller replaces them). */
  rules: PolicyRule[];
  at?: Span | undefined;
  builtin: boolean;
  /** `kind/namespace/name`, for lookups and fingerprints. */
  key: string;
}

export interface RbacSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** For a ServiceAccount: its namespace (defaulted to the RoleBinding's). */
  namespace?: string | undefined;
  at?: Span | undefined;
}

export interface RbacBinding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string | undefined;
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  roleRefAt?: Span | undefined;
  subjects: RbacSubject[];
  /** ServiceAccount subjects of a ClusterRoleBinding without a namespace: they match no one. */
  unmatched: RbacSubject[];
  at?: Span | undefined;
  builtin: boolean;
  key: string;
}

/** A rule a role holds, and where it came from: its own, or aggregated from another ClusterRole. */
export interface EffectiveRule {
  rule: PolicyRule;
  /** The role the rule is written in. */
  source: RbacRole;
}

export interface RbacGraph {
  roles: Map<string, RbacRole>;
  bindings: RbacBinding[];
  /** Effective rules of every role, with aggregation computed to a fixpoint. */
  effective: Map<string, EffectiveRule[]>;
  /** For an aggregating ClusterRole: the roles its selectors pick. */
  aggregatedFrom: Map<string, RbacRole[]>;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The namespace of an object that names none: the one it is applied to (`kubectl apply -n`, a
 * Kustomization, a Helm release), unknown here. Roles, bindings and service accounts without a
 * namespace share it, and it is neither kube-system nor `default`.
 */
export const APPLIED_NAMESPACE = '';

function strings(value: unknown): string[] {
  return arr(value).map((v) => (typeof v === 'string' ? v : String(v)));
}

function selectors(value: unknown): Selector[] | undefined {
  if (!isObj(value)) return undefined;
  return arr(value.clusterRoleSelectors).map((s) => ({
    matchLabels: Object.fromEntries(Object.entries(isObj(get(s, 'matchLabels')) ? (get(s, 'matchLabels') as Record<string, unknown>) : {}).map(([k, v]) => [k, String(v)])),
    matchExpressions: arr(get(s, 'matchExpressions')).map((e) => ({ key: str(get(e, 'key')) ?? '', operator: str(get(e, 'operator')) ?? '', values: strings(get(e, 'values')) })),
  }));
}

function rulesOf(value: unknown, at?: (i: number) => Span): PolicyRule[] {
  return arr(value).map((r, i) => ({
    verbs: strings(get(r, 'verbs')),
    apiGroups: strings(get(r, 'apiGroups')),
    resources: strings(get(r, 'resources')),
    resourceNames: strings(get(r, 'resourceNames')),
    nonResourceURLs: strings(get(r, 'nonResourceURLs')),
    // Positions are looked up only for the few rules a finding names.
    get at() {
      return at?.(i);
    },
    index: i,
  }));
}

export function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole/${name}` : `Role/${namespace ?? APPLIED_NAMESPACE}/${name}`;
}

let builtinCache: { roles: RbacRole[]; bindings: RbacBinding[] } | undefined;

/** The built-in roles and bindings, read once: every graph shares them and none changes them. */
function builtinObjects(): { roles: RbacRole[]; bindings: RbacBinding[] } {
  builtinCache ??= {
    roles: builtinData.clusterRoles.map((role) => ({
      kind: 'ClusterRole' as const,
      name: role.name,
      labels: (role as { labels?: Record<string, string> }).labels ?? {},
      labelAt: () => undefined,
      aggregation: selectors((role as { aggregationRule?: unknown }).aggregationRule),
      rules: rulesOf((role as { rules?: unknown }).rules),
      builtin: true,
      key: roleKey('ClusterRole', undefined, role.name),
    })),
    bindings: builtinData.clusterRoleBindings.map((b) => ({
      kind: 'ClusterRoleBinding' as const,
      name: b.name,
      roleRef: { kind: 'ClusterRole' as const, name: b.role },
      subjects: b.subjects.map((s) => ({ kind: s.kind as RbacSubject['kind'], name: s.name })),
      unmatched: [],
      builtin: true,
      key: `ClusterRoleBinding/${b.name}`,
    })),
  };
  return builtinCache;
}

/** The roles and bindings of a cluster scope, over the built-in ones a cluster has. */
export function buildGraph(objects: readonly KubeObject[]): RbacGraph {
  const roles = new Map<string, RbacRole>();
  const bindings: RbacBinding[] = [];
  const builtins = builtinObjects();
  for (const r of builtins.roles) roles.set(r.key, r);
  bindings.push(...builtins.bindings);
  for (const object of objects) {
    if (!object.apiVersion.startsWith(`${RBAC_GROUP}/`)) continue;
    const { doc, path, value } = object;
    const metadata = get(value, 'metadata');
    const name = str(get(metadata, 'name')) ?? '';
    const namespace = str(get(metadata, 'namespace'));
    if (object.kind === 'Role' || object.kind === 'ClusterRole') {
      const labels = isObj(get(metadata, 'labels')) ? (get(metadata, 'labels') as Record<string, unknown>) : {};
      const r: RbacRole = {
        kind: object.kind,
        name,
        namespace: object.kind === 'Role' ? (namespace ?? APPLIED_NAMESPACE) : undefined,
        labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])),
        labelAt: (label) => (label in labels ? spanAt(doc, [...path, 'metadata', 'labels', label]) : undefined),
        aggregation: object.kind === 'ClusterRole' ? selectors(value.aggregationRule) : undefined,
        rules: rulesOf(value.rules, (i) => spanAt(doc, [...path, 'rules', i])),
        get at() {
          return spanAt(doc, [...path, 'metadata', 'name']);
        },
        builtin: false,
        key: roleKey(object.kind, namespace, name),
      };
      // A role in the repository replaces the built-in of the same name (it is what the cluster runs).
      roles.set(r.key, r);
    } else if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
      const roleRef = get(value, 'roleRef');
      const refKind = str(get(roleRef, 'kind')) === 'Role' ? 'Role' : 'ClusterRole';
      const subjects: RbacSubject[] = [];
      const unmatched: RbacSubject[] = [];
      arr(value.subjects).forEach((s, i) => {
        const kind = str(get(s, 'kind'));
        if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') return;
        const subject: RbacSubject = {
          kind,
          name: str(get(s, 'name')) ?? '',
          namespace: kind === 'ServiceAccount' ? (str(get(s, 'namespace')) ?? (object.kind === 'RoleBinding' ? (namespace ?? APPLIED_NAMESPACE) : undefined)) : undefined,
          get at() {
            return spanAt(doc, [...path, 'subjects', i]);
          },
        };
        if (kind === 'ServiceAccount' && subject.namespace === undefined) unmatched.push(subject);
        else subjects.push(subject);
      });
      bindings.push({
        kind: object.kind,
        name,
        namespace: object.kind === 'RoleBinding' ? (namespace ?? APPLIED_NAMESPACE) : undefined,
        roleRef: { kind: refKind, name: str(get(roleRef, 'name')) ?? '' },
        get roleRefAt() {
          return keySpanAt(doc, [...path, 'roleRef']);
        },
        subjects,
        unmatched,
        get at() {
          return spanAt(doc, [...path, 'metadata', 'name']);
        },
        builtin: false,
        key: `${object.kind}/${object.kind === 'RoleBinding' ? `${namespace ?? APPLIED_NAMESPACE}/` : ''}${name}`,
      });
    }
  }
  const { effective, aggregatedFrom } = touchesAggregation(roles) ? aggregate(roles) : withBuiltinAggregation(roles);
  return { roles, bindings, effective, aggregatedFrom };
}

let builtinAggregation: ReturnType<typeof aggregate> | undefined;

/**
 * Whether the repository's roles take part in aggregation: one replaces a built-in role, aggregates
 * itself, or carries labels a built-in aggregation selects. Most scopes' roles do not, and then the
 * built-in roles' effective rules are the same in every scope and are computed once (which also
 * lets `allowsOf` remember answers about them across scopes).
 */
function touchesAggregation(roles: ReadonlyMap<string, RbacRole>): boolean {
  const aggregators = builtinObjects().roles.filter((r) => r.aggregation);
  for (const role of roles.values()) {
    if (role.builtin || role.kind !== 'ClusterRole') continue;
    if (role.aggregation || builtinObjects().roles.some((b) => b.key === role.key)) return true;
    if (aggregators.some((a) => a.aggregation!.some((sel) => selects(sel, role.labels)))) return true;
  }
  return false;
}

function withBuiltinAggregation(roles: ReadonlyMap<string, RbacRole>): ReturnType<typeof aggregate> {
  builtinAggregation ??= aggregate(new Map(builtinObjects().roles.map((r) => [r.key, r])));
  const effective = new Map(builtinAggregation.effective);
  for (const role of roles.values()) if (!role.builtin) effective.set(role.key, role.rules.map((rule) => ({ rule, source: role })));
  return { effective, aggregatedFrom: builtinAggregation.aggregatedFrom };
}

export function selects(selector: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * The ClusterRole aggregation controller, to a fixpoint: an aggregating role's rules are the union
 * of the rules of every other ClusterRole any of its selectors picks (its own rules replaced), and
 * a picked role may aggregate in turn (view → edit → admin).
 */
function aggregate(roles: Map<string, RbacRole>): { effective: Map<string, EffectiveRule[]>; aggregatedFrom: Map<string, RbacRole[]> } {
  const effective = new Map<string, EffectiveRule[]>();
  const aggregatedFrom = new Map<string, RbacRole[]>();
  for (const role of roles.values()) effective.set(role.key, role.aggregation ? [] : role.rules.map((rule) => ({ rule, source: role })));
  const clusterRoles = [...roles.values()].filter((r) => r.kind === 'ClusterRole');
  for (const role of clusterRoles) {
    if (!role.aggregation) continue;
    aggregatedFrom.set(role.key, clusterRoles.filter((other) => other !== role && role.aggregation!.some((s) => selects(s, other.labels))));
  }
  for (let changed = true, rounds = 0; changed && rounds < 50; rounds++) {
    changed = false;
    for (const [key, sources] of aggregatedFrom) {
      const seen = new Set<string>();
      const rules: EffectiveRule[] = [];
      for (const source of sources) {
        for (const e of effective.get(source.key) ?? []) {
          const id = `${e.source.key}#${e.rule.index}`;
          if (seen.has(id)) continue;
          seen.add(id);
          rules.push(e);
        }
      }
      if (rules.length !== effective.get(key)!.length) {
        effective.set(key, rules);
        changed = true;
      }
    }
  }
  return { effective, aggregatedFrom };
}
