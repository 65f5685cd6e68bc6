/**
 * "did you mean --port?": the closest candidate by edit distance, for unknown flags, agent names, choices and
 * environment ids.
 */

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a likely typo: an edit distance
 * (insertions, deletions, substitutions, swaps of neighbours) of at most a third of the name (at least 1; none
 * for names of one or two letters), or `name` being the start of exactly one candidate. Ties go to the first
 * candidate in the list.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== name);
  const lower = name.toLowerCase();
  // A name of one or two letters is too short for a typo to be told from another word.
  const limit = name.length <= 2 ? 0 : Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const prefixed = lower.length >= 2 ? list.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** " (did you mean X?)" or "" — the tail of an error message. */
export function suggestion(name: string, candidates: Iterable<string>, prefix = ''): string {
  const match = didYouMean(name, candidates);
  return match === undefined ? '' : ` (did you mean ${prefix}${match}?)`;
}

/**
 * Optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters as one edit
 * ("prot" is 1 from "port"). Two rows of the table at a time.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
