import { COST, FUZZY_CHARS, MAX_WORDS, WorkBudget } from './bounds.js';
import { FIELD_WEIGHTS, inFields, letterMask, type CatalogEntry } from './entry.js';
import { byId } from './id-order.js';
import { NO_CHANGES, type RecentChanges } from './recent-changes.js';
import { builtIndexOf, searchIndexOf, type SearchIndex } from './search-index.js';
import type { Vocabulary } from './vocabulary.js';
import { editDistance, fold } from './text.js';

export interface ScoredEntry {
  entry: CatalogEntry;
  score: number;
}

/** What scoring a read entry against `words` costs: each word against each field. */
function fieldsCost(words: readonly string[], e: CatalogEntry): number {
  return words.length * (4 + e.folded.aliases.length) * COST.field;
}

/** What the fuzzy passes read of a query: folded, at most FUZZY_CHARS characters. */
export function fuzzyQuery(raw: string): string {
  return fold(raw).slice(0, FUZZY_CHARS).trim();
}

/**
 * The words the fuzzy passes match: distinct (a repeated word matches what it matched
 * once), longest first (it rejects most entries soonest), at most MAX_WORDS of them.
 */
export function queryWords(query: string): string[] {
  return [...new Set(query.split(' '))]
    .filter((w) => w.length > 0)
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_WORDS);
}

/** How well one query word matches one folded field by substring (0 = not at all). */
function matchWord(word: string, field: string): number {
  if (field === '') return 0;
  if (field === word) return 100;
  if (field.startsWith(word)) return 90;
  const at = field.indexOf(word);
  if (at > 0 && field[at - 1] === ' ') return 80;
  if (at > 0) return 60;
  return 0;
}

function strictWordScore(word: string, e: CatalogEntry): number {
  const f = e.folded;
  let best = Math.max(
    matchWord(word, f.name) * FIELD_WEIGHTS.name,
    matchWord(word, f.objectId) * FIELD_WEIGHTS.objectId,
    matchWord(word, f.id) * FIELD_WEIGHTS.id,
    matchWord(word, f.area) * FIELD_WEIGHTS.area,
  );
  for (const alias of f.aliases)
    best = Math.max(best, matchWord(word, alias) * FIELD_WEIGHTS.aliases);
  return best;
}

/** Whether `word` is one of the space-separated words of `text`. */
function hasWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) {
    const end = i + word.length;
    if ((i === 0 || text[i - 1] === ' ') && (end === text.length || text[end] === ' ')) return true;
  }
  return false;
}

/** Whether a word of `text` starts with `ch`. */
function startsAWord(text: string, ch: string): boolean {
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) {
    if (i === 0 || text[i - 1] === ' ') return true;
  }
  return false;
}

/** The weight of the best field that has `word` as a whole word (0 when none has). */
function wordWeight(e: CatalogEntry, word: string): number {
  const f = e.folded;
  let best = hasWord(f.name, word) ? FIELD_WEIGHTS.name : 0;
  if (f.aliases.some((a) => hasWord(a, word))) best = Math.max(best, FIELD_WEIGHTS.aliases);
  if (hasWord(f.id, word)) best = Math.max(best, FIELD_WEIGHTS.id);
  if (hasWord(f.area, word)) best = Math.max(best, FIELD_WEIGHTS.area);
  return best;
}

export function bitCount(n: number): number {
  let count = 0;
  for (let v = n; v !== 0; v &= v - 1) count++;
  return count;
}

/**
 * Whether `a` is within `max` edits of the first `bLength` characters of `b` (the distance
 * of editDistance). One edit, the common case, is checked in one pass without allocating.
 */
function withinEdits(a: string, b: string, bLength: number, max: number): boolean {
  if (max !== 1) return editDistance(a, b.slice(0, bLength), max) <= max;
  const diff = a.length - bLength;
  if (diff > 1 || diff < -1) return false;
  let i = 0;
  while (i < a.length && i < bLength && a[i] === b[i]) i++;
  if (diff === 0) {
    if (i === a.length) return true;
    // One substitution at i, or i and i + 1 swapped.
    const swapped = a[i + 1] === b[i] && a[i] === b[i + 1];
    for (let k = swapped ? i + 2 : i + 1; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  }
  // One character inserted at i in the longer of the two.
  const [long, short, shortLength] = diff > 0 ? [a, b, bLength] : [b, a, a.length];
  for (let k = i; k < shortLength; k++) if (short[k] !== long[k + 1]) return false;
  return true;
}

/** The vocabulary words within a typo of one query word, and how good each match is. */
export interface Typos {
  words: string[];
  quality: number[];
  /** The best quality of each word, made on first use (see typoScoreByFields). */
  byWord?: Map<string, number>;
}

const NO_TYPOS: Typos = { words: [], quality: [] };

/**
 * The vocabulary words a typo of `word` reaches: one or two edits (by the word's length),
 * or a typo within the first letters of a longer word. One scan of the vocabulary's lengths
 * and letter masks (typed arrays), paid for before it starts; only words that pass those
 * are compared. A word the budget cannot pay for reaches nothing.
 */
export function typosOf(
  word: string,
  vocabulary: Vocabulary,
  budget: WorkBudget,
  /** Scan even for one edit (the tests compare the two ways). */
  scan = false,
): Typos {
  const size = vocabulary.words.length;
  if (word.length < 4 || !budget.charge(Math.ceil(size / COST.vocabularyWordsPerUnit)))
    return NO_TYPOS;
  const max = word.length >= 8 ? 2 : 1;
  if (max === 1 && !scan && vocabulary.alphabet.length <= MAX_ALPHABET) {
    return typosByNeighbours(word, vocabulary, budget);
  }
  const found: Typos = { words: [], quality: [] };
  const mask = letterMask(word);
  for (let i = 0; i < size; i++) {
    if (vocabulary.lengths[i]! + max < word.length) continue;
    // Each edit loses at most one of the word's letters: more missing cannot match.
    if (bitCount(mask & ~vocabulary.masks[i]!) > max) continue;
    if (!budget.charge(COST.field)) break;
    const candidate = vocabulary.words[i]!;
    let quality = 0;
    if (withinEdits(word, candidate, candidate.length, max)) quality = 40;
    else if (candidate.length > word.length && withinEdits(word, candidate, word.length, max)) {
      quality = 30;
    }
    if (quality === 0) continue;
    found.words.push(candidate);
    found.quality.push(quality);
  }
  return found;
}

/** Above this many distinct characters in the vocabulary, typos are found by a scan. */
const MAX_ALPHABET = 64;

/**
 * typosOf() for one edit, without a scan of the vocabulary: every text one edit away
 * (deleted, swapped, replaced or inserted characters of the vocabulary's alphabet) is looked
 * up, and the words starting with the word or one replaced or swapped character of it (a
 * typo within a longer word's first letters) are found in the sorted vocabulary. The same
 * words with the same quality as the scan; a few hundred lookups instead of a pass over
 * every word.
 */
function typosByNeighbours(word: string, vocabulary: Vocabulary, budget: WorkBudget): Typos {
  const { alphabet, entriesByWord, words, sorted } = vocabulary;
  const found: Typos = { words: [], quality: [] };
  const quality = new Map<string, number>();
  const L = word.length;
  const sameLength: string[] = [word];
  const near: string[] = [word];
  for (let i = 0; i < L; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i + 1);
    near.push(head + tail);
    if (i + 1 < L) sameLength.push(head + word[i + 1]! + word[i]! + word.slice(i + 2));
    for (let c = 0; c < alphabet.length; c++) {
      if (alphabet[c] !== word[i]) sameLength.push(head + alphabet[c]! + tail);
    }
  }
  for (let i = 0; i <= L; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    for (let c = 0; c < alphabet.length; c++) near.push(head + alphabet[c]! + tail);
  }
  for (const candidate of [...near, ...sameLength]) {
    if (quality.has(candidate) || !entriesByWord.has(candidate)) continue;
    if (withinEdits(word, candidate, candidate.length, 1)) quality.set(candidate, 40);
  }
  // Longer words whose first L characters are within one edit.
  const text = (k: number) => words[sorted[k]!]!;
  for (const prefix of new Set(sameLength)) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (text(mid) < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sorted.length && text(k).startsWith(prefix); k++) {
      const candidate = text(k);
      if (candidate.length <= L || quality.has(candidate)) continue;
      if (!budget.charge(COST.field)) break;
      if (withinEdits(word, candidate, L, 1)) quality.set(candidate, 30);
    }
  }
  for (const [w, q] of quality) {
    found.words.push(w);
    found.quality.push(q);
  }
  return found;
}

/**
 * How well a typo of a query word matches an entry: the best match's quality times the
 * weight of the field the entry has that word in (0 when it has none of them).
 */
function typoScore(typos: Typos, e: CatalogEntry): number {
  if (typos.words.length > FEW_TYPOS) return typoScoreByFields(typos, e);
  let best = 0;
  for (let i = 0; i < typos.words.length; i++) {
    const quality = typos.quality[i]!;
    if (quality <= best) continue;
    best = Math.max(best, quality * wordWeight(e, typos.words[i]!));
  }
  return best;
}

/** Beyond this many typo matches, an entry's words are looked up among them instead. */
const FEW_TYPOS = 8;

/**
 * typoScore() the other way round, for a word with many typo matches (a number has dozens):
 * each word of each field of the entry is looked up among the matches. The same best
 * quality times field weight.
 */
function typoScoreByFields(typos: Typos, e: CatalogEntry): number {
  let byWord = typos.byWord;
  if (byWord === undefined) {
    byWord = new Map();
    for (let i = 0; i < typos.words.length; i++) {
      const word = typos.words[i]!;
      byWord.set(word, Math.max(byWord.get(word) ?? 0, typos.quality[i]!));
    }
    typos.byWord = byWord;
  }
  const f = e.folded;
  let best = 0;
  const field = (text: string, weight: number) => {
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length && text.charCodeAt(i) !== SPACE) continue;
      if (i > start) {
        const quality = byWord.get(text.slice(start, i));
        if (quality !== undefined) best = Math.max(best, quality * weight);
      }
      start = i + 1;
    }
  };
  field(f.name, FIELD_WEIGHTS.name);
  for (const alias of f.aliases) field(alias, FIELD_WEIGHTS.aliases);
  field(f.id, FIELD_WEIGHTS.id);
  field(f.area, FIELD_WEIGHTS.area);
  return best;
}

const SPACE = 32;

/** Whether the letters of `word` appear in order in `a` followed by `b`. */
function inOrder(word: string, a: string, b: string): boolean {
  let i = 0;
  for (let j = 0; j < a.length && i < word.length; j++) if (a[j] === word[i]) i++;
  for (let j = 0; j < b.length && i < word.length; j++) if (b[j] === word[i]) i++;
  return i === word.length;
}

/**
 * Short letter runs like "kl" or "lvrm" stand for names when their letters appear in order
 * (in the name, then the id) and the first one starts a word; longer words are typed out,
 * so this is for 2-4 letters.
 */
function isAbbreviation(word: string, mask: number, e: CatalogEntry): boolean {
  if (word.length < 2 || word.length > 4 || (mask & e.letters) !== mask) return false;
  const first = word[0]!;
  // The initials mask is coarse for digits (two or three a bit), and empty for letters outside a-z
  // (Cyrillic, Greek, CJK): it can only reject; the text decides.
  const firstMask = letterMask(first);
  if (firstMask !== 0 && (firstMask & e.initials) === 0) return false;
  const f = e.folded;
  const starts =
    startsAWord(f.name, first) ||
    startsAWord(f.id, first) ||
    startsAWord(f.area, first) ||
    f.aliases.some((a) => startsAWord(a, first));
  return starts && inOrder(word, f.name, f.id);
}

/** Typos first, then abbreviations (the word's letters in order, e.g. "kl" for kitchen light). */
function looseWordScore(word: string, mask: number, e: CatalogEntry, typos: Typos): number {
  const best = typoScore(typos, e);
  if (best === 0 && isAbbreviation(word, mask, e)) return 15;
  return best;
}

function finish(total: number, words: readonly string[], query: string, e: CatalogEntry): number {
  const f = e.folded;
  if (query === f.name || query === f.objectId || f.aliases.includes(query)) total += 150;
  else if (f.name.startsWith(query)) total += 50;
  return total / words.length;
}

/** Scores an entry against a folded query by substring only: every word must match a field. */
function strictScore(words: readonly string[], query: string, e: CatalogEntry): number {
  for (const word of words) if (!inFields(e, word)) return 0;
  let total = 0;
  for (const word of words) {
    const s = strictWordScore(word, e);
    if (s === 0) return 0;
    total += s;
  }
  return finish(total, words, query, e);
}

/** Like strictScore, but a word may also match with a typo or as an abbreviation. */
function looseScore(
  words: readonly string[],
  masks: readonly number[],
  query: string,
  e: CatalogEntry,
  typos: readonly Typos[],
): number {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let s = inFields(e, word) ? strictWordScore(word, e) : 0;
    if (s === 0) s = looseWordScore(word, masks[i]!, e, typos[i]!);
    if (s === 0) return 0;
    total += s;
  }
  return finish(total, words, query, e);
}

// Typos and abbreviations are looked for only when exact words find almost nothing.
const LOOSE_BELOW = 5;
// Words besides the longest looked up in the corpus before entries are read.
const MARKED_WORDS = 2;

interface Ranked extends ScoredEntry {
  /** The entry's position in the catalog, which is sorted by id. */
  at: number;
}

/**
 * The best `limit` entries seen so far, in rank order. Kept while scanning, so a query that
 * matches thousands of entries neither allocates nor sorts them all.
 */
class Ranking {
  private readonly ranked: Ranked[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  get best(): ScoredEntry[] {
    return this.ranked.map(({ entry, score }) => ({ entry, score }));
  }

  add(at: number, entry: CatalogEntry, score: number): void {
    this.count++;
    const { ranked, limit } = this;
    const next = { at, entry, score };
    const worst = ranked[limit - 1];
    if (worst !== undefined && compareRank(next, worst) >= 0) return;
    let lo = 0;
    let hi = ranked.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRank(next, ranked[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    ranked.splice(lo, 0, next);
    if (ranked.length > limit) ranked.pop();
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
function namePrefixRanking(
  index: SearchIndex,
  entries: readonly CatalogEntry[],
  words: readonly string[],
  query: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean,
  budget: WorkBudget,
): ScoredEntry[] | undefined {
  if (words.length > 5 || limit > 100) return undefined;
  // The query as a name's start: every word is where it is in the query.
  const asName = `${query} `;
  const nameScores = words.map((w) => matchWord(w, asName));
  // A word inside another word scores 60: an area (0.7 of up to 100) could then beat it.
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
  const exact = new Set([...index.withObjectId(query), ...index.withAlias(query)]);
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

/**
 * Ranks entries for a free-text query: best score first, then the shorter (more specific)
 * name, then the id. Substring matches are found first; the slower typo-tolerant pass runs
 * only when they find almost nothing, which keeps a keystroke cheap.
 *
 * Every word must match, so only entries the longest word reaches are scored: as a
 * substring (found in the index's corpus, not entry by entry), through a typo (straight
 * from the vocabulary) or, for words of 2-4 letters, as an abbreviation (a scan of the
 * index's letter masks).
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
    (100 * (words.length - 1) + 40) / words.length >= minScore &&
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
  // Marks per entry, zeroed: borrowed from the index and given back zeroed (a query at
  // 100,000 entities would otherwise allocate several 100 KB arrays, and make garbage).
  const borrowed: Uint8Array[] = [];
  const take = () => {
    const marks = index.borrowMarks();
    borrowed.push(marks);
    return marks;
  };
  try {
    const ranking = new Ranking(limit);
    // Per entry: seen (it has the longest word, or was scored loosely), so scored at most once.
    const seen = take();
    // Which entries have the longest word, and the next two, found in the corpus without
    // reading a single entry: only those are read now (the rest can only match loosely).
    const scan = Math.ceil(index.corpus.length / COST.scanCharsPerUnit);
    const withFirst: number[] = [];
    if (!budget.charge(scan)) return [];
    // Short words are in too many vocabulary words: the corpus is searched for them.
    const firstIn = first.length >= 3 ? index.containing(first) : undefined;
    if (firstIn === undefined) {
      index.forEachContaining(first, (at) => {
        seen[at] = 1;
        withFirst.push(at);
      });
    } else {
      for (const at of firstIn) {
        seen[at] = 1;
        withFirst.push(at);
      }
    }
    // Worth it only when reading the entries with the longest word would cost more.
    const also = withFirst.length * COST.visit > scan ? words.slice(1, 1 + MARKED_WORDS) : [];
    // Bit k: the entry has also[k].
    const has = take();
    const hasAll = (1 << also.length) - 1;
    for (const [k, word] of also.entries()) {
      if (!budget.charge(scan + Math.ceil(index.size / COST.maskScansPerUnit))) return [];
      const wordIn = word.length >= 3 ? index.containing(word) : undefined;
      if (wordIn !== undefined) for (const at of wordIn) has[at] = has[at]! | (1 << k);
      else if (withFirst.length * 4 < index.size) {
        // Only the entries with the longest word need the mark: their haystacks are read.
        for (const at of withFirst) if (index.hasText(at, word)) has[at] = has[at]! | (1 << k);
      } else index.forEachContaining(word, (at) => void (has[at] = has[at]! | (1 << k)));
    }
    // Entries that have the longest word as a substring but miss another.
    const nearMisses: number[] = [];
    for (const at of withFirst) {
      if (has[at] !== hasAll) {
        nearMisses.push(at);
        continue;
      }
      const entry = entries[at]!;
      if (!budget.charge(COST.visit)) break;
      if (!accept(entry)) continue;
      if (!budget.charge(fieldsCost(words, entry))) break;
      const score = strictScore(words, query, entry);
      if (score > 0) ranking.add(at, entry, score);
      else nearMisses.push(at);
    }
    if (ranking.count >= LOOSE_BELOW || budget.exhausted) return ranking.best;
    // A loose match has at least one word at a typo's 40 or less, the rest at most 100, and
    // no bonus (the query is not the name, nor its start).
    if ((100 * (words.length - 1) + 40) / words.length < minScore) return ranking.best;

    const vocabulary = index.words();
    const typos = words.map((word) => typosOf(word, vocabulary, budget));
    // Scoring a word loosely tries each of its typo matches on the entry's fields.
    const looseCost = typos.reduce((sum, t) => sum + t.words.length, 0) * 4 * COST.field;
    const masks = words.map(letterMask);
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
      const reach = take();
      for (const typo of typos[1 + k]!.words) {
        const list = vocabulary.entriesByWord.get(typo)!;
        if (!budget.charge(Math.ceil(list.length / COST.maskScansPerUnit))) return () => false;
        for (const at of list) reach[at] = 1;
      }
      const mask = masks[1 + k]!;
      return word.length >= 2 && word.length <= 4
        ? (at: number) => reach[at] === 1 || (mask & index.letters[at]!) === mask
        : (at: number) => reach[at] === 1;
    });
    const mayMatch = (at: number) =>
      also.every((_, k) => (has[at]! & (1 << k)) !== 0 || reachable[k]!(at));
    if (budget.exhausted) return ranking.best;
    for (const at of nearMisses) if (mayMatch(at) && !tryLoosely(at)) return ranking.best;
    /** An entry without the longest word that may still match loosely, once. */
    const tryEntry = (at: number): boolean => {
      if (seen[at] !== 0) return true;
      seen[at] = 1;
      return tryLoosely(at);
    };
    // Entries a typo of the longest word reaches...
    for (const word of typos[0]!.words) {
      for (const at of vocabulary.entriesByWord.get(word)!) if (!tryEntry(at)) return ranking.best;
    }
    // ...and, for 2-4 letters, those whose letters include it: it may abbreviate them.
    if (first.length >= 2 && first.length <= 4) {
      const mask = masks[0]!;
      if (!budget.charge(Math.ceil(index.size / COST.maskScansPerUnit))) return ranking.best;
      for (let at = 0; at < index.size; at++) {
        if ((mask & index.letters[at]!) === mask && !tryEntry(at)) break;
      }
    }
    return ranking.best;
  } finally {
    for (const marks of borrowed) index.returnMarks(marks);
  }
}
