import type { WorkBudget } from './bounds.js';
import { COST } from './bounds.js';
import { withinEdits } from './text.js';
import type { Typos } from './typos.js';
import { wordAt, type Vocabulary } from './vocabulary.js';

/**
 * One edit of a query word, read in place: the text it makes is compared with vocabulary
 * words character by character, never made. A keystroke looks up several hundred such texts
 * per word; made as strings they were most of a keystroke's garbage in a large home.
 */
class Edit {
  /** 0: the word itself; DELETE, SWAP, REPLACE or INSERT at `at` (with `code`). */
  kind = 0;
  at = 0;
  code = 0;
  length: number;

  constructor(private readonly word: string) {
    this.length = word.length;
  }

  set(kind: number, at: number, code: number): this {
    const L = this.word.length;
    this.kind = kind;
    this.at = at;
    this.code = code;
    this.length = kind === DELETE ? L - 1 : kind === INSERT ? L + 1 : L;
    return this;
  }

  /** The code unit at k (k < length). */
  codeAt(k: number): number {
    const { word, at } = this;
    switch (this.kind) {
      case DELETE:
        return word.charCodeAt(k < at ? k : k + 1);
      case SWAP:
        return word.charCodeAt(k === at ? at + 1 : k === at + 1 ? at : k);
      case REPLACE:
        return k === at ? this.code : word.charCodeAt(k);
      case INSERT:
        return k < at ? word.charCodeAt(k) : k === at ? this.code : word.charCodeAt(k - 1);
      default:
        return word.charCodeAt(k);
    }
  }

  /**
   * The `length` code units of `text` from `start` (a vocabulary word, in place) against the
   * edit's first `upTo` code units, as JavaScript compares strings (negative: the word sorts
   * first).
   */
  compare(text: string, start: number, length: number, upTo: number): number {
    const n = Math.min(length, upTo);
    for (let k = 0; k < n; k++) {
      const d = text.charCodeAt(start + k) - this.codeAt(k);
      if (d !== 0) return d;
    }
    return length - upTo;
  }

  /** Whether the word of `length` at `start` in `text` starts with the edit's first `upTo`. */
  startOf(text: string, start: number, length: number, upTo: number): boolean {
    if (length < upTo) return false;
    for (let k = 0; k < upTo; k++) if (text.charCodeAt(start + k) !== this.codeAt(k)) return false;
    return true;
  }
}

const DELETE = 1;
const SWAP = 2;
const REPLACE = 3;
const INSERT = 4;

/**
 * typosOf() for one edit, without a scan of the vocabulary: every text one edit away
 * (deleted, swapped, replaced or inserted characters of the vocabulary's alphabet) is looked
 * up, and the words starting with the word or one replaced or swapped character of it (a
 * typo within a longer word's first letters) are found in the sorted vocabulary. The same
 * words with the same quality as the scan; a few hundred lookups instead of a pass over
 * every word, each a binary search that reads the edit in place (see Edit).
 */
export function typosByNeighbours(word: string, vocabulary: Vocabulary, budget: WorkBudget): Typos {
  const { alphabet, text, starts, lengths, sorted } = vocabulary;
  // By word number (the words are read in place in `text`: see Vocabulary).
  const quality = new Map<number, number>();
  const L = word.length;
  const edit = new Edit(word);
  /** The sorted vocabulary's k-th word against the edit's first `upTo` code units. */
  const compare = (k: number, upTo: number) => {
    const w = sorted[k]!;
    return edit.compare(text, starts[w]!, lengths[w]!, upTo);
  };
  // from[p] to to[p] (exclusive): the sorted vocabulary's words that start with the word's
  // first p characters. An edit at i keeps the first i, so its lookups search only there:
  // a few words from the second character on, instead of the whole vocabulary (tens of
  // thousands at 50,000 entities) for each of several hundred edits.
  const from = new Int32Array(L + 1);
  const to = new Int32Array(L + 1);
  to[0] = sorted.length;
  for (let p = 1; p <= L; p++) {
    // In the block of the first p - 1 characters, words sort by their character p - 1 (the
    // one that has none, the prefix itself, first).
    const code = word.charCodeAt(p - 1);
    const charAt = (k: number) => {
      const w = sorted[k]!;
      return lengths[w]! >= p ? text.charCodeAt(starts[w]! + p - 1) : -1;
    };
    let lo = from[p - 1]!;
    let hi = to[p - 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (charAt(mid) < code) lo = mid + 1;
      else hi = mid;
    }
    from[p] = lo;
    hi = to[p - 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (charAt(mid) <= code) lo = mid + 1;
      else hi = mid;
    }
    to[p] = lo;
  }
  /**
   * The first position in the sorted vocabulary not before the edit's first `upTo` code
   * units: in the block of the characters the edit keeps (a word before it sorts before the
   * edit, a word after it after the edit).
   */
  const lowerBound = (upTo: number) => {
    const kept = edit.kind === 0 ? L : edit.at;
    let lo = from[kept]!;
    let hi = to[kept]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(mid, upTo) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** The vocabulary word the edit makes, if any, as quality 40 (when within one edit). */
  const lookUp = () => {
    const at = lowerBound(edit.length);
    if (at === sorted.length) return;
    const w = sorted[at]!;
    if (compare(at, edit.length) !== 0 || quality.has(w)) return;
    if (withinEdits(word, text, lengths[w]!, 1, starts[w])) quality.set(w, 40);
  };
  // In the order the strings were once listed: the word, deletions, insertions; then the
  // word, swaps and replacements (the order of the matches found).
  lookUp();
  for (let i = 0; i < L; i++) {
    edit.set(DELETE, i, 0);
    lookUp();
  }
  for (let i = 0; i <= L; i++) {
    for (let c = 0; c < alphabet.length; c++) {
      edit.set(INSERT, i, alphabet.charCodeAt(c));
      lookUp();
    }
  }
  /** Calls `visit` with each of the word and its swaps and replacements, in that order. */
  const sameLength = (visit: () => void) => {
    edit.set(0, 0, 0);
    visit();
    for (let i = 0; i < L; i++) {
      if (i + 1 < L) {
        edit.set(SWAP, i, 0);
        visit();
      }
      for (let c = 0; c < alphabet.length; c++) {
        const code = alphabet.charCodeAt(c);
        if (code === word.charCodeAt(i)) continue;
        edit.set(REPLACE, i, code);
        visit();
      }
    }
  };
  sameLength(lookUp);
  // Longer words whose first L characters are within one edit.
  sameLength(() => {
    // Swapping two equal characters gives the word again: its words are seen already.
    if (edit.kind === SWAP && word.charCodeAt(edit.at) === word.charCodeAt(edit.at + 1)) return;
    for (let k = lowerBound(L); k < sorted.length; k++) {
      const w = sorted[k]!;
      if (!edit.startOf(text, starts[w]!, lengths[w]!, L)) break;
      if (lengths[w]! <= L || quality.has(w)) continue;
      if (!budget.charge(COST.field)) break;
      if (withinEdits(word, text, L, 1, starts[w])) quality.set(w, 30);
    }
  });
  const found: Typos = { words: [], quality: [] };
  // forEach, not for-of: no [word, quality] pair made per match (a number has hundreds).
  quality.forEach((q, w) => {
    found.words.push(wordAt(vocabulary, w));
    found.quality.push(q);
  });
  return found;
}
