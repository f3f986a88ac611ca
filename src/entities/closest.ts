import { COST, FUZZY_CHARS, WorkBudget } from './bounds.js';
import { byId, letterMask, type CatalogEntry } from './catalog.js';
import { searchIndexOf } from './search-index.js';
import { queryWords } from './search.js';
import { bitCount } from './typos.js';
import { distanceCells, editDistance, fold } from './text.js';

interface Close {
  entry: CatalogEntry;
  d: number;
}

/** Inserts `entry` at distance `d` into `best`, kept sorted by distance then id, `count` long. */
function keep(best: Close[], entry: CatalogEntry, d: number, count: number): void {
  let at = best.length;
  while (
    at > 0 &&
    (best[at - 1]!.d > d || (best[at - 1]!.d === d && byId(best[at - 1]!.entry, entry) > 0))
  )
    at--;
  if (at >= count) return;
  best.splice(at, 0, { entry, d });
  if (best.length > count) best.pop();
}

/**
 * A lower bound on the edit distance from one query to any text, from character counts:
 * a text shares at most `common` characters with the query, and every other character of
 * the longer of the two takes an edit. Characters are counted in 64 buckets (a merged
 * bucket can only lower the bound). One pass over the text, no table: what a text has taken
 * from a bucket counts only under that text's stamp, so nothing is put back after it.
 */
class CountBound {
  private readonly counts = new Int32Array(64);
  private readonly taken = new Int32Array(64);
  private readonly stamps = new Int32Array(64);
  private stamp = 0;

  constructor(private readonly query: string) {
    for (let i = 0; i < query.length; i++) this.counts[query.charCodeAt(i) & 63]!++;
  }

  /**
   * Whether the characters of `text` from `start` to `end` may be within `max` edits of the
   * query. A text that has missed more characters than it can spare is turned away there,
   * before the rest of it is read.
   */
  mayBeWithin(text: string, start: number, end: number, max: number): boolean {
    const { counts, taken, stamps } = this;
    const stamp = ++this.stamp;
    // Within `max` edits the text shares all but `spare` of its characters with the query.
    const length = end - start;
    const spare = length - (Math.max(this.query.length, length) - max);
    if (spare < 0) return false;
    let missed = 0;
    for (let i = start; i < end; i++) {
      const bucket = text.charCodeAt(i) & 63;
      if (stamps[bucket] !== stamp) {
        stamps[bucket] = stamp;
        taken[bucket] = 0;
      }
      if (taken[bucket]! < counts[bucket]!) taken[bucket]!++;
      else if (++missed > spare) return false;
    }
    return true;
  }
}

/**
 * The names closest to what was typed, for "did you mean" when nothing matched: by edit
 * distance to the name or object id, within 60% of the query's length (at least 2 edits).
 *
 * Bounded: a query longer than FUZZY_CHARS folded characters has no close names (none is
 * that long). The lengths and letters of every entry are checked in the search index's
 * typed arrays; only an entry that can be close enough is read, its character counts
 * checked, and only then its distance computed, within the distance of the farthest of the
 * `count` kept so far (so the table shrinks as the search goes). Every step is paid for
 * from `budget`; when it runs out, the closest found so far are returned.
 */
export function closestNames(
  entries: readonly CatalogEntry[],
  rawQuery: string,
  count: number,
  accept: (e: CatalogEntry) => boolean = () => true,
  budget: WorkBudget = new WorkBudget(),
): CatalogEntry[] {
  const query = fold(rawQuery);
  if (query === '' || query.length > FUZZY_CHARS || count <= 0) return [];
  const index = searchIndexOf(entries);
  // d < max(3, 0.6 × length), i.e. d ≤ within.
  const within = Math.ceil(Math.max(3, query.length * 0.6)) - 1;
  const mask = letterMask(query);
  const counted = new CountBound(query);
  const best: Close[] = [];
  /** The distance to a name or object id, read in place in `text`, if it is at most `max`. */
  const distance = (text: string, start: number, length: number, max: number): number => {
    const end = start + length;
    if (max < 0 || Math.abs(length - query.length) > max) return max + 1;
    if (!budget.charge(Math.ceil(length / COST.countedCharsPerUnit))) return max + 1;
    if (!counted.mayBeWithin(text, start, end, max)) return max + 1;
    const cells = distanceCells(query.length, length, max);
    if (!budget.charge(Math.ceil(cells / COST.cellsPerUnit))) return max + 1;
    return editDistance(query, text, max, start, length);
  };
  const seen = new Uint8Array(index.size);
  /**
   * Compares the entry at `at`, once; false when the budget has run out. Its lengths and
   * letters, then its character counts and its distance, are all read from the index: the
   * entry itself only when it is close enough to keep.
   */
  const compare = (at: number): boolean => {
    if (seen[at] === 1) return true;
    seen[at] = 1;
    // A tie with the farthest kept may still win on the id.
    const bound = best.length < count ? within : best[best.length - 1]!.d;
    const nameOff = index.nameLengths[at]! - query.length;
    const idOff = index.objectIdLengths[at]! - query.length;
    if (Math.min(Math.abs(nameOff), Math.abs(idOff)) > bound) return true;
    // Each letter of the query that neither the name nor the id has costs an edit.
    if (bitCount(mask & ~index.letters[at]!) > bound) return true;
    if (!budget.charge(COST.read)) return false;
    let d = distance(index.corpus, index.nameStart(at), index.nameLengths[at]!, bound);
    const objectIdAt = index.objectIdStart(at);
    if (objectIdAt !== -1) {
      const max = Math.min(bound, d - 1);
      d = Math.min(d, distance(index.objectIds, objectIdAt, index.objectIdLengths[at]!, max));
    }
    if (d <= bound) {
      if (!budget.charge(COST.visit)) return false;
      const entry = entries[at]!;
      if (index.recent.stands(entry) && accept(entry)) keep(best, entry, d, count);
    }
    return !budget.exhausted;
  };
  // The order does not change the outcome, only what a budget that runs out has covered:
  // entries with one of the query's words first (the rarest word's first), then the rest.
  const vocabulary = index.words();
  const words = queryWords(query)
    .map((word) => vocabulary.entriesByWord.get(word) ?? [])
    .sort((a, b) => a.length - b.length);
  for (const list of words) {
    for (const at of list) if (!compare(at)) return best.map((b) => b.entry);
  }
  if (!budget.charge(Math.ceil(index.size / COST.maskScansPerUnit)))
    return best.map((b) => b.entry);
  for (let at = 0; at < index.size; at++) if (!compare(at)) break;
  // The entries changed since the index was built, as they are now.
  for (const entry of index.recent.entries) {
    if (budget.exhausted) break;
    const bound = best.length < count ? within : best[best.length - 1]!.d;
    if (!budget.charge(COST.visit)) break;
    const { foldedName, foldedObjectId } = entry;
    let d = distance(foldedName, 0, foldedName.length, bound);
    if (foldedObjectId !== foldedName)
      d = Math.min(d, distance(foldedObjectId, 0, foldedObjectId.length, bound));
    if (d <= bound && accept(entry)) keep(best, entry, d, count);
  }
  return best.map((b) => b.entry);
}
