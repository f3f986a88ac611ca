import type { CatalogEntry } from './catalog.js';
import { byId, compareIds, haystackOf, letterMask } from './catalog.js';
import type { EntityGroup } from './groups.js';
import { fold } from './text.js';

/** Every distinct word of every entry, with the entries (by position) that have it. */
export interface Vocabulary {
  words: string[];
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
 * What changed since an index was built, while the next one is built in slices (see
 * EntityCatalog.searchable()): searched alongside the index, entry by entry, so an entity
 * added, removed or renamed is found (or not) at once. Bounded by the catalog (a few hundred
 * at most).
 */
export class RecentChanges {
  /** The vocabulary of `entries` (their typos), built on first use. */
  private vocabulary: Vocabulary | undefined;

  constructor(
    /** The entries added or made again since, as they are now, in catalog order. */
    readonly entries: readonly CatalogEntry[],
    /** The ids of the index's entries that were removed or made again since: not to be found. */
    readonly gone: ReadonlySet<string>,
  ) {}

  get none(): boolean {
    return this.entries.length === 0 && this.gone.size === 0;
  }

  /** Whether the index's entry `e` still stands. */
  stands(e: CatalogEntry): boolean {
    return !this.gone.has(e.entityId);
  }

  /**
   * `found` (entries of the index, in catalog order) as it is now: without those changed
   * since, with the recent entries that `has`, in catalog order. One pass over `found`.
   */
  now(found: readonly CatalogEntry[], has: (e: CatalogEntry) => boolean): CatalogEntry[] {
    const list = found.filter((e) => this.stands(e));
    for (const e of this.entries) {
      if (!has(e)) continue;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byId(list[mid]!, e) <= 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, e);
    }
    return list;
  }

  /** Every distinct word of the recent entries (for typos of their words). */
  words(): Vocabulary {
    if (this.vocabulary === undefined) {
      const corpus = this.entries.map((e) => `\n${haystackOf(e)}`).join('');
      this.vocabulary = finish(buildVocabulary(corpus, Infinity));
    }
    return this.vocabulary;
  }
}

export const NO_CHANGES = new RecentChanges([], new Set());

/**
 * The entries laid out for searching without visiting each one. In a home of 100,000
 * entities a pass that reads a field of every entry costs 15-20 ms in memory latency alone
 * (the entries are scattered over the heap), however little it computes; the same pass
 * over one string or one typed array costs well under a millisecond. So:
 *
 * - `corpus`: every entry's haystack (its folded name, id, area and aliases joined by '|'),
 *   each after a '\n', in catalog order: one `indexOf` finds the entries containing a word,
 *   and an anchored pattern ('\n' + name + '|') finds an exact name.
 * - per entry, in typed arrays: the letter mask and the lengths of the folded name and
 *   object id, for the filters of the abbreviation and "did you mean" passes.
 * - the entries of each area, floor and label, and (built on first use) the vocabulary for
 *   typo matching.
 *
 * Built once per catalog rebuild, like the catalog itself.
 */
export class SearchIndex {
  readonly corpus: string;
  /** bounds[i]: the position of the '\n' before entry i; bounds[n]: the corpus length. */
  private readonly bounds: Int32Array;
  readonly letters: Int32Array;
  readonly nameLengths: Int32Array;
  readonly objectIdLengths: Int32Array;
  /**
   * Every folded object id that differs from its entry's folded name, each after a '\n'
   * (most are the same, e.g. "kitchen light" for light.kitchen_light named Kitchen Light),
   * and where each starts (-1: the same as the name).
   */
  private readonly objectIds: string;
  private readonly objectIdStarts: Int32Array;
  private readonly byArea: Map<string, CatalogEntry[]>;
  private readonly byFloor: Map<string, CatalogEntry[]>;
  private readonly byLabel: Map<string, CatalogEntry[]>;
  /** Few entities have aliases: a map of them beats a scan. */
  private readonly byAlias: Map<string, CatalogEntry[]>;
  private vocabulary: Vocabulary | undefined;
  /** The longest folded name or object id. */
  private readonly longest: number;
  /** Per entry: the length of its name as shown (what ranking compares), not folded. */
  readonly shownNameLengths: Int32Array;
  /** Per entry: its domain's position in `domains` (see prefix-search.ts). */
  readonly domainOf: Uint16Array;
  /** Every folded domain. */
  readonly domains: readonly string[];
  /**
   * Per entry, 1 when its folded object id is its folded name, its folded id is its folded
   * domain and name, and it has no aliases: how well a word matches it then follows from its
   * name and domain (and area, which weighs less than any word of the name).
   */
  readonly plain: Uint8Array;
  /** Folded names, object ids, areas and aliases of one word: what a query word can equal. */
  readonly wholeWords: ReadonlySet<string>;
  /** The entries whose object id is in `objectIds`, in its order. */
  private readonly objectIdOwners: Int32Array;
  /** The entries in the order of their folded names (for prefixes); built on first use. */
  private nameOrder: Int32Array | undefined;
  /**
   * What changed in the catalog since this index's list, set by the catalog while it builds
   * the next index: searches leave out `gone` entries and look at `entries` one by one.
   */
  recent: RecentChanges = NO_CHANGES;

  /** Built at once; see indexInSlices() for a build spread over several turns of the event loop. */
  constructor(
    readonly entries: readonly CatalogEntry[],
    parts: IndexParts = finish(buildParts(entries, Infinity)),
  ) {
    this.corpus = parts.corpus;
    this.bounds = parts.bounds;
    this.letters = parts.letters;
    this.nameLengths = parts.nameLengths;
    this.objectIdLengths = parts.objectIdLengths;
    this.objectIdStarts = parts.objectIdStarts;
    this.objectIds = parts.objectIds;
    this.byArea = parts.byArea;
    this.byFloor = parts.byFloor;
    this.byLabel = parts.byLabel;
    this.byAlias = parts.byAlias;
    this.longest = parts.longest;
    this.vocabulary = parts.vocabulary;
    this.shownNameLengths = parts.shownNameLengths;
    this.domainOf = parts.domainOf;
    this.domains = parts.domains;
    this.plain = parts.plain;
    this.wholeWords = parts.wholeWords;
    this.objectIdOwners = parts.objectIdOwners;
    this.nameOrder = parts.nameOrder;
  }

  /**
   * The positions in `byName()` of the entries whose folded name starts with `prefix`: from
   * `start` (inclusive) to `end` (exclusive). Two binary searches.
   */
  namesStartingWith(prefix: string): { order: Int32Array; start: number; end: number } {
    const order = this.byName();
    const names = (i: number) => this.entries[order[i]!]!.folded.name;
    const lowerBound = (text: string) => {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (names(mid) < text) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return { order, start: lowerBound(prefix), end: lowerBound(`${prefix}\uffff`) };
  }

  /** The entries in the order of their folded names (ties by position). */
  byName(): Int32Array {
    if (this.nameOrder === undefined) this.nameOrder = finish(sortByName(this.entries, Infinity));
    return this.nameOrder;
  }

  /** The positions of the entries with the folded alias `folded`. */
  withAlias(folded: string): number[] {
    return (this.byAlias.get(folded) ?? []).map((e) => this.positionOf(e));
  }

  /** An entry's position (the list is sorted by entity id). */
  positionOf(entry: CatalogEntry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.entries[mid]!.entityId, entry.entityId) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The entries whose folded object id, where it differs from their folded name, is `folded`. */
  withObjectId(folded: string): number[] {
    const found: number[] = [];
    const text = this.objectIds;
    const pattern = `\n${folded}`;
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
      const end = at + pattern.length;
      if (end !== text.length && text.charCodeAt(end) !== NEWLINE) continue;
      // The owner: the k-th object id starts after the k-th '\n'.
      let lo = 0;
      let hi = this.objectIdOwners.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.objectIdStarts[this.objectIdOwners[mid]!]! <= at + 1) lo = mid;
        else hi = mid - 1;
      }
      found.push(this.objectIdOwners[lo]!);
    }
    return found;
  }

  /**
   * Where entry i's folded name lies in the corpus (text, start, end): a name is read from
   * there, in one string, rather than from the entry somewhere on the heap.
   */
  name(i: number): [string, number, number] {
    const start = this.bounds[i]! + 1;
    return [this.corpus, start, start + this.nameLengths[i]!];
  }

  private readonly spareMarks: Uint8Array[] = [];

  /** A zeroed array of a byte per entry, to give back zeroed with returnMarks(). */
  borrowMarks(): Uint8Array {
    return this.spareMarks.pop() ?? new Uint8Array(this.size);
  }

  returnMarks(marks: Uint8Array): void {
    // A few kept: a query takes at most four.
    if (this.spareMarks.length >= 4) return;
    marks.fill(0);
    this.spareMarks.push(marks);
  }

  /** Whether entry i's haystack contains `text`. */
  hasText(i: number, text: string): boolean {
    return this.corpus.slice(this.bounds[i]! + 1, this.bounds[i + 1]).includes(text);
  }

  /** Where entry i's folded object id lies, or undefined when it is the same as its name. */
  objectId(i: number): [string, number, number] | undefined {
    const start = this.objectIdStarts[i]!;
    if (start === -1) return undefined;
    return [this.objectIds, start, start + this.objectIdLengths[i]!];
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The entries whose folded object id, name or an alias is exactly `folded`, in catalog
   * order. Names and object ids are found in the corpus by anchored patterns (a name is a
   * haystack's first field, an object id ends the id field after the domain), then checked
   * on the entry; aliases come from a map.
   */
  exact(folded: string): { objectId: CatalogEntry[]; name: CatalogEntry[]; alias: CatalogEntry[] } {
    const found = this.exactIndexed(folded);
    const { recent } = this;
    if (recent.none) return found;
    return {
      objectId: recent.now(found.objectId, (e) => e.folded.objectId === folded),
      name: recent.now(found.name, (e) => e.folded.name === folded),
      alias: recent.now(found.alias, (e) => e.folded.aliases.includes(folded)),
    };
  }

  private exactIndexed(folded: string): {
    objectId: CatalogEntry[];
    name: CatalogEntry[];
    alias: CatalogEntry[];
  } {
    const alias = this.byAlias.get(folded) ?? [];
    // Longer than every name and id: nothing to look for.
    if (folded.length > this.longest || folded === '') return { objectId: [], name: [], alias };
    // Equal names come first among those starting with it, in catalog order.
    const { order, start, end } = this.namesStartingWith(folded);
    const named: number[] = [];
    for (let i = start; i < end && this.nameLengths[order[i]!] === folded.length; i++) {
      named.push(order[i]!);
    }
    const ids = [
      ...named.filter((at) => this.objectIdStarts[at] === -1),
      ...this.withObjectId(folded),
    ].sort((a, b) => a - b);
    return {
      objectId: ids.map((at) => this.entries[at]!),
      name: named.map((at) => this.entries[at]!),
      alias,
    };
  }

  /**
   * The positions of the entries whose haystack contains `word` (no '\n', '|' or ' ' in it),
   * ascending, once each; undefined until the vocabulary is built. Found in the vocabulary
   * (every distinct word, in one string a tenth of the corpus or less), then through each
   * word's entries: a word is in a haystack exactly when it is in one of its words.
   */
  containing(word: string): Int32Array | undefined {
    const vocabulary = this.vocabulary;
    if (vocabulary === undefined || word === '') return undefined;
    const { text, starts, entriesByWord } = vocabulary;
    const lists: Int32Array[] = [];
    let total = 0;
    for (let at = text.indexOf(word); at !== -1;) {
      // The word this occurrence is in (starts[k] is where word k begins, after its '\n').
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      const list = entriesByWord.of(lo);
      lists.push(list);
      total += list.length;
      if (lo + 1 >= starts.length) break;
      at = text.indexOf(word, starts[lo + 1]);
    }
    if (lists.length === 1) return lists[0]!;
    if (total < this.size / 8) {
      const all = new Int32Array(total);
      let k = 0;
      for (const list of lists) for (const at of list) all[k++] = at;
      all.sort();
      let n = 0;
      for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
      return all.subarray(0, n);
    }
    const marks = new Uint8Array(this.size);
    for (const list of lists) for (const at of list) marks[at] = 1;
    const all = new Int32Array(total);
    let n = 0;
    for (let at = 0; at < marks.length; at++) if (marks[at] === 1) all[n++] = at;
    return all.subarray(0, n);
  }

  /** The entries in an area, in catalog order. */
  inArea(areaId: string): readonly CatalogEntry[] {
    return this.byArea.get(areaId) ?? [];
  }

  /** The entries an area, floor or label stands for (as HA expands its target), in catalog order. */
  inGroup(group: Pick<EntityGroup, 'type' | 'id'>): readonly CatalogEntry[] {
    const map =
      group.type === 'area' ? this.byArea : group.type === 'floor' ? this.byFloor : this.byLabel;
    const members = map.get(group.id) ?? [];
    const { recent } = this;
    if (recent.none) return members;
    const inIt = (e: CatalogEntry) =>
      group.type === 'area'
        ? e.areaId === group.id
        : group.type === 'floor'
          ? e.floorId === group.id
          : e.labelIds.includes(group.id);
    return recent.now(members, inIt);
  }

  /**
   * Calls `visit` with the position of each entry whose haystack contains `text` (which may
   * start with '\n' to anchor it at the start of the haystack), in catalog order, once per
   * entry; stops when `visit` returns false. `text` must not contain '\n' elsewhere.
   */
  forEachContaining(text: string, visit: (i: number) => boolean | void): void {
    if (text === '') return;
    const { corpus, bounds } = this;
    let i = 0;
    for (let at = corpus.indexOf(text); at !== -1;) {
      while (bounds[i + 1]! <= at) i++;
      if (visit(i) === false) return;
      at = corpus.indexOf(text, bounds[i + 1]);
    }
  }

  /** Every distinct word of every entry, built on first use (typo matching needs it). */
  words(): Vocabulary {
    if (this.vocabulary === undefined)
      this.vocabulary = finish(buildVocabulary(this.corpus, Infinity));
    return this.vocabulary;
  }

  /** Whether the vocabulary is built (a query then does not pay for it). */
  get complete(): boolean {
    return this.vocabulary !== undefined;
  }
}

interface IndexParts {
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
function finish<T>(build: Generator<void, T>): T {
  for (;;) {
    const step = build.next();
    if (step.done === true) return step.value;
  }
}

/** The index's parts, pausing (yield) after every `slice` entries. */
function* buildParts(entries: readonly CatalogEntry[], slice: number): Generator<void, IndexParts> {
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
    nameLengths[i] = e.folded.name.length;
    objectIdLengths[i] = e.folded.objectId.length;
    longest = Math.max(longest, e.folded.name.length, e.folded.objectId.length);
    shownNameLengths[i] = e.name.length;
    let domain = domainAt.get(e.domain);
    if (domain === undefined) {
      domain = { at: domains.length, folded: fold(e.domain) };
      domains.push(domain.folded);
      domainAt.set(e.domain, domain);
    }
    domainOf[i] = domain.at;
    const f = e.folded;
    plain[i] =
      f.objectId === f.name && f.aliases.length === 0 && f.id === `${domain.folded} ${f.name}`
        ? 1
        : 0;
    whole(f.name);
    whole(f.objectId);
    whole(f.id);
    whole(f.area);
    for (const alias of f.aliases) whole(alias);
    if (e.folded.objectId === e.folded.name) objectIdStarts[i] = -1;
    else {
      owners.push(i);
      ids.push(e.folded.objectId);
      objectIdStarts[i] = idAt + 1;
      idAt += 1 + e.folded.objectId.length;
    }
    if (e.areaId !== undefined) add(byArea, e.areaId, e);
    if (e.floorId !== undefined) add(byFloor, e.floorId, e);
    for (const label of e.labelIds) add(byLabel, label, e);
    for (const alias of new Set(e.folded.aliases)) add(byAlias, alias, e);
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
function* sortByName(entries: readonly CatalogEntry[], slice: number): Generator<void, Int32Array> {
  const names = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    if (i % slice === 0) yield;
    names[i] = entries[i]!.folded.name;
  }
  yield;
  return yield* sortedOrder(names, slice);
}

/**
 * The positions of `keys` in the order of the keys (ties by position): sorted runs of `slice`
 * keys, then merged, pausing (yield) after about `slice` keys' work.
 */
function* sortedOrder(keys: readonly string[], slice: number): Generator<void, Int32Array> {
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

/**
 * The index of `entries` and its vocabulary, built a slice of `slice` entries at a time: each
 * `next()` does one slice (a few milliseconds), so a large home's index can be built between
 * other work (see EntityCatalog.searchable()).
 */
export function* indexInSlices(
  entries: readonly CatalogEntry[],
  slice: number,
): Generator<void, SearchIndex> {
  const parts = yield* buildParts(entries, slice);
  // A slice of entries holds about 40 characters each.
  parts.vocabulary = yield* buildVocabulary(parts.corpus, slice * 40);
  parts.nameOrder = yield* sortByName(entries, slice);
  const index = new SearchIndex(entries, parts);
  indexes.set(entries, index);
  return index;
}

/** The index of `entries` if it is built (without building it). */
export function builtIndexOf(entries: readonly CatalogEntry[]): SearchIndex | undefined {
  return indexes.get(entries);
}

function add<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * The words of every entry as typo matching sees them (its name, id, area and aliases),
 * read off the corpus in one pass: words end at ' ', '|' and '\n', and a '\n' starts the
 * next entry.
 */
function* buildVocabulary(corpus: string, slice: number): Generator<void, Vocabulary> {
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
  return {
    text: words.length === 0 ? '' : `\n${texts.join('\n')}`,
    starts,
    sorted,
    alphabet,
    words,
    lengths,
    masks,
    entriesByWord: new WordEntries(words, sorted, postings, offsets),
  };
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
    private readonly words: readonly string[],
    private readonly sorted: Int32Array,
    private readonly postings: Int32Array,
    private readonly offsets: Int32Array,
  ) {}

  /** The entries of word number `k`. */
  of(k: number): Int32Array {
    return this.postings.subarray(this.offsets[k], this.offsets[k + 1]);
  }

  /** The number of `word`, or -1 when it is no word of the vocabulary. */
  find(word: string): number {
    const { words, sorted } = this;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[sorted[mid]!]! < word) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && words[sorted[lo]!] === word ? sorted[lo]! : -1;
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

const NEWLINE = 10;
const BAR = 124;
const SPACE = 32;

const indexes = new WeakMap<readonly CatalogEntry[], SearchIndex>();

/** The index of a catalog's entry list, built on first use and kept while the list lives. */
export function searchIndexOf(entries: readonly CatalogEntry[]): SearchIndex {
  let index = indexes.get(entries);
  if (index === undefined) {
    index = new SearchIndex(entries);
    indexes.set(entries, index);
  }
  return index;
}
