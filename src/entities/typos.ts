import type { WorkBudget } from './bounds.js';
import { COST } from './bounds.js';
import { letterMask } from './entry.js';
import { editDistance } from './text.js';
import type { Vocabulary } from './vocabulary.js';

/** Typo matching: the vocabulary words within a few edits of a query word (its typo neighbours). */

/** The number of bits set in `n`. */
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
