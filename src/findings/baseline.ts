import type { Finding } from './finding.js';

/**
 * Marks head findings `new` or `existing` and lists base findings that are gone as `fixed`,
 * matched by fingerprint (rule, file and the object and setting a finding is about), so a
 * finding that only moved to another line, or whose file changed elsewhere, is not new. Equal
 * fingerprints are counted, so one of two identical findings can be new.
 */
export function compareWithBase(head: readonly Finding[], base: readonly Finding[]): Finding[] {
  const remaining = new Map<string, Finding[]>();
  for (const f of base) remaining.set(f.fingerprint, [...(remaining.get(f.fingerprint) ?? []), f]);
  const out: Finding[] = head.map((f) => {
    const matches = remaining.get(f.fingerprint);
    if (matches?.length) {
      matches.shift();
      return { ...f, status: 'existing' as const };
    }
    return { ...f, status: 'new' as const };
  });
  for (const left of remaining.values()) for (const f of left) out.push({ ...f, status: 'fixed', fix: undefined });
  return out;
}
