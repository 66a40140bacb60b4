import type { AuditPolicy, AuditRule } from '../model/types.js';
import { arr, get, scalarText } from '../util/values.js';
import type { KubeObject } from './objects.js';
import { keySpanAt } from './spans.js';

export function isAuditPolicy(object: KubeObject): boolean {
  return object.kind === 'Policy' && /^audit\.k8s\.io\/v1(beta1|alpha1)?$/.test(object.apiVersion);
}

function strings(value: unknown): string[] {
  return arr(value)
    .map(scalarText)
    .filter((v): v is string => v !== undefined);
}

/** An audit Policy: its rules in order (the first that matches a request decides its level). */
export function extractAuditPolicy(object: KubeObject): AuditPolicy | undefined {
  if (!isAuditPolicy(object)) return undefined;
  const { doc, path, value } = object;
  const rules: AuditRule[] = arr(value.rules).map((rule, i) => ({
    level: scalarText(get(rule, 'level')) ?? '',
    users: strings(get(rule, 'users')),
    userGroups: strings(get(rule, 'userGroups')),
    verbs: strings(get(rule, 'verbs')),
    resources: arr(get(rule, 'resources')).map((r) => ({
      group: scalarText(get(r, 'group')) ?? '',
      resources: strings(get(r, 'resources')),
      resourceNames: strings(get(r, 'resourceNames')),
    })),
    namespaces: strings(get(rule, 'namespaces')),
    nonResourceURLs: strings(get(rule, 'nonResourceURLs')),
    omitStages: strings(get(rule, 'omitStages')),
    at: keySpanAt(doc, [...path, 'rules', i, 'level']),
  }));
  return {
    file: doc.file,
    identity: `Policy#${doc.index}${path.length ? `/${path.join('.')}` : ''}`,
    at: keySpanAt(doc, [...path, 'kind']),
    rulesAt: keySpanAt(doc, [...path, 'rules']),
    rules,
    omitStages: strings(value.omitStages),
  };
}
