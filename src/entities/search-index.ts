import type { CatalogEntry } from './catalog.js';
import { letterMask } from './catalog.js';
import type { EntityGroup } from './groups.js';

/** Every distinct word of every entry, with the entries (by position) that have it. */
export interface Vocabulary {
  words: string[];
  lengths: Int32Array;
  masks: Int32Array;
  /** For each word, the entries that have it: a typo match reaches its entries directly. */
  entriesByWord: Map<string, number[]>;
}

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
  }

  /**
   * Where entry i's folded name lies in the corpus (text, start, end): a name is read from
   * there, in one string, rather than from the entry somewhere on the heap.
   */
  name(i: number): [string, number, number] {
    const start = this.bounds[i]! + 1;
    return [this.corpus, start, start + this.nameLengths[i]!];
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
    const found = (pattern: string, test: (e: CatalogEntry) => boolean): CatalogEntry[] => {
      const list: CatalogEntry[] = [];
      // Longer than every name and id: nothing to look for.
      if (folded.length > this.longest) return list;
      this.forEachContaining(pattern, (i) => {
        const e = this.entries[i]!;
        if (test(e)) list.push(e);
      });
      return list;
    };
    return {
      // An entity id (HA's are [a-z0-9_]) folds to "<domain> <object id>".
      objectId: found(` ${folded}|`, (e) => e.folded.objectId === folded),
      name: found(`\n${folded}|`, (e) => e.folded.name === folded),
      alias: this.byAlias.get(folded) ?? [],
    };
  }

  /** The entries in an area, in catalog order. */
  inArea(areaId: string): readonly CatalogEntry[] {
    return this.byArea.get(areaId) ?? [];
  }

  /** The entries an area, floor or label stands for (as HA expands its target), in catalog order. */
  inGroup(group: Pick<EntityGroup, 'type' | 'id'>): readonly CatalogEntry[] {
    const map =
      group.type === 'area' ? this.byArea : group.type === 'floor' ? this.byFloor : this.byLabel;
    return map.get(group.id) ?? [];
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
  const parts: string[] = new Array<string>(n);
  const ids: string[] = [];
  let at = 0;
  let idAt = 0;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % slice === 0) yield;
    const e = entries[i]!;
    bounds[i] = at;
    parts[i] = e.haystack;
    at += 1 + e.haystack.length;
    letters[i] = e.letters;
    nameLengths[i] = e.folded.name.length;
    objectIdLengths[i] = e.folded.objectId.length;
    longest = Math.max(longest, e.folded.name.length, e.folded.objectId.length);
    if (e.folded.objectId === e.folded.name) objectIdStarts[i] = -1;
    else {
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
    corpus: n === 0 ? '' : `\n${parts.join('\n')}`,
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
  };
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
  const entriesByWord = new Map<string, number[]>();
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
      const list = entriesByWord.get(word);
      if (list === undefined) entriesByWord.set(word, [entry]);
      else if (list[list.length - 1] !== entry) list.push(entry);
      start = -1;
    }
    if (c === NEWLINE) entry++;
  }
  const words = [...entriesByWord.keys()];
  return {
    words,
    lengths: Int32Array.from(words, (w) => w.length),
    masks: Int32Array.from(words, letterMask),
    entriesByWord,
  };
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
