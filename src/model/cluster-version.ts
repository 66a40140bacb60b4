import path from 'node:path';
import type { Span } from '../parse/source-file.js';
import type { ClusterScope, Component } from './types.js';
import { newestRelease, parseVersion, type Version } from './versions.js';

/** The Kubernetes version a component runs, and how kubeharden knows it. */
export interface EffectiveVersion {
  version: Version;
  /** Where the version is written; undefined when it comes from --kubernetes-version or is assumed. */
  at?: Span | undefined;
  how: 'written' | 'option' | 'assumed';
}

/**
 * Kubernetes versions are written once per object (an image tag, `kubernetesVersion`, a Cluster
 * API `spec.version`); a component without one takes the version its neighbours agree on: the
 * other components of its file, or of its node (the folder of static pods or units it sits in).
 * Neighbours that disagree say nothing, and a version is never borrowed from another folder: one
 * repository often holds many clusters. etcd has versions of its own and is left out.
 */
export function effectiveVersion(component: Component, scope: ClusterScope, override: Version | undefined): EffectiveVersion {
  if (override) return { version: override, how: 'option' };
  if (scope.kubernetesVersion) return { version: scope.kubernetesVersion, how: 'option' };
  const own = written(component);
  if (own) return own;
  const group = versionGroup(component);
  const neighbours = scope.components
    .filter((c) => c !== component && versionGroup(c) === group)
    .map(written)
    .filter((v): v is EffectiveVersion => v !== undefined);
  const minors = new Set(neighbours.map((v) => `${v.version.major}.${v.version.minor}`));
  if (minors.size === 1) return neighbours[0]!;
  return { version: parseVersion(newestRelease().minor)!, how: 'assumed' };
}

/**
 * The components one version statement speaks for: a file that describes a whole cluster
 * (kubeadm, Cluster API, kind, k3s), or the folder of a node's static pods and units.
 */
export function versionGroup(component: Component): string {
  const nodeLevel = component.format === 'static-pod' || component.format === 'systemd';
  return nodeLevel ? `${path.posix.dirname(component.file.path)}/` : component.file.path;
}

export function written(component: Component): EffectiveVersion | undefined {
  if (component.name === 'etcd' || !component.version) return undefined;
  const version = parseVersion(component.version.value);
  return version ? { version, at: component.version.at, how: 'written' } : undefined;
}

/** "Kubernetes 1.30", or "assumed Kubernetes 1.36" when nothing says which version runs. */
export function versionPhrase(v: EffectiveVersion): string {
  const text = `Kubernetes ${v.version.major}.${v.version.minor}`;
  return v.how === 'assumed' ? `assumed ${text}` : text;
}
