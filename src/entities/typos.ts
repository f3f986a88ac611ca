import type { WorkBudget } from './bounds.js';
import { COST } from './bounds.js';
import { letterMask } from './letter-masks.js';
import { isNumberWord, withinEdits } from './text.js';
import { wordAt, type Vocabulary } from './vocabulary.js';
import { typosByNeighbours } from './neighbours.js';

/** Typo matching: the vocabulary words within a few edits of a query word (its typo neighbours). */

/** The number of bits set in `n`. */
export function bitCount(n: number): number {
  let count = 0;
  for (let v = n; v !== 0; v &= v - 1) count++;
  return count;
}

/** The vocabulary words within a typo of one query word, and how good each match is. */
export interface Typos {
  words: string[];
  quality: number[];
  /** The positions in `words` of the words of each hash, made on first use (see typoScoreByFields). */
  byHash?: Map<number, number[]>;
}

const NO_TYPOS: Typos = { words: [], quality: [] };

/**
 * The vocabulary words a typo of `word` reaches: one or two edits (by the word's length),
 * or a typo within the first letters of a longer word. One scan of the vocabulary's lengths
 * and letter masks (typed arrays), paid for before it starts; only words that pass those
 * are compared. A word the budget cannot pay for reaches nothing, nor does a number (see
 * isNumberWord).
 */
export function typosOf(
  word: string,
  vocabulary: Vocabulary,
  budget: WorkBudget,
  /** Scan even for one edit (the tests compare the two ways). */
  scan = false,
): Typos {
  const size = vocabulary.size;
  if (
    word.length < 4 ||
    isNumberWord(word) ||
    !budget.charge(Math.ceil(size / COST.vocabularyWordsPerUnit))
  )
    return NO_TYPOS;
  const max = word.length >= 8 ? 2 : 1;
  if (max === 1 && !scan && vocabulary.alphabet.length <= MAX_ALPHABET) {
    return typosByNeighbours(word, vocabulary, budget);
  }
  const found: Typos = { words: [], quality: [] };
  const mask = letterMask(word);
  // Words read in place in the vocabulary's text: a string is made for a match only.
  const { text, starts, lengths, masks } = vocabulary;
  for (let i = 0; i < size; i++) {
    const length = lengths[i]!;
    if (length + max < word.length) continue;
    // Each edit loses at most one of the word's letters: more missing cannot match.
    if (bitCount(mask & ~masks[i]!) > max) continue;
    if (!budget.charge(COST.field)) break;
    const start = starts[i]!;
    let quality = 0;
    if (withinEdits(word, text, length, max, start)) quality = 40;
    else if (length > word.length && withinEdits(word, text, word.length, max, start)) {
      quality = 30;
    }
    if (quality === 0) continue;
    found.words.push(wordAt(vocabulary, i));
    found.quality.push(quality);
  }
  return found;
}

/** Above this many distinct characters in the vocabulary, typos are found by a scan. */
const MAX_ALPHABET = 64;
