import type { RawFinding } from '../../findings/finding.js';
import { versionGroup, written, type EffectiveVersion } from '../../model/cluster-version.js';
import type { ClusterScope, Component, ComponentName } from '../../model/types.js';
import { compareMinor, minorText, newestRelease, parseVersion, releaseOf, RELEASES, RELEASES_GATHERED, versionText } from '../../model/versions.js';
import type { Span } from '../../parse/source-file.js';
import type { Rule } from '../types.js';
import { analyzerFinding, type Analyzer, type AnalyzerInput } from './index.js';

type VersionCheck = 'end-of-life' | 'end-of-life-soon' | 'patch' | 'skew' | 'unknown';

const DAY = 24 * 60 * 60 * 1000;
/** How long before its end of life a version is reported as ending soon. */
const SOON_DAYS = 60;
/** Release facts older than this are said to be old in every message that relies on them. */
const STALE_DAYS = 183;

export const versions: Analyzer = (rule, params, model, input, out) => {
  const check = params.check as VersionCheck;
  for (const scope of model.scopes) {
    if (!scope.components.length) continue;
    if (check === 'skew') skew(rule, scope, out);
    else if (check === 'unknown') unknown(rule, scope, input, out);
    else for (const source of sources(scope, input)) support(rule, check, source, input, out);
  }
};

/** A place that says which Kubernetes version runs, and the component it says it for. */
interface VersionSource extends EffectiveVersion {
  at: Span;
  component: Component;
}

/**
 * Each version statement once per group (a node's folder, a cluster's file) and minor: the five
 * static pods of one control plane say the same version five times, and one finding is enough.
 * The API server's line is preferred.
 */
function sources(scope: ClusterScope, input: AnalyzerInput): VersionSource[] {
  const first = [...scope.components].sort((a, b) => a.file.path.localeCompare(b.file.path))[0]!;
  if (input.kubernetesVersion) return [{ version: input.kubernetesVersion, how: 'option', at: first.anchor, component: first }];
  const byKey = new Map<string, VersionSource>();
  const ordered = [...scope.components].sort((a, b) => Number(b.name === 'kube-apiserver') - Number(a.name === 'kube-apiserver'));
  for (const component of ordered) {
    const v = written(component);
    if (!v?.at) continue;
    const key = `${versionGroup(component)}\0${minorText(v.version)}`;
    if (!byKey.has(key)) byKey.set(key, { ...v, at: v.at, component });
  }
  return [...byKey.values()];
}

function support(rule: Rule, check: VersionCheck, source: VersionSource, input: AnalyzerInput, out: RawFinding[]): void {
  const { version } = source;
  const minor = minorText(version);
  const release = releaseOf(version);
  const stale = staleness(input.today);
  const from = source.how === 'option' ? ' (from --kubernetes-version)' : '';
  const identity = `${source.component.identity} kubernetes ${minor}`;
  const oldest = RELEASES.reduce((a, b) => (compareMinor(a.minor, b.minor) <= 0 ? a : b));
  if (!release) {
    // Versions older than the facts went out of support before the oldest one they record.
    if (check === 'end-of-life' && compareMinor(minor, oldest.minor) < 0) {
      const detail = `Kubernetes ${minor}${from} went out of support before ${oldest.endOfLife}, when ${oldest.minor} did`;
      out.push(analyzerFinding(rule, source.at, detail, identity));
    }
    return;
  }
  const days = Math.floor((Date.parse(release.endOfLife) - Date.parse(input.today)) / DAY);
  if (check === 'end-of-life' && days < 0) {
    const detail = `Kubernetes ${minor}${from} has been out of support since ${release.endOfLife}: it gets no security fixes`;
    out.push(analyzerFinding(rule, source.at, detail, identity));
  } else if (check === 'end-of-life-soon' && days >= 0 && days <= SOON_DAYS) {
    const detail = `Kubernetes ${minor}${from} goes out of support on ${release.endOfLife}, in ${days} day${days === 1 ? '' : 's'}${stale}`;
    out.push(analyzerFinding(rule, source.at, detail, identity));
  } else if (check === 'patch' && days >= 0 && version.patch !== undefined) {
    const latest = parseVersion(release.latestPatch);
    const behind = latest?.patch === undefined ? 0 : latest.patch - version.patch;
    if (behind > 0) {
      const detail = `Kubernetes ${versionText(version)}${from} is ${behind} patch release${behind === 1 ? '' : 's'} behind ${release.latestPatch}${stale}`;
      out.push(analyzerFinding(rule, source.at, detail, identity));
    }
  }
}

/** Said in every message built on release facts that are more than six months old. */
function staleness(today: string): string {
  const age = Math.floor((Date.parse(today) - Date.parse(RELEASES_GATHERED)) / DAY);
  return age > STALE_DAYS ? ` (kubeharden's release facts are from ${RELEASES_GATHERED}, over six months old: a newer patch or release may exist)` : '';
}

function unknown(rule: Rule, scope: ClusterScope, input: AnalyzerInput, out: RawFinding[]): void {
  if (input.kubernetesVersion || scope.components.some((c) => written(c))) return;
  // Only where a rule depends on the version: control-plane and node components, not etcd alone.
  const first = [...scope.components].filter((c) => c.name !== 'etcd').sort((a, b) => a.file.path.localeCompare(b.file.path))[0];
  if (!first) return;
  const detail = `No Kubernetes version is written for this cluster${scope.name ? ` (${scope.name})` : ''}; version-dependent rules assume ${newestRelease().minor}, the newest release kubeharden knows${staleness(input.today)}`;
  out.push(analyzerFinding(rule, first.anchor, detail, `scope ${scope.name} version`));
}

/**
 * The version skew policy (kubernetes.io/releases/version-skew-policy), between the components of
 * one node's folder or one cluster's file: API servers within one minor of each other; the controller manager and the
 * scheduler not newer than the API server and at most one minor older; the kubelet and kube-proxy
 * not newer and at most three minors older (two for kubelets older than 1.25).
 */
function skew(rule: Rule, scope: ClusterScope, out: RawFinding[]): void {
  const byDir = new Map<string, { component: Component; version: EffectiveVersion }[]>();
  for (const component of scope.components) {
    const v = written(component);
    if (!v?.at) continue;
    const group = versionGroup(component);
    byDir.set(group, [...(byDir.get(group) ?? []), { component, version: v }]);
  }
  for (const members of byDir.values()) {
    const apiServers = members.filter((m) => m.component.name === 'kube-apiserver').sort((a, b) => compareMinor(a.version.version, b.version.version));
    if (!apiServers.length) continue;
    const oldest = apiServers[0]!;
    const newest = apiServers.at(-1)!;
    const spread = compareMinor(newest.version.version, oldest.version.version);
    if (spread > 1) {
      const detail = `kube-apiserver ${minorText(oldest.version.version)} and kube-apiserver ${minorText(newest.version.version)} are ${spread} minor versions apart; the skew policy allows one`;
      out.push(analyzerFinding(rule, oldest.version.at!, detail, `${oldest.component.identity} skew kube-apiserver`));
    }
    for (const { component, version } of members) {
      if (component.name === 'kube-apiserver') continue;
      const allowedOlder = olderAllowed(component.name, version);
      if (allowedOlder === undefined) continue;
      const v = minorText(version.version);
      if (compareMinor(version.version, oldest.version.version) > 0) {
        const detail = `${component.name} ${v} is newer than kube-apiserver ${minorText(oldest.version.version)}; the skew policy does not allow a newer ${component.name}`;
        out.push(analyzerFinding(rule, version.at!, detail, `${component.identity} skew`));
      } else if (compareMinor(newest.version.version, version.version) > allowedOlder) {
        const behind = compareMinor(newest.version.version, version.version);
        const detail = `${component.name} ${v} is ${behind} minor versions older than kube-apiserver ${minorText(newest.version.version)}; the skew policy allows ${allowedOlder}`;
        out.push(analyzerFinding(rule, version.at!, detail, `${component.identity} skew`));
      }
    }
  }
}

function olderAllowed(name: ComponentName, version: EffectiveVersion): number | undefined {
  if (name === 'kube-controller-manager' || name === 'kube-scheduler') return 1;
  if (name === 'kubelet') return compareMinor(version.version, '1.25') < 0 ? 2 : 3;
  if (name === 'kube-proxy') return 3;
  return undefined;
}
