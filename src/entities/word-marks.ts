import { COST, type WorkBudget } from './bounds.js';
import type { SearchIndex } from './search-index.js';

// A marked word after the first is looked for in the texts of the entries with every earlier
// word when they are fewer than one in this many entries.
const READ_BELOW = 32;

/**
 * The strict pass's marks (search.ts): for each entry with the longest word (the first
 * `withFirstCount` of `withFirst`), bit k of has[at] set when it has also[k], looked up in
 * the corpus or the vocabulary without reading the entries (`scan`: what a look at the whole
 * corpus costs). Returns the bits of the words looked for only in the entries with every
 * earlier word (an entry without an earlier one was not looked at for it); undefined when
 * the budget cannot pay.
 */
export function markWords(
  index: SearchIndex,
  withFirst: Int32Array,
  withFirstCount: number,
  also: readonly string[],
  has: Uint8Array,
  scan: number,
  budget: WorkBudget,
): number | undefined {
  let onlyWithEarlier = 0;
  for (let k = 0; k < also.length; k++) {
    const word = also[k]!;
    const bit = 1 << k;
    if (!budget.charge(scan + Math.ceil(index.size / COST.maskScansPerUnit))) return undefined;
    // Only the entries with the longest word and every earlier word can match strictly;
    // when they are few, their texts are read for this one (a number's entries, found in
    // the vocabulary, cost a scan of all of it: a quarter of a millisecond at 50,000).
    let rest = 0;
    if (k > 0) for (let i = 0; i < withFirstCount; i++) if (has[withFirst[i]!] === bit - 1) rest++;
    if (k > 0 && rest * READ_BELOW < index.size) {
      onlyWithEarlier |= bit;
      for (let i = 0; i < withFirstCount; i++) {
        const at = withFirst[i]!;
        if (has[at] === bit - 1 && index.hasText(at, word)) has[at] = has[at] | bit;
      }
      continue;
    }
    if (word.length >= 3 && index.markContaining(word, has, bit)) continue;
    if (withFirstCount * 4 < index.size) {
      // Only the entries with the longest word need the mark: their haystacks are read.
      for (let i = 0; i < withFirstCount; i++) {
        const at = withFirst[i]!;
        if (index.hasText(at, word)) has[at] = has[at]! | bit;
      }
    } else index.forEachContaining(word, (at) => void (has[at] = has[at]! | bit));
  }
  return onlyWithEarlier;
}
