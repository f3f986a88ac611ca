import type { WorkBudget } from './bounds.js';
import { COST } from './bounds.js';
import type { CatalogEntry } from './entry.js';
import { FIELD_WEIGHTS } from './fields.js';
import { fieldsCost, strictScore, matchWord } from './scoring.js';
import { type SearchIndex } from './search-index.js';

/** Keeping the best-scored entries, and the shortcut that ranks the names starting with the query. */

export interface ScoredEntry {
  entry: CatalogEntry;
  score: number;
}

interface Ranked extends ScoredEntry {
  /** The entry's position in the catalog, which is sorted by id. */
  at: number;
}

/**
 * The best `limit` entries seen so far, in rank order. Kept while scanning, so a query that
 * matches thousands of entries neither allocates nor sorts them all.
 */
export class Ranking {
  private readonly ranked: Ranked[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  /** The ranking kept, itself (no copy made per keystroke): read it once the adding is done. */
  get best(): ScoredEntry[] {
    return this.ranked;
  }

  add(at: number, entry: CatalogEntry, score: number): void {
    this.count++;
    const { ranked, limit } = this;
    if (limit <= 0) return;
    // Most entries added rank below the worst kept: turned away before an object is made.
    const worst = ranked[limit - 1];
    if (worst !== undefined) {
      if (score < worst.score) return;
      if (score === worst.score) {
        const length = entry.name.length - worst.entry.name.length;
        if (length > 0 || (length === 0 && at >= worst.at)) return;
      }
    }
    const next = { at, entry, score };
    let lo = 0;
    let hi = ranked.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRank(next, ranked[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    // Moved up by hand: splice() would make an array (of the none removed) per entry kept.
    if (ranked.length < limit) ranked.push(next);
    for (let k = ranked.length - 1; k > lo; k--) ranked[k] = ranked[k - 1]!;
    ranked[lo] = next;
  }
}

/**
 * Best score first, then the shorter (more specific) name, then the id: the catalog is
 * sorted by id, so its position says the same without comparing strings.
 */
function compareRank(a: Ranked, b: Ranked): number {
  return b.score - a.score || a.entry.name.length - b.entry.name.length || a.at - b.at;
}

/** Names starting with the query read, at most, before the prefix shortcut gives up. */
const PREFIX_RANGE_MAX = 50_000;

/**
 * The ranking search() would give, found from the entries whose name starts with the query,
 * when that can be proven; undefined when it cannot (search() then does its full passes).
 *
 * An entry whose name starts with the query has every word at the start of a word of its
 * name and the +50 bonus; one whose name does not scores at most `outside` (each word at
 * best equal to a whole field: 100 if some field of some entry is that word, else 90 as a
 * field's start), unless the query is its object id or an alias (+150: those few are looked
 * up and scored). So when the `limit`-th best of the names' entries scores above `outside`,
 * nothing else can enter the ranking, and as at least `limit` entries match, the loose
 * passes would not run either. The names' entries are ranked without reading them: how a
 * word matches a "plain" entry (see SearchIndex.plain) follows from the query and its
 * domain; others, and the exact name, are read and scored. Only the best few are read, to
 * ask `accept`.
 */
export function namePrefixRanking(
  index: SearchIndex,
  entries: readonly CatalogEntry[],
  words: readonly string[],
  query: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean,
  budget: WorkBudget,
): ScoredEntry[] | undefined {
  if (words.length > 5 || limit > 100) return undefined;
  // The query as a name's start: every word is where it is in the query. A name that starts
  // with the query has these places and maybe more, after it: those add at best a word's
  // start (80), which a word scoring 80 or 90 here has already.
  const asName = `${query} `;
  const nameScores = words.map((w) => matchWord(w, asName));
  // A word only inside other words scores 60: an area (0.7 of up to 100) or a later place in
  // a name (80) could then beat it.
  if (nameScores.some((s) => s < 80)) return undefined;
  let outside = 0;
  for (const w of words) outside += index.wholeWords.has(w) ? 100 : 90;
  outside /= words.length;
  const { order, start, end } = index.namesStartingWith(query);
  if (end - start < limit || end - start > PREFIX_RANGE_MAX) return undefined;
  if (!budget.charge(Math.ceil((end - start) / COST.maskScansPerUnit) + 64)) return undefined;
  // A plain entry's score, by domain, as strictScore computes it.
  const byDomain = index.domains.map((domain) => {
    const asId = `${domain} ${asName}`;
    let total = 0;
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      total += Math.max(
        nameScores[k]! * FIELD_WEIGHTS.name,
        nameScores[k]! * FIELD_WEIGHTS.objectId,
        matchWord(w, asId) * FIELD_WEIGHTS.id,
      );
    }
    return (total + 50) / words.length;
  });
  // The query as an object id or alias (+150), wherever the name.
  const exact = exactMatches(index.withObjectId(query), index.withAlias(query));
  // The best entries (not yet asked `accept`), as parallel arrays kept in rank order.
  let room = limit + 8;
  for (let round = 0; round < 3; round++, room *= 4) {
    const best = new TopRanks(room, index.shownNameLengths);
    for (let i = start; i < end; i++) {
      const at = order[i]!;
      if (index.plain[at] === 1 && index.nameLengths[at] !== query.length) {
        best.add(at, byDomain[index.domainOf[at]!]!);
      } else {
        const entry = entries[at]!;
        if (!budget.charge(COST.visit + fieldsCost(words, entry))) return undefined;
        best.add(at, strictScore(words, query, entry));
      }
    }
    for (const at of exact) {
      const entry = entries[at]!;
      if (!budget.charge(COST.visit + fieldsCost(words, entry))) return undefined;
      best.add(at, strictScore(words, query, entry));
    }
    const ranking = new Ranking(limit);
    let last = 0;
    for (let k = 0; k < best.size && ranking.count < limit; k++) {
      const at = best.ats[k]!;
      const entry = entries[at]!;
      if (!budget.charge(COST.visit)) return undefined;
      if (!accept(entry)) continue;
      ranking.add(at, entry, best.scores[k]!);
      last = best.scores[k]!;
    }
    if (ranking.count === limit) return last > outside ? ranking.best : undefined;
    // Too few accepted among the best read: look further, unless there is nothing further.
    if (best.size < room) return undefined;
  }
  return undefined;
}

/** The positions in either list, each once: most queries are no object id nor alias (no Set made). */
function exactMatches(ids: readonly number[], aliases: readonly number[]): readonly number[] {
  if (aliases.length === 0 && ids.length <= 1) return ids;
  return [...new Set([...ids, ...aliases])];
}

/** The best `room` (position, score) pairs added, in rank order (see compareRank). */
class TopRanks {
  readonly ats: Int32Array;
  readonly scores: Float64Array;
  size = 0;

  constructor(
    private readonly room: number,
    private readonly nameLengths: Int32Array,
  ) {
    this.ats = new Int32Array(room);
    this.scores = new Float64Array(room);
  }

  /** Whether (at, score) ranks before the k-th kept. */
  private before(at: number, score: number, k: number): boolean {
    const s = this.scores[k]!;
    if (score !== s) return score > s;
    const a = this.nameLengths[at]!;
    const b = this.nameLengths[this.ats[k]!]!;
    return a !== b ? a < b : at < this.ats[k]!;
  }

  add(at: number, score: number): void {
    if (score <= 0) return;
    const { room } = this;
    if (this.size === room && !this.before(at, score, room - 1)) return;
    let k = Math.min(this.size, room - 1);
    while (k > 0 && this.before(at, score, k - 1)) {
      this.ats[k] = this.ats[k - 1]!;
      this.scores[k] = this.scores[k - 1]!;
      k--;
    }
    this.ats[k] = at;
    this.scores[k] = score;
    if (this.size < room) this.size++;
  }
}
