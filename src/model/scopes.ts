import picomatch from 'picomatch';
import type { ClusterConfig } from '../config/config.js';
import type { ClusterScope, Extracted } from './types.js';
import { parseVersion } from './versions.js';

/**
 * Groups what the repository describes into cluster scopes: the `clusters:` of .kubeharden.yml
 * (the first whose paths match a file wins), else one scope per `clusters/<name>/` folder, else
 * one for the whole repository. Cross-file facts (an etcd CA compared with the API server's
 * client CA, the EncryptionConfiguration a flag names) are only looked up inside a scope.
 */
export function buildScopes(extracted: Extracted, clusters: readonly ClusterConfig[] = [], defaultVersion?: string): ClusterScope[] {
  const scopes = new Map<string, ClusterScope>();
  const configured = clusters.map((c) => ({ config: c, matches: picomatch(c.paths, { dot: true }) }));
  const scopeOf = (path: string): ClusterScope => {
    const cluster = configured.find((c) => c.matches(path))?.config;
    const m = cluster ? undefined : /^clusters\/([^/]+)\//.exec(path);
    const name = cluster ? cluster.name : m ? m[1]! : '';
    let scope = scopes.get(name);
    if (!scope) {
      scope = {
        name,
        paths: cluster ? cluster.paths : m ? [`clusters/${name}/`] : [],
        components: [],
        encryption: [],
        audit: [],
        objects: [],
        kubernetesVersion: parseVersion(cluster?.kubernetesVersion ?? defaultVersion ?? ''),
        distribution: cluster?.distribution,
      };
      scopes.set(name, scope);
    }
    return scope;
  };
  for (const component of extracted.components) {
    const scope = scopeOf(component.file.path);
    // A distribution named for the cluster holds for what the files do not attribute themselves.
    if (scope.distribution && !component.distribution) component.distribution = scope.distribution;
    scope.components.push(component);
  }
  for (const config of extracted.encryption) scopeOf(config.file.path).encryption.push(config);
  for (const policy of extracted.audit) scopeOf(policy.file.path).audit.push(policy);
  for (const object of extracted.objects) scopeOf(object.doc.file.path).objects.push(object);
  return [...scopes.values()];
}
