import type { CatalogEntry } from './catalog.js';
import { editDistance, fold, isSubsequence } from './text.js';

export interface ScoredEntry {
  entry: CatalogEntry;
  score: number;
}

/** How well one query word matches one folded field (0 = not at all). */
function matchWord(word: string, field: string): number {
  if (field === '') return 0;
  if (field === word) return 100;
  if (field.startsWith(word)) return 90;
  const at = field.indexOf(word);
  if (at > 0 && field[at - 1] === ' ') return 80;
  if (at > 0) return 60;
  return 0;
}

/** Slower matches, tried only when nothing matched by substring: typos, then abbreviations. */
function matchLoose(word: string, field: string): number {
  if (field === '') return 0;
  if (word.length >= 4) {
    const max = word.length >= 8 ? 2 : 1;
    for (const part of field.split(' ')) {
      if (editDistance(word, part, max) <= max) return 40;
      if (part.length > word.length && editDistance(word, part.slice(0, word.length), max) <= max) {
        return 30;
      }
    }
  }
  if (word.length >= 2 && isSubsequence(word, field.replace(/ /g, ''))) return 15;
  return 0;
}

// A word found in the name counts for more than one found in the id, which beats the area.
const FIELD_WEIGHTS = { name: 1, aliases: 1, objectId: 0.95, id: 0.9, area: 0.7 } as const;

function wordScore(word: string, e: CatalogEntry, match: (w: string, f: string) => number): number {
  const f = e.folded;
  let best = Math.max(
    match(word, f.name) * FIELD_WEIGHTS.name,
    match(word, f.objectId) * FIELD_WEIGHTS.objectId,
    match(word, f.id) * FIELD_WEIGHTS.id,
    match(word, f.area) * FIELD_WEIGHTS.area,
  );
  for (const alias of f.aliases) best = Math.max(best, match(word, alias) * FIELD_WEIGHTS.aliases);
  return best;
}

/** Scores an entry against a folded query: every word must match some field. */
export function scoreEntry(words: readonly string[], query: string, e: CatalogEntry): number {
  let total = 0;
  for (const word of words) {
    let s = wordScore(word, e, matchWord);
    if (s === 0) s = wordScore(word, e, matchLoose);
    if (s === 0) return 0;
    total += s;
  }
  const f = e.folded;
  if (query === f.name || query === f.objectId || f.aliases.includes(query)) total += 150;
  else if (f.name.startsWith(query)) total += 50;
  return total / words.length;
}

/**
 * Ranks entries for a free-text query: best score first, then the shorter (more specific)
 * name, then the id. `limit` bounds the work of the final sort, not the scan.
 */
export function search(
  entries: readonly CatalogEntry[],
  rawQuery: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean = () => true,
): ScoredEntry[] {
  const query = fold(rawQuery);
  const words = query.split(' ').filter((w) => w.length > 0);
  if (words.length === 0) {
    return entries
      .filter(accept)
      .slice(0, limit)
      .map((entry) => ({ entry, score: 0 }));
  }
  const scored: ScoredEntry[] = [];
  for (const entry of entries) {
    if (!accept(entry)) continue;
    const score = scoreEntry(words, query, entry);
    if (score > 0) scored.push({ entry, score });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      a.entry.name.length - b.entry.name.length ||
      a.entry.entityId.localeCompare(b.entry.entityId),
  );
  return scored.slice(0, limit);
}

/** The names closest to what was typed, for "did you mean" when nothing matched. */
export function closestNames(
  entries: readonly CatalogEntry[],
  rawQuery: string,
  count: number,
): CatalogEntry[] {
  const query = fold(rawQuery);
  if (query === '') return [];
  return entries
    .map((entry) => ({
      entry,
      d: Math.min(
        editDistance(query, entry.folded.name, query.length),
        editDistance(query, entry.folded.objectId, query.length),
      ),
    }))
    .filter((x) => x.d < Math.max(3, query.length * 0.6))
    .sort((a, b) => a.d - b.d || a.entry.entityId.localeCompare(b.entry.entityId))
    .slice(0, count)
    .map((x) => x.entry);
}
