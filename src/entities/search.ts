import { COST, WorkBudget } from './bounds.js';
import type { CatalogEntry } from './entry.js';
import { letterMask } from './letter-masks.js';
import { byId } from './id-order.js';
import { namePrefixRanking, Ranking, type ScoredEntry } from './ranking.js';
import { NO_CHANGES, type RecentChanges } from './recent-changes.js';
import { fieldsCost, mayAbbreviate, strictScore, looseScore } from './scoring.js';
import { builtIndexOf, searchIndexOf } from './search-index.js';
import { bestLooseScore, fuzzyQuery, LOOSE_BELOW, queryWords } from './query.js';
import { typosOf } from './typos.js';
import { markWords } from './word-marks.js';

export type { ScoredEntry } from './ranking.js';
export { fuzzyQuery, queryWords } from './query.js';

// Words besides the longest looked up in the corpus before entries are read.
const MARKED_WORDS = 2;
// Words that match only as substrings looked for in an entry's text before it is read loosely.
const REQUIRED_WORDS = 2;

/**
 * Ranks entries for a free-text query: best score first, then the shorter (more specific)
 * name, then the id. Substring matches are found first; the slower typo-tolerant pass runs
 * only when they find almost nothing, which keeps a keystroke cheap.
 *
 * Every word must match, so only entries the longest word reaches are scored: as a
 * substring (found in the index's corpus, not entry by entry), through a typo (straight
 * from the vocabulary) or, for words of 2-4 letters, as an abbreviation (a scan of the
 * index's letter masks). A number is matched only as a substring (see isNumberWord).
 *
 * Every step is paid for from `budget` first (see bounds.ts); when it runs out the search
 * stops and returns the best found so far, and `budget.exhausted` tells the caller so.
 */
export function search(
  entries: readonly CatalogEntry[],
  rawQuery: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean = () => true,
  budget: WorkBudget = new WorkBudget(),
  /** The least score wanted: a pass whose matches cannot reach it is skipped. */
  minScore = 0,
): ScoredEntry[] {
  const recent = builtIndexOf(entries)?.recent ?? NO_CHANGES;
  if (recent.none) return searchIndexed(entries, rawQuery, limit, accept, budget, minScore);
  const stands = (e: CatalogEntry) => recent.stands(e) && accept(e);
  const found = searchIndexed(entries, rawQuery, limit, stands, budget, minScore);
  return withRecent(found, recent, rawQuery, limit, accept, budget, minScore);
}

/**
 * `found` (the index's ranking) with the entries changed since the index was built, each
 * scored as search() scores an entry: by substring, and (when few match so) loosely, with
 * typos among the recent entries' own words.
 */
function withRecent(
  found: ScoredEntry[],
  recent: RecentChanges,
  rawQuery: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean,
  budget: WorkBudget,
  minScore: number,
): ScoredEntry[] {
  const query = fuzzyQuery(rawQuery);
  const words = queryWords(query);
  if (words.length === 0 || limit <= 0) return found;
  const scored: ScoredEntry[] = [];
  const unmatched: CatalogEntry[] = [];
  for (const entry of recent.entries) {
    if (!budget.charge(COST.visit)) break;
    if (!accept(entry)) continue;
    if (!budget.charge(fieldsCost(words, entry))) break;
    const score = strictScore(words, query, entry);
    if (score > 0) scored.push({ entry, score });
    else unmatched.push(entry);
  }
  const loose =
    found.length + scored.length < LOOSE_BELOW &&
    bestLooseScore(words.length) >= minScore &&
    unmatched.length > 0 &&
    !budget.exhausted;
  if (loose) {
    const vocabulary = recent.words();
    const typos = words.map((word) => typosOf(word, vocabulary, budget, true));
    const masks = words.map(letterMask);
    for (const entry of unmatched) {
      if (!budget.charge(fieldsCost(words, entry) * 4)) break;
      const score = looseScore(words, masks, query, entry, typos);
      if (score > 0) scored.push({ entry, score });
    }
  }
  if (scored.length === 0) return found;
  const rank = (a: ScoredEntry, b: ScoredEntry) =>
    b.score - a.score || a.entry.name.length - b.entry.name.length || byId(a.entry, b.entry);
  return [...found, ...scored].sort(rank).slice(0, limit);
}

function searchIndexed(
  entries: readonly CatalogEntry[],
  rawQuery: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean,
  budget: WorkBudget,
  minScore: number,
): ScoredEntry[] {
  const query = fuzzyQuery(rawQuery);
  const words = queryWords(query);
  const first = words[0];
  if (first === undefined) {
    // The first `limit` acceptable entries: the check (the access policy) stops there.
    const shown: ScoredEntry[] = [];
    for (const entry of entries) {
      if (shown.length >= limit || !budget.charge(COST.visit)) break;
      if (accept(entry)) shown.push({ entry, score: 0 });
    }
    return shown;
  }
  if (limit <= 0) return [];
  const index = searchIndexOf(entries);
  const byPrefix = namePrefixRanking(index, entries, words, query, limit, accept, budget);
  if (byPrefix !== undefined) return byPrefix;
  // Marks per entry, zeroed, and lists of positions: borrowed from the index (see Scratch).
  const loan = index.scratch.lend();
  try {
    const ranking = new Ranking(limit);
    // Per entry: seen (it has the longest word, or was scored loosely), so scored at most once.
    const seen = loan.takeMarks();
    // Which entries have the longest word, and the next two, found in the corpus without
    // reading a single entry: only those are read now (the rest can only match loosely).
    const scan = Math.ceil(index.corpus.length / COST.scanCharsPerUnit);
    if (!budget.charge(scan)) return [];
    // Short words are in too many vocabulary words: the corpus is searched for them.
    const firstIn = first.length >= 3 ? index.containing(first) : undefined;
    let withFirst: Int32Array;
    let withFirstCount = 0;
    if (firstIn === undefined) {
      const into = loan.takePositions();
      index.forEachContaining(first, (at) => {
        seen[at] = 1;
        into[withFirstCount++] = at;
      });
      withFirst = into;
    } else {
      withFirst = firstIn;
      withFirstCount = firstIn.length;
      for (let i = 0; i < withFirstCount; i++) seen[firstIn[i]!] = 1;
    }
    // Worth it only when reading the entries with the longest word would cost more.
    const also = withFirstCount * COST.visit > scan ? words.slice(1, 1 + MARKED_WORDS) : [];
    // Bit k: the entry has also[k].
    const has = loan.takeMarks();
    const hasAll = (1 << also.length) - 1;
    // Bit k: also[k] was looked for only in the entries with every earlier word (see mayMatch).
    const onlyWithEarlier = markWords(index, withFirst, withFirstCount, also, has, scan, budget);
    if (onlyWithEarlier === undefined) return [];
    // Entries that have the longest word as a substring but miss another.
    const nearMisses = loan.takePositions();
    let nearMissCount = 0;
    for (let i = 0; i < withFirstCount; i++) {
      const at = withFirst[i]!;
      if (has[at] !== hasAll) {
        nearMisses[nearMissCount++] = at;
        continue;
      }
      const entry = entries[at]!;
      if (!budget.charge(COST.visit)) break;
      if (!accept(entry)) continue;
      if (!budget.charge(fieldsCost(words, entry))) break;
      const score = strictScore(words, query, entry);
      if (score > 0) ranking.add(at, entry, score);
      else nearMisses[nearMissCount++] = at;
    }
    if (ranking.count >= LOOSE_BELOW || budget.exhausted) return ranking.best;
    if (bestLooseScore(words.length) < minScore) return ranking.best;

    const vocabulary = index.words();
    const typos = words.map((word) => typosOf(word, vocabulary, budget));
    // Scoring a word loosely tries each of its typo matches on the entry's fields.
    const looseCost = typos.reduce((sum, t) => sum + t.words.length, 0) * 4 * COST.field;
    const masks = words.map(letterMask);
    // Typo words' entries, read in place in the vocabulary's postings (see WordEntries).
    const byWord = vocabulary.entriesByWord;
    /** Scores an entry already read loosely; false when the budget cannot pay for it. */
    const scoreLoosely = (at: number): boolean => {
      const entry = entries[at]!;
      if (!budget.charge(fieldsCost(words, entry) + looseCost)) return false;
      const score = looseScore(words, masks, query, entry, typos);
      if (score > 0) ranking.add(at, entry, score);
      return true;
    };
    /** Reads an entry and, if the command accepts it, scores it loosely; false when out of budget. */
    const tryLoosely = (at: number): boolean =>
      budget.charge(COST.visit) && (!accept(entries[at]!) || scoreLoosely(at));
    // A near miss lacks a marked word: it can still match loosely only where a typo of that
    // word reaches it, or (2-4 letters) its letters include the word's. Checked on the
    // vocabulary and the index, before reading the entry.
    const reachable = also.map((word, k) => {
      const reach = loan.takeMarks();
      const typoWords = typos[1 + k]!.words;
      const mark = (at: number) => {
        reach[at] = 1;
        return true;
      };
      for (let t = 0; t < typoWords.length; t++) {
        const typo = typoWords[t]!;
        if (!budget.charge(Math.ceil(byWord.countOf(typo) / COST.maskScansPerUnit))) {
          return () => false;
        }
        byWord.everyEntry(typo, mark);
      }
      const mask = masks[1 + k]!;
      return mayAbbreviate(word)
        ? (at: number) => reach[at] === 1 || (mask & index.letters[at]!) === mask
        : (at: number) => reach[at] === 1;
    });
    // Words that can match only as substrings (no typo reaches them and they abbreviate
    // nothing: numbers, single characters, words with no neighbour in the vocabulary): an
    // entry without one cannot match even loosely, so it is turned away before it is read,
    // by a look at its text in the corpus. Not the longest word: the near misses have it,
    // and the other entries are read for a typo of it or as its abbreviation. The marked
    // words first (a near miss without one is turned away by `reachable` already, so they
    // are looked for only in the other entries), then up to REQUIRED_WORDS more.
    const required: string[] = [];
    let unmarked = 0;
    for (let i = 1; i < words.length && unmarked < REQUIRED_WORDS; i++) {
      if (typos[i]!.words.length > 0 || mayAbbreviate(words[i]!)) continue;
      required.push(words[i]!);
      if (i > also.length) unmarked++;
    }
    const marked = required.length - unmarked;
    /** Paid by the length of the text read: an entry with long aliases reads longer. */
    const readText = (at: number, word: string): boolean =>
      budget.charge(COST.read + Math.ceil(index.textLength(at) / COST.scanCharsPerUnit)) &&
      index.hasText(at, word);
    /** Whether entry `at` has required[from...]; false too when the budget cannot pay. */
    const hasRequired = (at: number, from: number): boolean => {
      for (let k = from; k < required.length; k++) if (!readText(at, required[k]!)) return false;
      return true;
    };
    /** Whether near miss `at` has also[k]: looked for now if it was not then (see onlyWithEarlier). */
    const hasWord = (at: number, k: number) => {
      const bit = 1 << k;
      if ((has[at]! & bit) !== 0) return true;
      const lookedFor = (onlyWithEarlier & bit) === 0 || has[at] === bit - 1;
      return !lookedFor && readText(at, also[k]!);
    };
    const mayMatch = (at: number) => {
      // A loop, not also.every(): no closure made per near miss (there may be thousands).
      for (let k = 0; k < also.length; k++) {
        if (!hasWord(at, k) && !reachable[k]!(at)) return false;
      }
      return hasRequired(at, marked);
    };
    if (budget.exhausted) return ranking.best;
    for (let i = 0; i < nearMissCount; i++) {
      const at = nearMisses[i]!;
      if (mayMatch(at) ? !tryLoosely(at) : budget.exhausted) return ranking.best;
    }
    /** An entry without the longest word that may still match loosely, once. */
    const tryEntry = (at: number): boolean => {
      if (seen[at] !== 0) return true;
      seen[at] = 1;
      return hasRequired(at, 0) ? tryLoosely(at) : !budget.exhausted;
    };
    // Entries a typo of the longest word reaches...
    const firstTypos = typos[0]!.words;
    for (let t = 0; t < firstTypos.length; t++) {
      if (!byWord.everyEntry(firstTypos[t]!, tryEntry)) return ranking.best;
    }
    // ...and, for 2-4 letters, those whose letters include it: it may abbreviate them.
    if (mayAbbreviate(first)) {
      const mask = masks[0]!;
      if (!budget.charge(Math.ceil(index.size / COST.maskScansPerUnit))) return ranking.best;
      for (let at = 0; at < index.size; at++) {
        if ((mask & index.letters[at]!) === mask && !tryEntry(at)) break;
      }
    }
    return ranking.best;
  } finally {
    loan.release();
  }
}
