import path from 'node:path';
import type { AuditPolicy, ClusterScope, Component, EncryptionConfig, Reference, ReferenceHow } from './types.js';

/** The path flags whose files kubeharden reads, and the kind of file each names. */
const REFERENCE_FLAGS: Record<string, 'encryption' | 'audit'> = {
  '--encryption-provider-config': 'encryption',
  '--audit-policy-file': 'audit',
};

type Target = EncryptionConfig | AuditPolicy;

/**
 * Resolves each path flag of the API servers to the document it names, in this order: the
 * mapping of `.kubeharden.yml` (`files:`); the host path the container path is mounted from
 * (static pod hostPath volumes, kubeadm extraVolumes), found as a repository file whose path ends
 * with it (`nodes/cp1/etc/kubernetes/enc.yaml` for `/etc/kubernetes/enc.yaml`); and as a last
 * resort the only document of that kind in the scope. Otherwise the reference is unresolved, with
 * the reason, and nothing is assumed about the file's content.
 */
export function resolveReferences(scopes: readonly ClusterScope[], files: Readonly<Record<string, string>>): void {
  for (const scope of scopes) {
    for (const component of scope.components) {
      if (component.name !== 'kube-apiserver') continue;
      for (const [flag, kind] of Object.entries(REFERENCE_FLAGS)) {
        if (component.references?.has(flag)) continue;
        const setting = component.settings.get(flag);
        if (!setting || setting.origin !== 'explicit' || setting.unresolved || !setting.value.startsWith('/')) continue;
        const reference = resolve(component, setting.value, kind, kind === 'encryption' ? scope.encryption : scope.audit, files);
        component.references = component.references ?? new Map();
        component.references.set(flag, reference);
      }
    }
  }
}

function resolve(component: Component, containerPath: string, kind: 'encryption' | 'audit', candidates: readonly Target[], files: Readonly<Record<string, string>>): Reference {
  const hostPath = onHost(component, containerPath);
  const found = (target: Target, how: ReferenceHow): Reference =>
    kind === 'encryption' ? { kind, config: target as EncryptionConfig, how } : { kind, policy: target as AuditPolicy, how };
  const noun = kind === 'encryption' ? 'EncryptionConfiguration' : 'audit Policy';
  const mapped = files[hostPath];
  if (mapped) {
    const target = candidates.find((c) => c.file.path === mapped);
    return target ? found(target, 'mapping') : { kind: 'unresolved', path: hostPath, why: `.kubeharden.yml maps it to ${mapped}, which holds no ${noun}` };
  }
  const byPath = candidates.filter((c) => `/${c.file.path}`.endsWith(hostPath));
  if (byPath.length === 1) return found(byPath[0]!, 'path');
  if (byPath.length > 1) {
    // Several nodes' copies: the one nearest the component's own file.
    const nearest = nearestTo(component.file.path, byPath);
    if (nearest) return found(nearest, 'path');
    return { kind: 'unresolved', path: hostPath, why: `${byPath.length} files of the repository end with that path` };
  }
  if (candidates.length === 1) return found(candidates[0]!, 'only-one');
  const at = hostPath === containerPath ? hostPath : `${hostPath}, where the container's mount comes from`;
  return {
    kind: 'unresolved',
    path: hostPath,
    why: candidates.length ? `none of the ${candidates.length} ${noun} files of this cluster is at ${at}` : `no ${noun} is in the repository`,
  };
}

/** The host path a container path is mounted from (the longest mount that contains it). */
export function onHost(component: Component, containerPath: string): string {
  let best: { hostPath: string; mountPath: string } | undefined;
  for (const mount of component.mounts) {
    const m = mount.mountPath.replace(/\/+$/, '');
    if ((containerPath === m || containerPath.startsWith(`${m}/`)) && (!best || m.length > best.mountPath.length)) best = { ...mount, mountPath: m };
  }
  if (!best) return containerPath;
  return path.posix.join(best.hostPath, containerPath.slice(best.mountPath.length));
}

function nearestTo(file: string, targets: readonly Target[]): Target | undefined {
  const shared = (t: Target) => {
    const a = path.posix.dirname(file).split('/');
    const b = path.posix.dirname(t.file.path).split('/');
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  const ranked = [...targets].sort((x, y) => shared(y) - shared(x));
  return shared(ranked[0]!) > shared(ranked[1]!) ? ranked[0] : undefined;
}
