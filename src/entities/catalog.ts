import type { EntityStore } from '../ha/entity-store.js';
import type { Registry } from '../ha/registry.js';
import type { EntityState } from '../ha/types.js';
import { GroupIndex } from './group-index.js';
import { NO_CHANGES, RecentChanges } from './recent-changes.js';
import { builtIndexOf, indexInSlices, searchIndexOf } from './search-index.js';
import { Groups } from './catalog-groups.js';
import { reordered, unchanged } from './catalog-diff.js';
import { toEntry, type CatalogEntry } from './entry.js';
import { Domains } from './naming.js';
import { byId } from './id-order.js';

// The entry and its helpers, and the id order, for the importers of this module.
export type { CatalogEntry } from './entry.js';
export { FIELD_WEIGHTS, haystackOf, inFields } from './fields.js';
export { letterMask } from './letter-masks.js';
export { byId, compareIds, sortById } from './id-order.js';

/**
 * Entity changes a catalog takes one by one; beyond this many between two reads it makes one
 * pass over every entity instead (a snapshot after a reconnect, the first load).
 */
const MAX_TRACKED = 2048;
/**
 * Up to this many entries, a search index is built when a query needs it, at once (under
 * 10 ms). Above, it is built in slices of INDEX_SLICE entries (a few ms each) between other
 * work, and queries meanwhile search the previous list.
 */
export const SYNC_INDEX = 5000;
export const INDEX_SLICE = 2000;
/**
 * Entities changed since the searched index was built that searches look at one by one
 * (see searchable()); beyond this many, they wait for the next index.
 */
export const MAX_RECENT = 256;

/**
 * The searchable view of every entity. Updated, not rebuilt, when entities are added,
 * removed or renamed: only those entries are made again (folding names is the costly part)
 * and put in place in the sorted list. A registry change (areas, devices, entity registry)
 * makes one pass over every entity, reusing each entry whose name, area, floor, labels and
 * aliases are unchanged. Every update makes a new list: a list once returned never changes.
 */
export class EntityCatalog {
  private entries: CatalogEntry[] = [];
  private byId = new Map<string, CatalogEntry>();
  private groupIndex = new GroupIndex([]);
  private groupsNow = new Groups(undefined);
  /** Each domain's name, folded name and the entries' shared part (see entry.ts). */
  private readonly domains = new Domains();
  /** The revisions of the store and the registry the catalog was last brought up to. */
  private storeRevision = -1;
  private registryRevision = -1;
  /** Entities added, removed or renamed since the last update; undefined: look at all. */
  private touched: Set<string> | undefined = undefined;
  private readonly listeners = new Set<(changed: ReadonlySet<string>) => void>();
  /** The latest list whose search index (and vocabulary) is built. */
  private indexed: readonly CatalogEntry[] | undefined;
  /** The list whose index is being built in slices. */
  private building:
    | {
        entries: readonly CatalogEntry[];
        build: Generator<void, unknown>;
        /** The ids changed since `entries` (undefined: too many). */
        since: Set<string> | undefined;
      }
    | undefined;
  /** Waiting for a first index (see whenSearchable()). */
  private indexWaiters: (() => void)[] = [];
  /** The ids changed since `indexed` (undefined: too many), and what searches make of them. */
  private sinceIndexed: Set<string> | undefined = new Set();
  private recent: RecentChanges | undefined;
  /** Counts the lists made (`entries`), and which of them `indexed` is. */
  private entriesSeq = 0;
  private indexedSeq = -1;

  constructor(
    private readonly store: Pick<EntityStore, 'all' | 'get' | 'revision' | 'onNameChange'>,
    private readonly registry: Pick<
      Registry,
      | 'areas'
      | 'floors'
      | 'labels'
      | 'groupsOf'
      | 'entry'
      | 'isExposed'
      | 'revision'
      | 'changesSince'
    >,
  ) {
    store.onNameChange((entityId) => {
      if (this.touched === undefined) return;
      this.touched.add(entityId);
      if (this.touched.size > MAX_TRACKED) this.touched = undefined;
    });
  }

  list(): readonly CatalogEntry[] {
    this.refresh();
    return this.entries;
  }

  get(entityId: string): CatalogEntry | undefined {
    this.refresh();
    return this.byId.get(entityId);
  }

  /** Changes when names, areas or the entity set change. */
  get revision(): string {
    return `${this.store.revision}:${this.registry.revision}`;
  }

  /** Every area, floor and label. */
  groups(): GroupIndex {
    this.refresh();
    return this.groupIndex;
  }

  state(entityId: string): EntityState | undefined {
    return this.store.get(entityId);
  }

  /**
   * The list to search, with its index built (searchIndexOf() is then immediate). In a large
   * home, just after an entity was added, removed or renamed, this is the list before that
   * change while the new one's index is built in slices (a quarter of a second of CPU at
   * 100,000 entities, which would otherwise land on one keystroke). Meanwhile the entities
   * changed since that list (up to MAX_RECENT) are set on its index (SearchIndex.recent):
   * searches leave out their old entries and score the new ones one by one, so an entity
   * added or renamed is found at once, for work in proportion to the changes alone. Small
   * homes, and the first query ever, get the latest list, its index built at once.
   */
  searchable(): readonly CatalogEntry[] {
    const latest = this.list();
    if (latest === this.indexed) return latest;
    if (
      this.indexed === undefined ||
      latest.length <= SYNC_INDEX ||
      builtIndexOf(latest)?.complete === true
    ) {
      const building = this.building;
      if (building?.entries === latest) {
        // Its index already complete (built by a caller): the slices left would only build it
        // again. Else (just after start-up) finish them rather than start afresh.
        if (builtIndexOf(latest)?.complete === true) this.building = undefined;
        else while (building.build.next().done !== true);
      }
      searchIndexOf(latest).words();
      this.becomeIndexed(latest, new Set(), this.entriesSeq);
      return latest;
    }
    this.indexInBackground();
    // The entities changed since are searched one by one alongside the index.
    const index = searchIndexOf(this.indexed);
    index.recent = this.recentChanges();
    return this.indexed;
  }

  /**
   * Resolves once searchable() has an index to search without building one on the spot: at
   * once in a small home, or once any list was indexed; just after start-up in a large home,
   * when the slices building the first index are done. An interaction waits for this rather
   * than build that whole index on the event loop (about a second at 100,000 entities).
   */
  whenSearchable(): Promise<void> {
    this.refresh();
    if (this.indexed !== undefined || this.building === undefined) return Promise.resolve();
    return new Promise((resolve) => this.indexWaiters.push(resolve));
  }

  /** What changed since `indexed`, as searches see it (made again only after a change). */
  private recentChanges(): RecentChanges {
    const since = this.sinceIndexed;
    if (since === undefined || since.size === 0) return NO_CHANGES;
    if (this.recent === undefined) {
      const now: CatalogEntry[] = [];
      for (const entityId of since) {
        const entry = this.byId.get(entityId);
        if (entry !== undefined) now.push(entry);
      }
      this.recent = new RecentChanges(now.sort(byId), new Set(since));
    }
    return this.recent;
  }

  private becomeIndexed(
    entries: readonly CatalogEntry[],
    since: Set<string> | undefined,
    seq: number,
  ): void {
    this.indexedSeq = seq;
    if (this.indexed !== undefined && this.indexed !== entries) {
      // The old index's overlay is dropped with it (a list once searched may still be held).
      const old = builtIndexOf(this.indexed);
      if (old !== undefined) old.recent = NO_CHANGES;
    }
    this.indexed = entries;
    this.sinceIndexed = since;
    this.recent = undefined;
    const waiters = this.indexWaiters;
    if (waiters.length > 0) {
      this.indexWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Notes entities changed since the searched list (and since the one being built). */
  private noteChanged(changed: ReadonlySet<string>): void {
    const note = (set: Set<string> | undefined) => {
      if (set === undefined || changed.size > MAX_RECENT) return undefined;
      for (const id of changed) set.add(id);
      return set.size > MAX_RECENT ? undefined : set;
    };
    this.sinceIndexed = note(this.sinceIndexed);
    if (this.building !== undefined) this.building.since = note(this.building.since);
    this.recent = undefined;
  }

  /** Builds the latest list's index in slices, one per turn of the event loop. */
  private indexInBackground(): void {
    if (this.building !== undefined) return;
    const entries = this.entries;
    const build = indexInSlices(entries, INDEX_SLICE);
    const seq = this.entriesSeq;
    const building = { entries, build, since: new Set<string>() as Set<string> | undefined };
    this.building = building;
    const step = () => {
      // Given up: its list was indexed by other means (see searchable()).
      if (this.building !== building) return;
      if (build.next().done !== true) {
        setImmediate(step).unref();
        return;
      }
      this.building = undefined;
      // Unless a later list was indexed at once meanwhile (see searchable()).
      if (seq > this.indexedSeq) this.becomeIndexed(entries, building.since, seq);
      // Changed meanwhile: catch up.
      this.refresh();
      if (this.entries !== entries) this.indexInBackground();
    };
    setImmediate(step).unref();
  }

  /**
   * Called after an update with the ids whose entries were added, removed or made again
   * (what a cache keyed by entity must forget).
   */
  onEntriesChanged(listener: (changed: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private refresh(): void {
    // Numbers compared, no string built: this runs on every get(), per state change.
    if (
      this.store.revision === this.storeRevision &&
      this.registry.revision === this.registryRevision
    )
      return;
    this.storeRevision = this.store.revision;
    // Entries of a few entities changed in HA's registry (renamed, moved, labelled): those
    // entities alone, as for state changes. Anything else there: every entity again.
    const registryChanged = this.registry.revision !== this.registryRevision;
    const inRegistry = registryChanged
      ? this.registry.changesSince(this.registryRevision)
      : new Set<string>();
    this.registryRevision = this.registry.revision;
    let touched = inRegistry === undefined ? undefined : this.touched;
    if (touched !== undefined && inRegistry !== undefined && inRegistry.size > 0) {
      touched = new Set([...touched, ...inRegistry]);
      if (touched.size > MAX_TRACKED) touched = undefined;
    }
    this.touched = new Set();

    if (inRegistry === undefined) {
      this.groupsNow = new Groups(this.registry, this.groupsNow);
      const groups = this.groupsNow;
      this.groupIndex = new GroupIndex([
        ...groups.areas.values(),
        ...groups.floors.values(),
        ...groups.labels.values(),
      ]);
    }
    const groups = this.groupsNow;
    const changed = new Set<string>();
    const added: CatalogEntry[] = [];
    const consider = (entityId: string, state: EntityState | undefined) => {
      const old = this.byId.get(entityId);
      if (state === undefined) {
        if (old !== undefined) {
          this.byId.delete(entityId);
          changed.add(entityId);
        }
        return;
      }
      if (old !== undefined && unchanged(old, state, this.registry, groups)) return;
      const entry = toEntry(state, this.registry, groups, this.domains);
      this.byId.set(entityId, entry);
      changed.add(entityId);
      if (old === undefined) added.push(entry);
    };
    if (touched === undefined) {
      for (const entityId of this.byId.keys()) {
        if (this.store.get(entityId) === undefined) consider(entityId, undefined);
      }
      for (const state of this.store.all()) consider(state.entityId, state);
    } else {
      for (const entityId of touched) consider(entityId, this.store.get(entityId));
    }

    if (changed.size > 0) {
      this.entries = reordered(this.entries, this.byId, changed, added);
      this.entriesSeq++;
    }
    if (changed.size > 0) {
      this.noteChanged(changed);
      // A large home's index is brought up to date between other work, before a query needs it.
      if (this.entries.length > SYNC_INDEX) this.indexInBackground();
      for (const listener of this.listeners) listener(changed);
    }
  }
}
