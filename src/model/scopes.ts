import type { ClusterScope, Extracted } from './types.js';

/**
 * Groups what the repository describes into cluster scopes. A repository laid out as
 * `clusters/<name>/…` gets one scope per cluster (plus one for everything else); otherwise the
 * whole repository is one scope. Cross-file facts (an etcd CA compared with the API server's
 * client CA, the EncryptionConfiguration a flag names) are only looked up inside a scope.
 */
export function buildScopes(extracted: Extracted): ClusterScope[] {
  const scopes = new Map<string, ClusterScope>();
  const scopeOf = (path: string): ClusterScope => {
    const m = /^clusters\/([^/]+)\//.exec(path);
    const name = m ? m[1]! : '';
    let scope = scopes.get(name);
    if (!scope) {
      scope = { name, paths: m ? [`clusters/${name}/`] : [], components: [], encryption: [], audit: [], objects: [] };
      scopes.set(name, scope);
    }
    return scope;
  };
  for (const component of extracted.components) scopeOf(component.file.path).components.push(component);
  for (const config of extracted.encryption) scopeOf(config.file.path).encryption.push(config);
  for (const policy of extracted.audit) scopeOf(policy.file.path).audit.push(policy);
  for (const object of extracted.objects) scopeOf(object.doc.file.path).objects.push(object);
  return [...scopes.values()];
}
