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
  private readonly byArea = new Map<string, CatalogEntry[]>();
  private readonly byFloor = new Map<string, CatalogEntry[]>();
  private readonly byLabel = new Map<string, CatalogEntry[]>();
  /** Few entities have aliases: a map of them beats a scan. */
  private readonly byAlias = new Map<string, CatalogEntry[]>();
  private vocabulary: Vocabulary | undefined;
  /** The longest folded name or object id. */
  private longest = 0;

  constructor(readonly entries: readonly CatalogEntry[]) {
    const n = entries.length;
    this.bounds = new Int32Array(n + 1);
    this.letters = new Int32Array(n);
    this.nameLengths = new Int32Array(n);
    this.objectIdLengths = new Int32Array(n);
    this.objectIdStarts = new Int32Array(n);
    const parts: string[] = new Array<string>(n);
    const ids: string[] = [];
    let at = 0;
    let idAt = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      this.bounds[i] = at;
      parts[i] = e.haystack;
      at += 1 + e.haystack.length;
      this.letters[i] = e.letters;
      this.nameLengths[i] = e.folded.name.length;
      this.objectIdLengths[i] = e.folded.objectId.length;
      this.longest = Math.max(this.longest, e.folded.name.length, e.folded.objectId.length);
      if (e.folded.objectId === e.folded.name) this.objectIdStarts[i] = -1;
      else {
        ids.push(e.folded.objectId);
        this.objectIdStarts[i] = idAt + 1;
        idAt += 1 + e.folded.objectId.length;
      }
      if (e.areaId !== undefined) add(this.byArea, e.areaId, e);
      if (e.floorId !== undefined) add(this.byFloor, e.floorId, e);
      for (const label of e.labelIds) add(this.byLabel, label, e);
      for (const alias of new Set(e.folded.aliases)) add(this.byAlias, alias, e);
    }
    this.bounds[n] = at;
    this.corpus = n === 0 ? '' : `\n${parts.join('\n')}`;
    this.objectIds = ids.length === 0 ? '' : `\n${ids.join('\n')}`;
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
    if (this.vocabulary === undefined) this.vocabulary = buildVocabulary(this.corpus);
    return this.vocabulary;
  }
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
function buildVocabulary(corpus: string): Vocabulary {
  const entriesByWord = new Map<string, number[]>();
  let entry = -1;
  let start = -1;
  for (let i = 0; i <= corpus.length; i++) {
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
