import releaseData from '../data/releases.json' with { type: 'json' };

/** A Kubernetes (or etcd) version as written: `v1.33.2`, `1.33`, `1.33.2-0`, `v1.33.1+k3s1`. */
export interface Version {
  major: number;
  minor: number;
  patch?: number | undefined;
}

export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), ...(m[3] !== undefined ? { patch: Number(m[3]) } : {}) };
}

/** `1.33` */
export function minorText(v: Version): string {
  return `${v.major}.${v.minor}`;
}

export function versionText(v: Version): string {
  return v.patch === undefined ? minorText(v) : `${minorText(v)}.${v.patch}`;
}

/** Compares two `major.minor` strings (or versions) by minor version only. */
export function compareMinor(a: string | Version, b: string | Version): number {
  const x = typeof a === 'string' ? parseVersion(a) : a;
  const y = typeof b === 'string' ? parseVersion(b) : b;
  if (!x || !y) return 0;
  return x.major - y.major || x.minor - y.minor;
}

export interface Release {
  minor: string;
  released: string;
  endOfLife: string;
  latestPatch: string;
  maintenanceModeStartDate?: string;
}

export const RELEASES: readonly Release[] = releaseData.releases;
/** The newest date the release facts record: they are at least this old. */
export const RELEASES_GATHERED: string = releaseData.gathered;

export function releaseOf(v: Version): Release | undefined {
  return RELEASES.find((r) => r.minor === minorText(v));
}

/** The newest minor version the release facts know. */
export function newestRelease(): Release {
  return RELEASES.reduce((a, b) => (compareMinor(a.minor, b.minor) >= 0 ? a : b));
}
