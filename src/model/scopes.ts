import type { ClusterScope, Component } from './types.js';

/**
 * Groups what the repository describes into cluster scopes. A repository laid out as
 * `clusters/<name>/…` gets one scope per cluster (plus one for everything else); otherwise the
 * whole repository is one scope. Cross-file facts (an etcd CA compared with the API server's
 * client CA) are only looked up inside a scope.
 */
export function buildScopes(components: Component[]): ClusterScope[] {
  const scopes = new Map<string, ClusterScope>();
  for (const component of components) {
    const m = /^clusters\/([^/]+)\//.exec(component.file.path);
    const name = m ? m[1]! : '';
    let scope = scopes.get(name);
    if (!scope) {
      scope = { name, paths: m ? [`clusters/${name}/`] : [], components: [] };
      scopes.set(name, scope);
    }
    scope.components.push(component);
  }
  return [...scopes.values()];
}
