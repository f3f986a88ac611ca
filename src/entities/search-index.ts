import { type CatalogEntry } from './entry.js';
import { ExactIndex } from './exact-index.js';
import { NO_CHANGES, type RecentChanges } from './recent-changes.js';
import { Scratch } from './scratch.js';
import type { EntityGroup } from './groups.js';
import { buildParts, finish, sortByName, type IndexParts } from './index-parts.js';
import {
  buildVocabulary,
  entriesContaining,
  forEachWordContaining,
  type Vocabulary,
} from './vocabulary.js';

/**
 * Words up to this long are looked for in place, reading at most this many characters at
 * each place of an entry's text; longer ones with the engine's string search.
 */
const IN_PLACE_CHARS = 8;

/**
 * The entries laid out for searching without visiting each one. In a home of 100,000
 * entities a pass that reads a field of every entry costs 15-20 ms in memory latency alone
 * (the entries are scattered over the heap), however little it computes; the same pass
 * over one string or one typed array costs well under a millisecond. So:
 *
 * - `corpus`: every entry's haystack (its folded name, id, area and aliases joined by '|',
 *   see haystackOf), each after a '\n', in catalog order: one `indexOf` finds the entries
 *   containing a word, and an anchored pattern ('\n' + name + '|') finds an exact name.
 * - per entry, in typed arrays: the letter mask and the lengths of the folded name and
 *   object id, for the filters of the abbreviation and "did you mean" passes.
 * - the entries of each area, floor and label, and (built on first use) the vocabulary for
 *   typo matching.
 * - the lookups of a whole name, object id or alias (see ExactIndex).
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
  /** The folded object ids that differ from their names, and where each starts (see ExactIndex). */
  readonly objectIds: string;
  private readonly objectIdStarts: Int32Array;
  private readonly byArea: Map<string, CatalogEntry[]>;
  private readonly byFloor: Map<string, CatalogEntry[]>;
  private readonly byLabel: Map<string, CatalogEntry[]>;
  private vocabulary: Vocabulary | undefined;
  /** Per entry: the length of its name as shown (what ranking compares), not folded. */
  readonly shownNameLengths: Int32Array;
  /** Per entry: its domain's position in `domains` (ranking.ts weighs a domain once, not per entry). */
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
  /** Lookups of a whole name, object id or alias. */
  private readonly exactIndex: ExactIndex;
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
    this.vocabulary = parts.vocabulary;
    this.shownNameLengths = parts.shownNameLengths;
    this.domainOf = parts.domainOf;
    this.domains = parts.domains;
    this.plain = parts.plain;
    this.wholeWords = parts.wholeWords;
    this.exactIndex = new ExactIndex(entries, parts);
    this.scratch = new Scratch(this.size);
  }

  /**
   * The positions in the names' order of the entries whose folded name starts with `prefix`:
   * from `start` (inclusive) to `end` (exclusive).
   */
  namesStartingWith(prefix: string): { order: Int32Array; start: number; end: number } {
    return this.exactIndex.namesStartingWith(prefix);
  }

  /** The positions of the entries with the folded alias `folded`. */
  withAlias(folded: string): number[] {
    return this.exactIndex.withAlias(folded);
  }

  /** The entries whose folded object id, where it differs from their folded name, is `folded`. */
  withObjectId(folded: string): number[] {
    return this.exactIndex.withObjectId(folded);
  }

  /**
   * Where entry i's folded name starts in the corpus (its length: nameLengths[i]): a name is
   * read from there, in one string, rather than from the entry somewhere on the heap.
   */
  nameStart(i: number): number {
    return this.bounds[i]! + 1;
  }

  /** Per-entry arrays a query borrows (see Scratch). */
  readonly scratch: Scratch;

  /** The length of entry i's text in the corpus (what hasText reads at most). */
  textLength(i: number): number {
    return this.bounds[i + 1]! - this.bounds[i]! - 1;
  }

  /** Whether entry i's haystack contains `text`, in time linear in the entry's text. */
  hasText(i: number, text: string): boolean {
    if (text === '') return true;
    const { corpus } = this;
    // A long word is found by the engine's string search (Boyer-Moore): compared at every
    // place, as below, each place of a repetitive text ("eeee…") would read the whole word.
    if (text.length > IN_PLACE_CHARS) {
      return corpus.slice(this.bounds[i]! + 1, this.bounds[i + 1]).includes(text);
    }
    // Read in place: a slice would be a string made per entry, thousands per keystroke.
    const last = this.bounds[i + 1]! - text.length;
    const first = text.charCodeAt(0);
    for (let at = this.bounds[i]! + 1; at <= last; at++) {
      if (corpus.charCodeAt(at) === first && corpus.startsWith(text, at)) return true;
    }
    return false;
  }

  /**
   * Where entry i's folded object id starts in objectIds (its length: objectIdLengths[i]),
   * or -1 when it is the same as its name.
   */
  objectIdStart(i: number): number {
    return this.objectIdStarts[i]!;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The entries whose folded object id, name or an alias is exactly `folded`, in catalog
   * order. Names, and object ids equal to their names, come from the names in order (equal
   * names first among those starting with `folded`); object ids that differ from their names
   * are found in one '\n'-joined string of them, aliases in a map (see exact-index.ts).
   * Entries changed since the index was built are checked again.
   */
  exact(folded: string): { objectId: CatalogEntry[]; name: CatalogEntry[]; alias: CatalogEntry[] } {
    const found = this.exactIndex.exact(folded);
    const { recent } = this;
    if (recent.none) return found;
    return {
      objectId: recent.now(found.objectId, (e) => e.foldedObjectId === folded),
      name: recent.now(found.name, (e) => e.foldedName === folded),
      alias: recent.now(found.alias, (e) => e.foldedAliases.includes(folded)),
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
    return entriesContaining(vocabulary, word, this.size, this.scratch);
  }

  /**
   * Sets `bit` in marks[i] for each entry i that containing(word) lists, without making the
   * list (at 50,000 entities, "room" is in 15,000 entries of three words: their lists merged
   * and sorted cost more than marking them); false, and nothing marked, until the vocabulary
   * is built.
   */
  markContaining(word: string, marks: Uint8Array, bit: number): boolean {
    const vocabulary = this.vocabulary;
    if (vocabulary === undefined || word === '') return false;
    forEachWordContaining(vocabulary, word, (entries) => {
      for (let i = 0; i < entries.length; i++) marks[entries[i]!] = marks[entries[i]!]! | bit;
    });
    return true;
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
