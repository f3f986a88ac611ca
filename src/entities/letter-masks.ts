/** letterMask() of the first character of every word of `text` (no string made per character). */
export function initialsMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    if (i === 0 || text.charCodeAt(i - 1) === 32) mask |= charMask(text.charCodeAt(i));
  }
  return mask;
}

/** letterMask() of one character. */
function charMask(code: number): number {
  const letter = code - 97;
  if (letter >= 0 && letter < 26) return 1 << letter;
  if (code >= 48 && code <= 57) return 1 << (26 + ((code - 48) % 4));
  return 0;
}

/**
 * A bitmask of the characters in `text`: bit i for letter i (a-z), and bits 26-29 for the
 * digits (0, 4 and 8 share one; 1, 5 and 9; 2 and 6; 3 and 7). A word whose bits are not
 * all in a text cannot be spelled from it, which rejects most candidates before comparing
 * strings. Below 2^30, a mask is a small integer: an entry holding two costs no heap number.
 */
export function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    mask |= charMask(text.charCodeAt(i));
  }
  return mask;
}
