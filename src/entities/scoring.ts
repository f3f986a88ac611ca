import { COST, MAX_WORDS } from './bounds.js';
import type { CatalogEntry } from './entry.js';
import { FIELD_WEIGHTS, inFields } from './fields.js';
import { letterMask } from './letter-masks.js';
import { isNumberWord } from './text.js';
import { type Typos } from './typos.js';

const SPACE = 32;

/** How well one entry matches the query's words: strictly (substrings) or loosely (typos, abbreviations). */

/** What scoring a read entry against `words` costs: each word against each field. */
export function fieldsCost(words: readonly string[], e: CatalogEntry): number {
  return words.length * (4 + e.foldedAliases.length) * COST.field;
}

/**
 * How well one query word matches one folded field by substring, at its best place there:
 * the whole field 100, the field's start 90, a later word's start 80, inside a word 60, not
 * at all 0. "d" in "garden 1 door" is 80, by "door", though it is first inside "garden".
 * Only a field where the word is first inside a word is searched on, each search from past
 * the last place: together they read the field about once, as the first search did.
 */
export function matchWord(word: string, field: string): number {
  if (field === '') return 0;
  if (field === word) return 100;
  if (field.startsWith(word)) return 90;
  let at = field.indexOf(word, 1);
  if (at === -1) return 0;
  do {
    if (field.charCodeAt(at - 1) === SPACE) return 80;
    at = field.indexOf(word, at + 1);
  } while (at !== -1);
  return 60;
}

/**
 * matchWord(word, e.foldedId), read from the id's two held parts (no string made): a word has
 * no space, so it is in the id where it is in one of them. The head is the id's start; the
 * whole id is never the word itself (it has a space), and the tail follows a space, so its
 * start is a word's start within the id: a word inside a word of the head may still start
 * one of the tail ("d" in "media player den").
 */
export function matchIdWord(word: string, e: Pick<CatalogEntry, 'idHead' | 'idTail'>): number {
  const tail = e.idTail;
  if (tail === '') return matchWord(word, e.idHead);
  const inHead = matchWord(word, e.idHead);
  if (inHead >= 80) return Math.min(inHead, 90);
  const inTail = matchWord(word, tail);
  return inTail >= 80 ? 80 : Math.max(inHead, inTail);
}

function strictWordScore(word: string, e: CatalogEntry): number {
  let best = Math.max(
    matchWord(word, e.foldedName) * FIELD_WEIGHTS.name,
    matchWord(word, e.foldedObjectId) * FIELD_WEIGHTS.objectId,
    matchIdWord(word, e) * FIELD_WEIGHTS.id,
    matchWord(word, e.foldedArea) * FIELD_WEIGHTS.area,
  );
  // Indexed loops, here and below: no iterator or closure made per entry scored.
  const aliases = e.foldedAliases;
  for (let i = 0; i < aliases.length; i++)
    best = Math.max(best, matchWord(word, aliases[i]!) * FIELD_WEIGHTS.aliases);
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
  let best = hasWord(e.foldedName, word) ? FIELD_WEIGHTS.name : 0;
  const aliases = e.foldedAliases;
  for (let i = 0; i < aliases.length; i++) {
    if (hasWord(aliases[i]!, word)) {
      best = Math.max(best, FIELD_WEIGHTS.aliases);
      break;
    }
  }
  if (hasWord(e.idHead, word) || hasWord(e.idTail, word)) best = Math.max(best, FIELD_WEIGHTS.id);
  if (hasWord(e.foldedArea, word)) best = Math.max(best, FIELD_WEIGHTS.area);
  return best;
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
 * typoScore() the other way round, for a word with many typo matches (a number has dozens,
 * up to hundreds): each word of each field of the entry is looked up among the matches by a
 * hash of its characters, read in place, and compared in place (no string cut out of the
 * field: thousands of entries may be scored so on one keystroke). The same best quality
 * times field weight.
 */
function typoScoreByFields(typos: Typos, e: CatalogEntry): number {
  let byHash = typos.byHash;
  if (byHash === undefined) {
    byHash = new Map();
    for (let i = 0; i < typos.words.length; i++) {
      const word = typos.words[i]!;
      const key = hashOf(word, 0, word.length);
      const same = byHash.get(key);
      if (same === undefined) byHash.set(key, [i]);
      else same.push(i);
    }
    typos.byHash = byHash;
  }
  let best = inField(typos, byHash, e.foldedName, FIELD_WEIGHTS.name, 0);
  const aliases = e.foldedAliases;
  for (let i = 0; i < aliases.length; i++)
    best = inField(typos, byHash, aliases[i]!, FIELD_WEIGHTS.aliases, best);
  // The id's words are its head's and its tail's.
  best = inField(typos, byHash, e.idHead, FIELD_WEIGHTS.id, best);
  best = inField(typos, byHash, e.idTail, FIELD_WEIGHTS.id, best);
  return inField(typos, byHash, e.foldedArea, FIELD_WEIGHTS.area, best);
}

/** A hash of text[start, end): a small integer, so that it is no heap number. */
function hashOf(text: string, start: number, end: number): number {
  let hash = end - start;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) & 0x3fffffff;
  return hash;
}

/** `best`, or better: a word of `text` among the typo matches (their quality times `weight`). */
function inField(
  typos: Typos,
  byHash: ReadonlyMap<number, readonly number[]>,
  text: string,
  weight: number,
  best: number,
): number {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== SPACE) continue;
    const same = i > start ? byHash.get(hashOf(text, start, i)) : undefined;
    if (same !== undefined) {
      for (let k = 0; k < same.length; k++) {
        const t = same[k]!;
        const word = typos.words[t]!;
        if (word.length === i - start && text.startsWith(word, start)) {
          best = Math.max(best, typos.quality[t]! * weight);
        }
      }
    }
    start = i + 1;
  }
  return best;
}

/**
 * Whether the letters of `word` appear in order in `a` followed by `b` and `c` (the id's
 * head and tail: the space between them is no letter of a word).
 */
function inOrder(word: string, a: string, b: string, c: string): boolean {
  let i = 0;
  for (let j = 0; j < a.length && i < word.length; j++) if (a[j] === word[i]) i++;
  for (let j = 0; j < b.length && i < word.length; j++) if (b[j] === word[i]) i++;
  for (let j = 0; j < c.length && i < word.length; j++) if (c[j] === word[i]) i++;
  return i === word.length;
}

/**
 * Whether a query word may stand for a name as an abbreviation: 2-4 characters (longer words
 * are typed out), not a number ("212" means 212, not "2…1…2" spread over a name). Letters
 * with digits ("lr2") may.
 */
export function mayAbbreviate(word: string): boolean {
  return word.length >= 2 && word.length <= 4 && !isNumberWord(word);
}

/**
 * Short letter runs like "kl" or "lvrm" stand for names when their letters appear in order
 * (in the name, then the id) and the first one starts a word (see mayAbbreviate).
 */
function isAbbreviation(word: string, mask: number, e: CatalogEntry): boolean {
  if ((mask & e.letters) !== mask || !mayAbbreviate(word)) return false;
  const first = word[0]!;
  // The initials mask is coarse for digits (two or three a bit), and empty for letters outside a-z
  // (Cyrillic, Greek, CJK): it can only reject; the text decides.
  const firstMask = letterMask(first);
  if (firstMask !== 0 && (firstMask & e.initials) === 0) return false;
  const starts =
    startsAWord(e.foldedName, first) ||
    startsAWord(e.idHead, first) ||
    startsAWord(e.idTail, first) ||
    startsAWord(e.foldedArea, first) ||
    someStartsAWord(e.foldedAliases, first);
  return starts && inOrder(word, e.foldedName, e.idHead, e.idTail);
}

function someStartsAWord(texts: readonly string[], ch: string): boolean {
  for (let i = 0; i < texts.length; i++) if (startsAWord(texts[i]!, ch)) return true;
  return false;
}

/** Typos first, then abbreviations (the word's letters in order, e.g. "kl" for kitchen light). */
function looseWordScore(word: string, mask: number, e: CatalogEntry, typos: Typos): number {
  const best = typoScore(typos, e);
  if (best === 0 && isAbbreviation(word, mask, e)) return 15;
  return best;
}

function finish(total: number, words: readonly string[], query: string, e: CatalogEntry): number {
  if (query === e.foldedName || query === e.foldedObjectId || e.foldedAliases.includes(query))
    total += 150;
  else if (e.foldedName.startsWith(query)) total += 50;
  return total / words.length;
}

/** Scores an entry against a folded query by substring only: every word must match a field. */
export function strictScore(words: readonly string[], query: string, e: CatalogEntry): number {
  for (let i = 0; i < words.length; i++) if (!inFields(e, words[i]!)) return 0;
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    const s = strictWordScore(words[i]!, e);
    if (s === 0) return 0;
    total += s;
  }
  return finish(total, words, query, e);
}

/** Each word's score in looseScore(), reused: no array per entry scored. */
const wordScores = new Float64Array(MAX_WORDS);

/** Like strictScore, but a word may also match with a typo or as an abbreviation. */
export function looseScore(
  words: readonly string[],
  masks: readonly number[],
  query: string,
  e: CatalogEntry,
  typos: readonly Typos[],
): number {
  // Words without typo matches first: each is a substring or an abbreviation or nothing,
  // cheap to tell, and an entry failing one ("3" of "living room 3 door 212", for most
  // entries read loosely) is not scored on the words with typo matches. Summed in the
  // words' order, as when scored in that order.
  const scores = words.length <= wordScores.length ? wordScores : new Float64Array(words.length);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < words.length; i++) {
      if ((typos[i]!.words.length === 0) !== (pass === 0)) continue;
      const word = words[i]!;
      let s = inFields(e, word) ? strictWordScore(word, e) : 0;
      if (s === 0) s = looseWordScore(word, masks[i]!, e, typos[i]!);
      if (s === 0) return 0;
      scores[i] = s;
    }
  }
  let total = 0;
  for (let i = 0; i < words.length; i++) total += scores[i]!;
  return finish(total, words, query, e);
}
