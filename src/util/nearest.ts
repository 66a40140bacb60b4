import { closest, distance } from 'fastest-levenshtein';

/**
 * The closest known name, when it is close enough to be the one meant: a difference of case
 * alone, or at most two edits that leave most of the name intact.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  if (!known.length) return undefined;
  const lower = name.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const best = closest(lower, known.map((k) => k.toLowerCase()));
  const d = distance(lower, best);
  if (d > 2 || d * 3 > name.length) return undefined;
  return known.find((k) => k.toLowerCase() === best);
}
