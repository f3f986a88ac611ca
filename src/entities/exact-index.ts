import type { CatalogEntry } from './entry.js';
import { compareIds } from './id-order.js';
import { finish, sortByName, type IndexParts } from './index-parts.js';
import { NEWLINE } from './vocabulary.js';

/**
 * The search index's lookups of a whole key: the entries whose folded name starts with or
 * is a text (the names in order, by binary search), whose folded object id is one (the ids
 * that differ from their names, in one string), and whose alias is one (a map). Part of a
 * SearchIndex, built with it; knows nothing of the changes since (SearchIndex.recent).
 */
export class ExactIndex {
  private readonly nameLengths: Int32Array;
  /**
   * Every folded object id that differs from its entry's folded name, each after a '\n'
   * (most are the same, e.g. "kitchen light" for light.kitchen_light named Kitchen Light),
   * and where each starts (-1: the same as the name).
   */
  private readonly objectIds: string;
  private readonly objectIdStarts: Int32Array;
  /** The entries whose object id is in `objectIds`, in its order. */
  private readonly objectIdOwners: Int32Array;
  /** Few entities have aliases: a map of them beats a scan. */
  private readonly byAlias: Map<string, CatalogEntry[]>;
  /** The longest folded name or object id. */
  private readonly longest: number;
  /** The entries in the order of their folded names (for prefixes); built on first use. */
  private nameOrder: Int32Array | undefined;

  constructor(
    private readonly entries: readonly CatalogEntry[],
    parts: IndexParts,
  ) {
    this.nameLengths = parts.nameLengths;
    this.objectIds = parts.objectIds;
    this.objectIdStarts = parts.objectIdStarts;
    this.objectIdOwners = parts.objectIdOwners;
    this.byAlias = parts.byAlias;
    this.longest = parts.longest;
    this.nameOrder = parts.nameOrder;
  }

  /**
   * The positions in `byName()` of the entries whose folded name starts with `prefix`: from
   * `start` (inclusive) to `end` (exclusive). Two binary searches.
   */
  namesStartingWith(prefix: string): { order: Int32Array; start: number; end: number } {
    const order = this.byName();
    const names = (i: number) => this.entries[order[i]!]!.foldedName;
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
   * The entries whose folded object id, name or an alias is exactly `folded`, in catalog
   * order, as the index has them (see SearchIndex.exact for the changes since).
   */
  exact(folded: string): {
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
}
