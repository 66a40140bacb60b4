import data from '../data/feature-gates.json' with { type: 'json' };
import kubeadmData from '../data/kubeadm-feature-gates.json' with { type: 'json' };
import { compareMinor, minorText, newestRelease, type Version } from './versions.js';

export type GateStage = 'alpha' | 'beta' | 'stable' | 'deprecated';

interface Entry {
  stage: GateStage;
  default: boolean | null;
  from: string;
  to: string | null;
  locked: boolean;
}

const GATES = data.gates as Record<string, Entry[]>;
const REMOVED = data.removed as Record<string, string>;
const REMOVED_APPROX = data.removedApprox as Record<string, { earliest: string | null; latest: string | null }>;

/** What a gate is at one Kubernetes version. */
export type GateFacts =
  | {
      kind: 'known';
      stage: GateStage;
      default: boolean | null;
      locked: boolean;
      /** The first minor of the uninterrupted run of this stage. */
      since: string;
    }
  | { kind: 'removed'; since: string }
  /** The gate exists, but only from a later version. */
  | { kind: 'not-yet'; first: { stage: GateStage; from: string } }
  /** No gate of that name at a version the facts cover. */
  | { kind: 'unknown' }
  /** The facts cannot say (a version past what they cover, or a removal they only bound). */
  | { kind: 'uncertain' };

/** `AllAlpha` and `AllBeta` switch the default of every alpha or beta gate. */
export const META_GATES = new Set(data.metaGates);

/** The newest version whose gate list is complete in the facts: the newest release they know. */
function coveredUpTo(): string {
  return newestRelease().minor;
}

export function gateAt(name: string, version: Version): GateFacts {
  const minor = minorText(version);
  const entries = GATES[name];
  const removed = REMOVED[name];
  if (removed && compareMinor(minor, removed) >= 0) return { kind: 'removed', since: removed };
  const approx = REMOVED_APPROX[name];
  if (approx?.latest && compareMinor(minor, approx.latest) >= 0) return { kind: 'removed', since: approx.latest };
  if (approx && (!approx.earliest || compareMinor(minor, approx.earliest) >= 0)) return { kind: 'uncertain' };
  if (!entries?.length) return compareMinor(minor, coveredUpTo()) > 0 ? { kind: 'uncertain' } : { kind: 'unknown' };
  const index = entries.findIndex((e) => compareMinor(e.from, minor) <= 0 && (e.to === null || compareMinor(minor, e.to) <= 0));
  if (index < 0) {
    const first = entries[0]!;
    if (compareMinor(minor, first.from) < 0) return { kind: 'not-yet', first: { stage: first.stage, from: first.from } };
    // Past the last recorded entry without a recorded removal.
    return { kind: 'uncertain' };
  }
  const entry = entries[index]!;
  let start = index;
  while (start > 0 && entries[start - 1]!.stage === entry.stage) start--;
  return { kind: 'known', stage: entry.stage, default: entry.default, locked: entry.locked, since: entries[start]!.from };
}

const knownByMinor = new Map<string, string[]>();

/** The gates that exist at a version (for "did you mean"). */
export function knownGates(version: Version): string[] {
  const minor = minorText(version);
  let names = knownByMinor.get(minor);
  if (!names) {
    names = Object.keys(GATES).filter((name) => gateAt(name, version).kind === 'known');
    knownByMinor.set(minor, names);
  }
  return names;
}

const KUBEADM_GATES = kubeadmData.gates as Record<string, Omit<Entry, 'locked'>[]>;

/**
 * kubeadm's own gates, as far as the hand-kept facts go: a gate or version they do not record is
 * `uncertain`, never `unknown` (kubeadm's full list per release is not in the facts).
 */
export function kubeadmGateAt(name: string, version: Version): GateFacts {
  const minor = minorText(version);
  const entry = KUBEADM_GATES[name]?.find((e) => compareMinor(e.from, minor) <= 0 && (e.to === null || compareMinor(minor, e.to) <= 0));
  return entry ? { kind: 'known', stage: entry.stage, default: entry.default, locked: false, since: entry.from } : { kind: 'uncertain' };
}
