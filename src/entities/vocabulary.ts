import { letterMask } from './letter-masks.js';
import { sortedOrder } from './index-parts.js';
import type { Scratch } from './scratch.js';

/**
 * Every distinct word of every entry, with the entries (by position) that have it. The words
 * are held in `text` alone, read in place (see compareWord) and made as strings only when
 * asked (wordAt): a large home has a word per entity (its number, say), and an array of
 * them held about 30 bytes per entity on top of `text`.
 */
export interface Vocabulary {
  /** How many words. */
  size: number;
  lengths: Int32Array;
  masks: Int32Array;
  /** For each word, the entries that have it: a typo match reaches its entries directly. */
  entriesByWord: WordEntries;
  /** The words, each after a '\n', and where each starts. */
  text: string;
  starts: Int32Array;
  /** The words' positions in the order of the words (for prefixes). */
  sorted: Int32Array;
  /** Every character of every word, once each. */
  alphabet: string;
}

/**
 * The words of every entry as typo matching sees them (its name, id, area and aliases),
 * read off the corpus in one pass: words end at ' ', '|' and '\n', and a '\n' starts the
 * next entry.
 */
export function* buildVocabulary(corpus: string, slice: number): Generator<void, Vocabulary> {
  // Each word's number, and (word, entry) pairs in the order read: a map of lists would hold
  // an array per word, most of them (numbers, say) with one entry.
  const ids = new Map<string, number>();
  const last: number[] = [];
  let pairWords = new Int32Array(1024);
  let pairEntries = new Int32Array(1024);
  let pairs = 0;
  let entry = -1;
  let start = -1;
  for (let i = 0; i <= corpus.length; i++) {
    if (i > 0 && i % slice === 0) yield;
    const c = i < corpus.length ? corpus.charCodeAt(i) : NEWLINE;
    if (c !== NEWLINE && c !== BAR && c !== SPACE) {
      if (start === -1) start = i;
      continue;
    }
    if (start !== -1) {
      const word = corpus.slice(start, i);
      let id = ids.get(word);
      if (id === undefined) {
        id = ids.size;
        ids.set(word, id);
        last.push(-1);
      }
      if (last[id] !== entry) {
        last[id] = entry;
        if (pairs === pairWords.length) {
          pairWords = grown(pairWords);
          pairEntries = grown(pairEntries);
        }
        pairWords[pairs] = id;
        pairEntries[pairs++] = entry;
      }
      start = -1;
    }
    if (c === NEWLINE) entry++;
  }
  yield;
  const words = [...ids.keys()];
  ids.clear();
  // The pairs by word (a counting sort keeps each word's entries in catalog order).
  const offsets = new Int32Array(words.length + 1);
  for (let k = 0; k < pairs; k++) offsets[pairWords[k]! + 1]!++;
  for (let w = 0; w < words.length; w++) offsets[w + 1]! += offsets[w]!;
  yield;
  const postings = new Int32Array(pairs);
  const fill = offsets.slice(0, words.length);
  for (let k = 0; k < pairs; k++) postings[fill[pairWords[k]!]!++] = pairEntries[k]!;
  yield;
  const sorted = yield* sortedOrder(words, slice / 20);
  // The rest a few thousand words at a time.
  const step = Math.max(1, Math.floor(slice / 20));
  const seen = new Uint8Array(65536);
  let alphabet = '';
  const starts = new Int32Array(words.length);
  const lengths = new Int32Array(words.length);
  const masks = new Int32Array(words.length);
  const texts: string[] = [];
  let at = 0;
  for (let from = 0; from < words.length; from += step) {
    yield;
    const to = Math.min(words.length, from + step);
    for (let k = from; k < to; k++) {
      const word = words[k]!;
      starts[k] = at + 1;
      at += 1 + word.length;
      lengths[k] = word.length;
      masks[k] = letterMask(word);
      for (let i = 0; i < word.length; i++) {
        const code = word.charCodeAt(i);
        if (seen[code] === 0) {
          seen[code] = 1;
          alphabet += word[i]!;
        }
      }
    }
    texts.push(words.slice(from, to).join('\n'));
  }
  // Joined, not `\n${...}`: that makes a cons string, and every character the words are read
  // by in place (binary searches, typo checks) would go through it.
  const text = words.length === 0 ? '' : ['', ...texts].join('\n');
  return {
    size: words.length,
    text,
    starts,
    sorted,
    alphabet,
    lengths,
    masks,
    entriesByWord: new WordEntries(text, starts, lengths, sorted, postings, offsets),
  };
}

/** Word `k` of the vocabulary, as a string of its own. */
export function wordAt(vocabulary: Pick<Vocabulary, 'text' | 'starts' | 'lengths'>, k: number) {
  const start = vocabulary.starts[k]!;
  return vocabulary.text.slice(start, start + vocabulary.lengths[k]!);
}

/**
 * The `length` code units of `text` from `start` against `word`, as JavaScript compares
 * strings (negative: the text's sorts first), read in place.
 */
export function compareWord(text: string, start: number, length: number, word: string): number {
  const n = Math.min(length, word.length);
  for (let k = 0; k < n; k++) {
    const d = text.charCodeAt(start + k) - word.charCodeAt(k);
    if (d !== 0) return d;
  }
  return length - word.length;
}

/**
 * The positions of the entries (of `size`) whose haystack contains `word` (not empty; no
 * '\n', '|' or ' ' in it), ascending, once each. Found in the vocabulary (every distinct
 * word, in one string a tenth of the corpus or less), then through each word's entries: a
 * word is in a haystack exactly when it is in one of its words.
 */
export function entriesContaining(
  vocabulary: Vocabulary,
  word: string,
  size: number,
  scratch: Scratch,
): Int32Array {
  const lists: Int32Array[] = [];
  let total = 0;
  forEachWordContaining(vocabulary, word, (list) => {
    lists.push(list);
    total += list.length;
  });
  if (lists.length === 1) return lists[0]!;
  if (total < size / 8) {
    const all = new Int32Array(total);
    let k = 0;
    for (const list of lists) for (let i = 0; i < list.length; i++) all[k++] = list[i]!;
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
    return all.subarray(0, n);
  }
  // Marks borrowed (given back zeroed): not a 100 KB array per query at 100,000 entities.
  const marks = scratch.takeMarks();
  for (const list of lists) for (let i = 0; i < list.length; i++) marks[list[i]!] = 1;
  const all = new Int32Array(total);
  let n = 0;
  for (let at = 0; at < marks.length; at++) if (marks[at] === 1) all[n++] = at;
  scratch.giveMarks(marks);
  return all.subarray(0, n);
}

/**
 * Calls `visit` with the entries (ascending, read in place) of each vocabulary word that
 * contains `word` (not empty; no '\n', '|' or ' ' in it): an entry with several such words
 * comes in several lists.
 */
export function forEachWordContaining(
  vocabulary: Vocabulary,
  word: string,
  visit: (entries: Int32Array) => void,
): void {
  const { text, starts, entriesByWord } = vocabulary;
  for (let at = text.indexOf(word); at !== -1;) {
    // The word this occurrence is in (starts[k] is where word k begins, after its '\n').
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    visit(entriesByWord.of(lo));
    if (lo + 1 >= starts.length) break;
    at = text.indexOf(word, starts[lo + 1]);
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const more = new Int32Array(array.length * 2);
  more.set(array);
  return more;
}

/**
 * Each vocabulary word's entries, ascending, in one typed array: word k's are
 * postings[offsets[k]] to postings[offsets[k + 1]]. A word is found by binary search in the
 * sorted vocabulary. (A map of arrays held about 100 bytes per word; a large home has a
 * word per entity, its number.)
 */
export class WordEntries {
  constructor(
    /** The words, each after a '\n'; word k starts at starts[k] and has lengths[k] code units. */
    private readonly text: string,
    private readonly starts: Int32Array,
    private readonly lengths: Int32Array,
    private readonly sorted: Int32Array,
    /** Every word's entries, word after word (see the class comment). */
    private readonly postings: Int32Array,
    private readonly offsets: Int32Array,
  ) {}

  /** How many entries `word` has (0 when it is no word of the vocabulary). */
  countOf(word: string): number {
    const k = this.find(word);
    return k === -1 ? 0 : this.offsets[k + 1]! - this.offsets[k]!;
  }

  /**
   * Calls `visit` with each entry of `word`, read in place (a keystroke may look up hundreds
   * of typo words: no view is made); stops at the first `visit` that returns false, and
   * returns false then.
   */
  everyEntry(word: string, visit: (at: number) => boolean): boolean {
    const k = this.find(word);
    if (k === -1) return true;
    const { postings } = this;
    const to = this.offsets[k + 1]!;
    for (let i = this.offsets[k]!; i < to; i++) if (!visit(postings[i]!)) return false;
    return true;
  }

  /** The entries of word number `k`. */
  of(k: number): Int32Array {
    return this.postings.subarray(this.offsets[k], this.offsets[k + 1]);
  }

  /** The number of `word`, or -1 when it is no word of the vocabulary. */
  find(word: string): number {
    const { text, starts, lengths, sorted } = this;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = sorted[mid]!;
      if (compareWord(text, starts[k]!, lengths[k]!, word) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === sorted.length) return -1;
    const k = sorted[lo]!;
    return compareWord(text, starts[k]!, lengths[k]!, word) === 0 ? k : -1;
  }

  has(word: string): boolean {
    return this.find(word) !== -1;
  }

  /** The entries that have `word`, or undefined when none has. */
  get(word: string): Int32Array | undefined {
    const k = this.find(word);
    return k === -1 ? undefined : this.of(k);
  }
}

export const NEWLINE = 10;
const BAR = 124;
const SPACE = 32;
