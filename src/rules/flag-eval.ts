import type { FlagCondition, FlagValue } from './types.js';

/**
 * The outcome of testing one value against a condition. `culprit` names the list entry that
 * fails it (so the finding can point at that entry); `fixValue` is the value that would pass,
 * when one follows from the condition alone (adding or removing a list entry).
 */
export interface Verdict {
  ok: boolean;
  culprit?: { entry: string; offset: number } | undefined;
  listFix?: string | undefined;
}

/** Splits a comma list the way the components do, keeping each entry's offset in the value. */
export function listEntries(value: string): { entry: string; offset: number }[] {
  const out: { entry: string; offset: number }[] = [];
  let offset = 0;
  for (const part of value.split(',')) {
    const lead = part.length - part.trimStart().length;
    const entry = part.trim();
    if (entry) out.push({ entry, offset: offset + lead });
    offset += part.length + 1;
  }
  return out;
}

function asList(expected: FlagValue | undefined): string[] {
  if (Array.isArray(expected)) return expected;
  return expected === undefined ? [] : [String(expected)];
}

/** Booleans compare case-insensitively (pflag's ParseBool), numbers numerically, the rest exactly. */
function sameValue(actual: string, expected: FlagValue | undefined): boolean {
  if (typeof expected === 'boolean') {
    const parsed = parseBool(actual);
    return parsed !== undefined && parsed === expected;
  }
  if (typeof expected === 'number') {
    const n = toNumber(actual);
    return n !== undefined && n === expected;
  }
  return actual === String(expected);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A number, or a Go duration (`4h0m0s`, `5m`, `0s`) in seconds. */
export function toNumber(value: string): number | undefined {
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) return n;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0);
}

/** Go's strconv.ParseBool, which pflag uses for boolean flags. */
export function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Tests a value that is known (written or defaulted) against a condition. */
export function testValue(condition: FlagCondition, actual: string, otherValue?: string): Verdict {
  const expected = condition.value;
  switch (condition.op) {
    case 'set':
      return { ok: actual !== '' };
    case 'unset':
      return { ok: false };
    case 'eq':
      return { ok: sameValue(actual, expected) };
    case 'neq':
      return { ok: !sameValue(actual, expected) };
    case 'gte':
    case 'lte': {
      const n = toNumber(actual);
      const bound = Number(expected);
      if (n === undefined) return { ok: false };
      return { ok: condition.op === 'gte' ? n >= bound : n <= bound };
    }
    case 'contains': {
      const entries = listEntries(actual);
      const wanted = asList(expected);
      const missing = wanted.filter((w) => !entries.some((e) => e.entry === w));
      return missing.length
        ? { ok: false, listFix: [...entries.map((e) => e.entry), ...missing].join(',') }
        : { ok: true };
    }
    case 'notContains': {
      const entries = listEntries(actual);
      const banned = new Set(asList(expected));
      const culprit = entries.find((e) => banned.has(e.entry));
      if (!culprit) return { ok: true };
      const rest = entries.filter((e) => !banned.has(e.entry)).map((e) => e.entry);
      return { ok: false, culprit, listFix: rest.length ? rest.join(',') : undefined };
    }
    case 'allIn': {
      const allowed = new Set(asList(expected));
      const entries = listEntries(actual);
      const culprit = entries.find((e) => !allowed.has(e.entry));
      return { ok: entries.length > 0 && !culprit, culprit };
    }
    case 'allMatch': {
      const patterns = asList(expected).map((p) => new RegExp(p));
      const entries = listEntries(actual);
      const culprit = entries.find((e) => !patterns.some((p) => p.test(e.entry)));
      return { ok: entries.length > 0 && !culprit, culprit };
    }
    case 'differsFrom':
      return { ok: otherValue === undefined || actual !== otherValue };
  }
}

/** One `Name=bool` entry of a feature-gate list, with its offset in the whole value. */
export function gateEntry(value: string, gate: string): { value: string; offset: number; length: number } | undefined {
  let found: { value: string; offset: number; length: number } | undefined;
  for (const { entry, offset } of listEntries(value)) {
    const eq = entry.indexOf('=');
    if (eq < 0) continue;
    if (entry.slice(0, eq).trim() === gate) found = { value: entry.slice(eq + 1).trim(), offset, length: entry.length };
  }
  return found;
}
