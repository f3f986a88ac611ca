import type { CatalogEntry } from './entry.js';
import { haystackOf } from './fields.js';
import { insertById } from './id-order.js';
import { finish } from './index-parts.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';

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
    for (const e of this.entries) if (has(e)) insertById(list, e);
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
