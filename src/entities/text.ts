/**
 * Folds text the way a person compares names: case-, accent- and punctuation-insensitive.
 * "Küche_Light" and "kuche light" fold to the same string.
 */
export function fold(text: string): string {
  // Printable ASCII (most names and every entity id): NFKD changes nothing and the letters and digits
  // are a-z and 0-9 once lowercased; the same result at a fraction of the cost (start-up
  // folds every name and id: 100,000 entities in mind).
  if (PRINTABLE_ASCII.test(text))
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return foldAny(text);
}

const PRINTABLE_ASCII = /^[ -~]*$/;

const UNDERSCORE = 95;
const SPACE = 32;

/**
 * Whether fold(`text`) is `folded`, read in place for the usual object id (a-z, 0-9 and
 * '_'): most entities' object ids fold to their folded name, and start-up asks this of each
 * of them (100,000 entities in mind) without making the folded string. False when unsure
 * (any other character): the caller then folds.
 */
export function foldsTo(text: string, folded: string): boolean {
  let j = 0;
  let gap = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === UNDERSCORE) {
      gap = j > 0;
      continue;
    }
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
    if (gap) {
      if (folded.charCodeAt(j++) !== SPACE) return false;
      gap = false;
    }
    if (folded.charCodeAt(j++) !== c) return false;
  }
  return j === folded.length;
}

/**
 * Whether a folded word is a number (digits only, in any script): it names one device among
 * its neighbours ("door 212", "sensor 2120"), so it is matched as typed, never as an
 * abbreviation or with a typo (2121 is another device than 2120, not a misspelling of it).
 */
export function isNumberWord(word: string): boolean {
  return word !== '' && DIGITS.test(word);
}

const DIGITS = /^\p{Nd}+$/u;

/** fold() without its ASCII shortcut (exported for the test that they agree). */
export function foldAny(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), bounded by `max`:
 * anything farther comes back as `max + 1`. Only the band of cells within `max` of the
 * diagonal is computed, so the work is at most distanceCells(a.length, b.length, max).
 * `b` may be read in place: its `bLength` code units from `bStart`.
 */
export function editDistance(
  a: string,
  b: string,
  max = Number.POSITIVE_INFINITY,
  bStart = 0,
  bLength = b.length - bStart,
): number {
  if (Math.abs(a.length - bLength) > max) return max + 1;
  if (a === b && bStart === 0 && bLength === b.length) return 0;
  const n = bLength;
  // No distance exceeds the longer length: a larger bound is that.
  const cap = Math.min(max, Math.max(a.length, n));
  const far = cap + 1;
  let prevPrev = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let row = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j <= cap ? j : far;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - cap);
    const hi = Math.min(n, i + cap);
    // The cell left of the band: the first column, or out of reach.
    row[lo - 1] = lo === 1 ? Math.min(i, far) : far;
    let rowMin = row[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(bStart + j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(bStart + j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(bStart + j - 1)
      ) {
        v = Math.min(v, prevPrev[j - 2]! + 1);
      }
      if (v > far) v = far;
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // The cell right of the band, which the next row reads.
    if (hi < n) row[hi + 1] = far;
    if (rowMin > cap) return max + 1;
    const spare = prevPrev;
    prevPrev = prev;
    prev = row;
    row = spare;
  }
  const d = prev[n]!;
  return d > cap ? max + 1 : d;
}

/**
 * Whether `a` is within `max` edits of the `bLength` characters of `b` from `bStart` (the
 * distance of editDistance). One edit, the common case, is checked in one pass without
 * allocating (`b` may be a long text holding many words: see Vocabulary).
 */
export function withinEdits(
  a: string,
  b: string,
  bLength: number,
  max: number,
  bStart = 0,
): boolean {
  if (max !== 1) return editDistance(a, b, max, bStart, bLength) <= max;
  const diff = a.length - bLength;
  if (diff > 1 || diff < -1) return false;
  // b's characters are read at bStart + k (code units, compared as numbers).
  let i = 0;
  while (i < a.length && i < bLength && a.charCodeAt(i) === b.charCodeAt(bStart + i)) i++;
  if (diff === 0) {
    if (i === a.length) return true;
    // One substitution at i, or i and i + 1 swapped.
    const swapped =
      i + 1 < a.length &&
      a.charCodeAt(i + 1) === b.charCodeAt(bStart + i) &&
      a.charCodeAt(i) === b.charCodeAt(bStart + i + 1);
    for (let k = swapped ? i + 2 : i + 1; k < a.length; k++)
      if (a.charCodeAt(k) !== b.charCodeAt(bStart + k)) return false;
    return true;
  }
  // One character inserted at i in the longer of the two.
  if (diff > 0) {
    for (let k = i; k < bLength; k++)
      if (b.charCodeAt(bStart + k) !== a.charCodeAt(k + 1)) return false;
  } else {
    for (let k = i; k < a.length; k++)
      if (a.charCodeAt(k) !== b.charCodeAt(bStart + k + 1)) return false;
  }
  return true;
}

/** The most table cells editDistance(a, b, max) computes for strings of these lengths. */
export function distanceCells(aLength: number, bLength: number, max: number): number {
  return aLength * Math.min(bLength, 2 * Math.min(max, Math.max(aLength, bLength)) + 1);
}

/** Cuts to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  let out = '';
  for (const ch of chars) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}
