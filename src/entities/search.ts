import { FIELD_WEIGHTS, letterMask, type CatalogEntry } from './catalog.js';
import { editDistance, fold } from './text.js';

export interface ScoredEntry {
  entry: CatalogEntry;
  score: number;
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

/** The words of an entry, as typo matching sees them: its name, aliases, id and area. */
function wordsOf(e: CatalogEntry): Set<string> {
  const words = new Set<string>();
  const f = e.folded;
  for (const text of [f.name, ...f.aliases, f.id, f.area]) {
    for (const word of text.split(' ')) if (word !== '') words.add(word);
  }
  return words;
}

interface Vocabulary {
  words: string[];
  masks: number[];
  /** For each word, the entries that have it: a typo match reaches its entries directly. */
  entriesByWord: Map<string, CatalogEntry[]>;
}

const vocabularies = new WeakMap<readonly CatalogEntry[], Vocabulary>();

/** Every distinct word of every entry, computed once per catalog rebuild. */
function vocabularyOf(entries: readonly CatalogEntry[]): Vocabulary {
  let vocabulary = vocabularies.get(entries);
  if (vocabulary === undefined) {
    const entriesByWord = new Map<string, CatalogEntry[]>();
    for (const e of entries) {
      for (const word of wordsOf(e)) {
        const list = entriesByWord.get(word);
        if (list === undefined) entriesByWord.set(word, [e]);
        else list.push(e);
      }
    }
    const words = [...entriesByWord.keys()];
    vocabulary = { words, masks: words.map(letterMask), entriesByWord };
    vocabularies.set(entries, vocabulary);
  }
  return vocabulary;
}

function bitCount(n: number): number {
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

/** For each query word, the entries a typo of it reaches and the best score there. */
type TypoTable = Map<string, Map<CatalogEntry, number>>;

/**
 * Typo matching runs once per distinct word, not once per entity: one or two edits (by
 * the word's length), or a typo within the first letters of a longer word. A match scores
 * by its quality times the weight of the field the entry has the word in.
 */
function typoTable(words: readonly string[], vocabulary: Vocabulary): TypoTable {
  const table: TypoTable = new Map();
  for (const word of words) {
    const scores = new Map<CatalogEntry, number>();
    if (word.length >= 4) {
      const max = word.length >= 8 ? 2 : 1;
      const mask = letterMask(word);
      for (let i = 0; i < vocabulary.words.length; i++) {
        const candidate = vocabulary.words[i]!;
        if (candidate.length + max < word.length) continue;
        // Each edit loses at most one of the word's letters: more missing cannot match.
        if (bitCount(mask & ~vocabulary.masks[i]!) > max) continue;
        let quality = 0;
        if (withinEdits(word, candidate, candidate.length, max)) quality = 40;
        else if (candidate.length > word.length && withinEdits(word, candidate, word.length, max)) {
          quality = 30;
        }
        if (quality === 0) continue;
        for (const e of vocabulary.entriesByWord.get(candidate)!) {
          const score = quality * wordWeight(e, candidate);
          if (score > (scores.get(e) ?? 0)) scores.set(e, score);
        }
      }
    }
    table.set(word, scores);
  }
  return table;
}

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
  // The initials mask is coarse for digits (two a bit), and empty for letters outside a-z
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
function looseWordScore(word: string, mask: number, e: CatalogEntry, typos: TypoTable): number {
  const best = typos.get(word)?.get(e) ?? 0;
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
  for (const word of words) if (!e.haystack.includes(word)) return 0;
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
  typos: TypoTable,
): number {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let s = e.haystack.includes(word) ? strictWordScore(word, e) : 0;
    if (s === 0) s = looseWordScore(word, masks[i]!, e, typos);
    if (s === 0) return 0;
    total += s;
  }
  return finish(total, words, query, e);
}

// Typos and abbreviations are looked for only when exact words find almost nothing.
const LOOSE_BELOW = 5;

/**
 * The best `limit` entries seen so far, in rank order. Kept while scanning, so a query that
 * matches thousands of entries neither allocates nor sorts them all.
 */
class Ranking {
  readonly best: ScoredEntry[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  add(entry: CatalogEntry, score: number): void {
    this.count++;
    const { best, limit } = this;
    const worst = best[limit - 1];
    if (worst !== undefined && compareRank(score, entry, worst) >= 0) return;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRank(score, entry, best[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, { entry, score });
    if (best.length > limit) best.pop();
  }
}

/** Best score first, then the shorter (more specific) name, then the id. */
function compareRank(score: number, entry: CatalogEntry, other: ScoredEntry): number {
  return (
    other.score - score ||
    entry.name.length - other.entry.name.length ||
    entry.entityId.localeCompare(other.entry.entityId)
  );
}

/**
 * Ranks entries for a free-text query: best score first, then the shorter (more specific)
 * name, then the id. Substring matches are found first; the slower typo-tolerant pass runs
 * only when they find almost nothing, which keeps a keystroke cheap at 10,000 entities.
 *
 * Every word must match, so the loose pass only scores entries its longest word can reach:
 * as a substring (noted during the strict pass), through a typo (straight from the
 * vocabulary) or, for words of 2-4 letters, as an abbreviation (a scan on letter masks).
 */
export function search(
  entries: readonly CatalogEntry[],
  rawQuery: string,
  limit: number,
  accept: (e: CatalogEntry) => boolean = () => true,
): ScoredEntry[] {
  const query = fold(rawQuery);
  // Longest word first: it rejects most entries soonest.
  const words = query
    .split(' ')
    .filter((w) => w.length > 0)
    .sort((a, b) => b.length - a.length);
  const first = words[0];
  if (first === undefined) {
    // The first `limit` acceptable entries: the check (the access policy) stops there.
    const shown: ScoredEntry[] = [];
    for (const entry of entries) {
      if (shown.length >= limit) break;
      if (accept(entry)) shown.push({ entry, score: 0 });
    }
    return shown;
  }
  if (limit <= 0) return [];
  const ranking = new Ranking(limit);
  // Entries that have the longest word as a substring but missed on another word.
  const nearMisses: CatalogEntry[] = [];
  for (const entry of entries) {
    if (!entry.haystack.includes(first) || !accept(entry)) continue;
    const score = strictScore(words, query, entry);
    if (score > 0) ranking.add(entry, score);
    else nearMisses.push(entry);
  }
  if (ranking.count >= LOOSE_BELOW) return ranking.best;

  const vocabulary = vocabularyOf(entries);
  const typos = typoTable(words, vocabulary);
  const masks = words.map(letterMask);
  const viaTypo = typos.get(first)!;
  const scoreLoosely = (entry: CatalogEntry) => {
    const score = looseScore(words, masks, query, entry, typos);
    if (score > 0) ranking.add(entry, score);
  };
  for (const entry of nearMisses) scoreLoosely(entry);
  if (first.length >= 2 && first.length <= 4) {
    // Any entry whose letters include the word's may abbreviate it.
    const mask = masks[0]!;
    for (const entry of entries) {
      if (entry.haystack.includes(first)) continue; // scored above
      if ((viaTypo.has(entry) || (mask & entry.letters) === mask) && accept(entry))
        scoreLoosely(entry);
    }
  } else {
    for (const entry of viaTypo.keys()) {
      if (!entry.haystack.includes(first) && accept(entry)) scoreLoosely(entry);
    }
  }
  return ranking.best;
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
