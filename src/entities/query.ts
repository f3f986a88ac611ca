import { FUZZY_CHARS, MAX_WORDS } from './bounds.js';
import { fold } from './text.js';

/**
 * What the fuzzy passes read of a query: its folded text, its words, and when the loose
 * (typo and abbreviation) passes run. Split out of search.ts, which uses it for the index
 * and for the entries changed since it was built.
 */

/** What the fuzzy passes read of a query: folded, at most FUZZY_CHARS characters. */
export function fuzzyQuery(raw: string): string {
  return fold(raw).slice(0, FUZZY_CHARS).trim();
}

/**
 * The words the fuzzy passes match: distinct (a repeated word matches what it matched
 * once), longest first (it rejects most entries soonest), at most MAX_WORDS of them.
 */
export function queryWords(query: string): string[] {
  // One list, no Set: the query has at most FUZZY_CHARS characters, so a few words.
  const words: string[] = [];
  for (const w of query.split(' ')) {
    if (w.length === 0 || words.includes(w)) continue;
    // Kept in order, longest first; of equal length, the first typed first (a stable sort).
    let k = words.length;
    while (k > 0 && words[k - 1]!.length < w.length) k--;
    words.splice(k, 0, w);
  }
  if (words.length > MAX_WORDS) words.length = MAX_WORDS;
  return words;
}

// Typos and abbreviations are looked for only when exact words find almost nothing.
export const LOOSE_BELOW = 5;

/**
 * The highest score a loose match of so many words can reach: at least one word at a typo's
 * 40 or less, the rest at most 100, and no bonus (the query is not the name, nor its start).
 */
export const bestLooseScore = (wordCount: number): number =>
  (100 * (wordCount - 1) + 40) / wordCount;
