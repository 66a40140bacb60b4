import type { RawFinding } from '../../findings/finding.js';
import type { AuditPolicy, AuditRule } from '../../model/types.js';
import type { Rule } from '../types.js';
import { analyzerFinding, type Analyzer } from './index.js';

type AuditCheck = 'secrets-leak' | 'secrets-unlogged' | 'no-catch-all' | 'hides-events' | 'request-received';

/** Requests the policy is asked about: a resource in an API group, by any verb. */
interface Request {
  group: string;
  resource: string;
  label: string;
  /** The levels that write its secret data into the log (request bodies, or responses too). */
  leaksAt?: string[];
}

/** Objects whose bodies hold secret data: logged above Metadata, the data ends up in the log. */
const SENSITIVE: Request[] = [
  { group: '', resource: 'secrets', label: '`secrets`' },
  { group: '', resource: 'configmaps', label: '`configmaps`' },
  // A TokenRequest's secret is the token in the response; its request body holds none.
  { group: '', resource: 'serviceaccounts/token', label: '`serviceaccounts/token`', leaksAt: ['RequestResponse'] },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', label: '`tokenreviews`' },
];

/** Requests an investigation needs in the log, which a broad None rule must not swallow. */
const SECURITY_EVENTS: Request[] = [
  { group: '', resource: 'pods/exec', label: '`pods/exec`' },
  { group: '', resource: 'pods/attach', label: '`pods/attach`' },
  { group: '', resource: 'pods/portforward', label: '`pods/portforward`' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', label: 'changes to `clusterrolebindings`' },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', label: 'changes to `rolebindings`' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', label: 'changes to `clusterroles`' },
  { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', label: '`certificatesigningrequests`' },
];

/**
 * Judges audit Policies by the API server's own semantics: rules in order, the first that matches
 * decides the level, a field left out matches everything, and no match means `None`.
 */
export const audit: Analyzer = (rule, params, model, _input, out) => {
  const check = params.check as AuditCheck;
  for (const scope of model.scopes) for (const policy of scope.audit) judge(rule, check, policy, out);
};

function judge(rule: Rule, check: AuditCheck, policy: AuditPolicy, out: RawFinding[]): void {
  const push = (at: AuditPolicy['at'], detail: string, what: string) => out.push(analyzerFinding(rule, at, detail, `${policy.identity} ${what}`));
  if (check === 'no-catch-all') {
    if (!policy.rules.some(isCatchAll)) {
      push(policy.rulesAt, 'no rule matches every request, so requests that no rule names are not logged at all', 'catch-all');
    }
    return;
  }
  if (check === 'request-received') {
    const omitted = (r: AuditRule) => policy.omitStages.includes('RequestReceived') || r.omitStages.includes('RequestReceived');
    if (policy.rules.some((r) => r.level !== 'None' && !omitted(r))) {
      push(policy.rulesAt, 'the `RequestReceived` stage is not omitted, so every logged request is written twice (when received and when complete)', 'request-received');
    }
    return;
  }
  if (check === 'hides-events') {
    const hidden = new Map<AuditRule, string[]>();
    for (const request of SECURITY_EVENTS) {
      const decider = policy.rules.find((r) => matches(r, request) && unrestricted(r));
      if (decider?.level === 'None' && !isCatchAll(decider)) hidden.set(decider, [...(hidden.get(decider) ?? []), request.label]);
    }
    for (const [r, labels] of hidden) {
      push(r.at, `this \`None\` rule also matches ${list(labels)} for every user, so those requests are not logged`, `hides ${labels.join(',')}`);
    }
    return;
  }
  // One finding per rule that gives the level, naming every sensitive resource it covers.
  const leaks = new Map<AuditRule, string[]>();
  const unlogged = new Map<AuditRule, string[]>();
  const undecided: string[] = [];
  for (const request of SENSITIVE) {
    let decided = false;
    for (const r of policy.rules) {
      if (!matches(r, request)) continue;
      const decides = unrestricted(r);
      if ((request.leaksAt ?? ['Request', 'RequestResponse']).includes(r.level)) leaks.set(r, [...(leaks.get(r) ?? []), request.label]);
      if (decides && r.level === 'None') unlogged.set(r, [...(unlogged.get(r) ?? []), request.label]);
      if (decides) {
        decided = true;
        break;
      }
    }
    if (!decided) undecided.push(request.label);
  }
  if (check === 'secrets-leak') {
    for (const [r, labels] of leaks) {
      const who = unrestricted(r) ? '' : ' for the requests this rule selects';
      push(r.at, `${list(labels)} are logged at \`${r.level}\`${who}, which writes their data into the audit log; log them at \`Metadata\``, `leak ${labels.join(',')}`);
    }
  } else {
    for (const [r, labels] of unlogged) {
      push(r.at, `${list(labels)} are not logged (\`None\`), so reads of them leave no trail; log them at \`Metadata\``, `unlogged ${labels.join(',')}`);
    }
    if (undecided.length && policy.rules.length) {
      push(policy.rulesAt, `no rule decides how ${list(undecided)} are logged for every request, so those no rule selects are not logged; add a \`Metadata\` rule for them`, `undecided ${undecided.join(',')}`);
    }
  }
}

function list(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items[0]!;
}

/** Whether a rule can match some request for the resource (its verbs narrow it, see unrestricted). */
function matches(rule: AuditRule, request: Request): boolean {
  if (rule.nonResourceURLs.length) return false;
  if (!rule.resources.length) return true;
  return rule.resources.some((g) => g.group === request.group && (g.resources.length === 0 || g.resources.some((r) => resourceMatches(r, request.resource))));
}

/** `*` is every resource and subresource, `pods/*` every subresource of pods, `*\/scale` one subresource of all. */
function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*' || pattern === resource) return true;
  const [base, sub] = resource.split('/');
  if (pattern === `${base}/*`) return sub !== undefined;
  return pattern.startsWith('*/') && sub !== undefined && pattern.slice(2) === sub;
}

/** A rule that applies whoever asks, for every verb, namespace and object name it covers. */
function unrestricted(rule: AuditRule): boolean {
  return !rule.users.length && !rule.userGroups.length && !rule.namespaces.length && rule.resources.every((g) => !g.resourceNames.length) && !rule.verbs.length;
}

function isCatchAll(rule: AuditRule): boolean {
  return unrestricted(rule) && !rule.resources.length && !rule.nonResourceURLs.length;
}
