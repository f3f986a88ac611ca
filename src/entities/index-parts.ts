import type { CatalogEntry } from './entry.js';
import { haystackOf } from './fields.js';
import { fold } from './text.js';
import type { Vocabulary } from './vocabulary.js';

export interface IndexParts {
  corpus: string;
  bounds: Int32Array;
  letters: Int32Array;
  nameLengths: Int32Array;
  objectIdLengths: Int32Array;
  objectIds: string;
  objectIdStarts: Int32Array;
  byArea: Map<string, CatalogEntry[]>;
  byFloor: Map<string, CatalogEntry[]>;
  byLabel: Map<string, CatalogEntry[]>;
  byAlias: Map<string, CatalogEntry[]>;
  longest: number;
  vocabulary?: Vocabulary;
  shownNameLengths: Int32Array;
  domainOf: Uint16Array;
  domains: string[];
  plain: Uint8Array;
  wholeWords: Set<string>;
  objectIdOwners: Int32Array;
  nameOrder?: Int32Array;
}

/** Runs a build to its end at once. */
export function finish<T>(build: Generator<void, T>): T {
  for (;;) {
    const step = build.next();
    if (step.done === true) return step.value;
  }
}

/** The index's parts, pausing (yield) after every `slice` entries. */
export function* buildParts(
  entries: readonly CatalogEntry[],
  slice: number,
): Generator<void, IndexParts> {
  const n = entries.length;
  const bounds = new Int32Array(n + 1);
  const letters = new Int32Array(n);
  const nameLengths = new Int32Array(n);
  const objectIdLengths = new Int32Array(n);
  const objectIdStarts = new Int32Array(n);
  const byArea = new Map<string, CatalogEntry[]>();
  const byFloor = new Map<string, CatalogEntry[]>();
  const byLabel = new Map<string, CatalogEntry[]>();
  const byAlias = new Map<string, CatalogEntry[]>();
  // The corpus, joined a slice at a time (one join of 100,000 strings would be one long step).
  const chunks: string[] = [];
  let chunk: string[] = [];
  const ids: string[] = [];
  const owners: number[] = [];
  const shownNameLengths = new Int32Array(n);
  const domainOf = new Uint16Array(n);
  const plain = new Uint8Array(n);
  const domains: string[] = [];
  const domainAt = new Map<string, { at: number; folded: string }>();
  const wholeWords = new Set<string>();
  const whole = (text: string) => {
    if (text !== '' && !text.includes(' ')) wholeWords.add(text);
  };
  let at = 0;
  let idAt = 0;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % slice === 0) {
      chunks.push(chunk.join('\n'));
      chunk = [];
      yield;
    }
    const e = entries[i]!;
    bounds[i] = at;
    const haystack = haystackOf(e);
    chunk.push(haystack);
    at += 1 + haystack.length;
    letters[i] = e.letters;
    nameLengths[i] = e.foldedName.length;
    objectIdLengths[i] = e.foldedObjectId.length;
    longest = Math.max(longest, e.foldedName.length, e.foldedObjectId.length);
    shownNameLengths[i] = e.name.length;
    let domain = domainAt.get(e.domain);
    if (domain === undefined) {
      domain = { at: domains.length, folded: fold(e.domain) };
      domains.push(domain.folded);
      domainAt.set(e.domain, domain);
    }
    domainOf[i] = domain.at;
    const idTail = e.idTail;
    plain[i] =
      e.foldedObjectId === e.foldedName &&
      e.foldedAliases.length === 0 &&
      (idTail === ''
        ? e.idHead === `${domain.folded} ${e.foldedName}`
        : e.idHead === domain.folded && idTail === e.foldedName)
        ? 1
        : 0;
    whole(e.foldedName);
    whole(e.foldedObjectId);
    // An id of two parts has a space: never one word.
    if (idTail === '') whole(e.idHead);
    whole(e.foldedArea);
    for (const alias of e.foldedAliases) whole(alias);
    if (e.foldedObjectId === e.foldedName) objectIdStarts[i] = -1;
    else {
      owners.push(i);
      ids.push(e.foldedObjectId);
      objectIdStarts[i] = idAt + 1;
      idAt += 1 + e.foldedObjectId.length;
    }
    if (e.areaId !== undefined) add(byArea, e.areaId, e);
    if (e.floorId !== undefined) add(byFloor, e.floorId, e);
    for (const label of e.labelIds) add(byLabel, label, e);
    for (const alias of new Set(e.foldedAliases)) add(byAlias, alias, e);
  }
  bounds[n] = at;
  return {
    corpus: n === 0 ? '' : `\n${[...chunks, chunk.join('\n')].join('\n')}`,
    bounds,
    letters,
    nameLengths,
    objectIdLengths,
    objectIds: ids.length === 0 ? '' : `\n${ids.join('\n')}`,
    objectIdStarts,
    byArea,
    byFloor,
    byLabel,
    byAlias,
    longest,
    shownNameLengths,
    domainOf,
    domains,
    plain,
    wholeWords,
    objectIdOwners: Int32Array.from(owners),
  };
}

/** The positions of `entries` in the order of their folded names (ties by position). */
export function* sortByName(
  entries: readonly CatalogEntry[],
  slice: number,
): Generator<void, Int32Array> {
  const names = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    if (i % slice === 0) yield;
    names[i] = entries[i]!.foldedName;
  }
  yield;
  return yield* sortedOrder(names, slice);
}

/**
 * The positions of `keys` in the order of the keys (ties by position): sorted runs of `slice`
 * keys, then merged, pausing (yield) after about `slice` keys' work.
 */
export function* sortedOrder(keys: readonly string[], slice: number): Generator<void, Int32Array> {
  const n = keys.length;
  const compare = (a: number, b: number) =>
    keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const run = Math.min(n, Math.max(1, slice));
  for (let from = 0; from < n; from += run) {
    order.subarray(from, Math.min(n, from + run)).sort(compare);
    if (from + run < n) yield;
  }
  let into = new Int32Array(n);
  let work = 0;
  for (let width = run; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        into[k++] = compare(order[i]!, order[j]!) <= 0 ? order[i++]! : order[j++]!;
        // A pause within a long merge too (the last one merges all of them).
        if (++work >= slice) {
          work = 0;
          yield;
        }
      }
      while (i < mid) into[k++] = order[i++]!;
      while (j < hi) into[k++] = order[j++]!;
    }
    [order, into] = [into, order];
  }
  return order;
}

function add<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
