import type { EntityStore } from '../ha/entity-store.js';
import type { Registry } from '../ha/registry.js';
import type { EntityState } from '../ha/types.js';
import { GroupIndex } from './group-index.js';
import { areaGroup, floorGroup, labelGroup, type EntityGroup } from './groups.js';
import {
  builtIndexOf,
  indexInSlices,
  NO_CHANGES,
  RecentChanges,
  searchIndexOf,
} from './search-index.js';
import { fold } from './text.js';

/** One entity as a person knows it: its id, the names it goes by and where it is. */
export interface CatalogEntry {
  entityId: string;
  domain: string;
  objectId: string;
  name: string;
  areaId: string | undefined;
  areaName: string | undefined;
  /** The floor of its area (HA 2024.4+). */
  floorId: string | undefined;
  floorName: string | undefined;
  /** The labels that reach it, as HA's label target expands them: its own, its device's, its area's. */
  labelIds: readonly string[];
  /**
   * Its area's, floor's and labels' ids, names and aliases in lower case: what the access
   * policy's and the rules' `areas:`, `floors:` and `labels:` lists match (see groups.ts).
   */
  areaKeys: readonly string[] | undefined;
  floorKeys: readonly string[] | undefined;
  labelKeys: readonly string[] | undefined;
  aliases: string[];
  hidden: boolean;
  /** Exposed to HA's voice assistant; undefined when the bot does not load that. */
  exposed: boolean | undefined;
  /** Folded forms, computed once per rebuild so a keystroke only compares strings. */
  folded: { id: string; objectId: string; name: string; area: string; aliases: string[] };
  /** letterMask() of the name and id: rejects most abbreviations at once. */
  letters: number;
  /** letterMask() of the first characters of every word of the folded fields. */
  initials: number;
}

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
      'areas' | 'floors' | 'labels' | 'groupsOf' | 'entry' | 'isExposed' | 'revision'
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
      // Being built in slices (just after start-up): finish that rather than start afresh.
      if (this.building?.entries === latest) while (this.building.build.next().done !== true);
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
    const registryChanged = this.registry.revision !== this.registryRevision;
    this.registryRevision = this.registry.revision;
    const touched = registryChanged ? undefined : this.touched;
    this.touched = new Set();

    // Many entities share a domain: one copy of it for all of them.
    const domains = new Map<string, string>();
    const intern = (text: string): string => {
      const held = domains.get(text);
      if (held !== undefined) return held;
      domains.set(text, text);
      return text;
    };
    // Many entities share an area and a domain: one folded copy of each for all of them.
    const shared = new Map<string, string>();
    const foldShared = (text: string): string => {
      let folded = shared.get(text);
      if (folded === undefined) shared.set(text, (folded = fold(text)));
      return folded;
    };
    if (registryChanged) {
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
      const entry = toEntry(state, this.registry, foldShared, groups, intern);
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

/** The areas, floors and labels by id, and one shared key list per set of labels. */
class Groups {
  readonly areas: Map<string, EntityGroup>;
  readonly floors: Map<string, EntityGroup>;
  readonly labels: Map<string, EntityGroup>;
  private readonly labelKeySets: Map<string, readonly string[]> = new Map();

  /**
   * A group equal to one of `previous` is that very object (and its key lists), so that an
   * entry made before a registry change can be kept when its groups did not change.
   */
  constructor(
    registry: Pick<Registry, 'areas' | 'floors' | 'labels'> | undefined,
    previous?: Groups,
  ) {
    const same = (g: EntityGroup, old: Map<string, EntityGroup> | undefined) => {
      const o = old?.get(g.id);
      return o !== undefined && sameGroup(o, g) ? o : g;
    };
    this.areas = new Map(
      (registry?.areas() ?? []).map((a) => [a.areaId, same(areaGroup(a), previous?.areas)]),
    );
    this.floors = new Map(
      (registry?.floors() ?? []).map((f) => [f.floorId, same(floorGroup(f), previous?.floors)]),
    );
    this.labels = new Map(
      (registry?.labels() ?? []).map((l) => [l.labelId, same(labelGroup(l), previous?.labels)]),
    );
    // The labels' key lists stand while every label is the one it was.
    const labelsKept =
      previous !== undefined &&
      previous.labels.size === this.labels.size &&
      [...this.labels].every(([id, g]) => previous.labels.get(id) === g);
    if (labelsKept) this.labelKeySets = previous.labelKeySets;
  }

  /** The keys of these labels together; entities with the same labels share one list. */
  labelKeys(labelIds: readonly string[]): readonly string[] | undefined {
    if (labelIds.length === 0) return undefined;
    const key = labelIds.join('\n');
    let keys = this.labelKeySets.get(key);
    if (keys === undefined) {
      keys = [...new Set(labelIds.flatMap((id) => this.labels.get(id)?.keys ?? []))];
      this.labelKeySets.set(key, keys);
    }
    return keys;
  }
}

/**
 * The sorted list after `changed` entries were added, removed or made again: a few are
 * found by binary search in a copy of the list, many by one pass over it.
 */
function reordered(
  entries: readonly CatalogEntry[],
  byEntityId: ReadonlyMap<string, CatalogEntry>,
  changed: ReadonlySet<string>,
  added: CatalogEntry[],
): CatalogEntry[] {
  const isNew = new Set(added.map((e) => e.entityId));
  let kept: CatalogEntry[];
  if (changed.size <= 64) {
    kept = entries.slice();
    for (const entityId of changed) {
      if (isNew.has(entityId)) continue;
      let lo = 0;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareIds(kept[mid]!.entityId, entityId) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (kept[lo]?.entityId !== entityId) continue;
      const current = byEntityId.get(entityId);
      if (current === undefined) kept.splice(lo, 1);
      else kept[lo] = current;
    }
  } else {
    // The old order, without the removed, with the entries made again.
    kept = [];
    for (const e of entries) {
      const current = byEntityId.get(e.entityId);
      if (current !== undefined) kept.push(current);
    }
  }
  return merge(kept, sortById(added));
}

/** Two sorted lists as one (a few new entries go in by binary search, many by merging). */
function merge(sorted: CatalogEntry[], more: readonly CatalogEntry[]): CatalogEntry[] {
  if (more.length === 0) return sorted;
  if (sorted.length === 0) return [...more];
  if (more.length <= 64) {
    for (const e of more) {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byId(sorted[mid]!, e) <= 0) lo = mid + 1;
        else hi = mid;
      }
      sorted.splice(lo, 0, e);
    }
    return sorted;
  }
  const out: CatalogEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < sorted.length && j < more.length) {
    out.push(byId(sorted[i]!, more[j]!) <= 0 ? sorted[i++]! : more[j++]!);
  }
  while (i < sorted.length) out.push(sorted[i++]!);
  while (j < more.length) out.push(more[j++]!);
  return out;
}

/** Whether `entry` still says what toEntry would make of the entity now (no folding needed). */
function unchanged(
  entry: CatalogEntry,
  state: EntityState,
  registry: Pick<Registry, 'groupsOf' | 'entry' | 'isExposed'>,
  groups: Groups,
): boolean {
  if (entry.name !== nameOf(state, entry.objectId)) return false;
  const { area, floor, labelIds } = registry.groupsOf(state.entityId);
  if (entry.areaId !== area?.areaId || entry.areaName !== area?.name) return false;
  if (entry.floorId !== floor?.floorId || entry.floorName !== floor?.name) return false;
  if (!sameList(entry.labelIds, labelIds)) return false;
  // Key lists are shared, and kept across a registry change while their group is the same.
  if (entry.areaKeys !== (area ? groups.areas.get(area.areaId)?.keys : undefined)) return false;
  if (entry.floorKeys !== (floor ? groups.floors.get(floor.floorId)?.keys : undefined))
    return false;
  if (entry.labelKeys !== groups.labelKeys(labelIds)) return false;
  const regEntry = registry.entry(state.entityId);
  if ((regEntry?.hidden ?? false) !== entry.hidden) return false;
  if (registry.isExposed(state.entityId) !== entry.exposed) return false;
  return sameList(regEntry?.aliases ?? [], entry.aliases);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameGroup(a: EntityGroup, b: EntityGroup): boolean {
  return (
    a.type === b.type &&
    a.name === b.name &&
    sameList(a.aliases, b.aliases) &&
    sameList(a.folded, b.folded) &&
    sameList(a.keys, b.keys)
  );
}

function nameOf(state: EntityState, objectId: string): string {
  const friendly = state.attributes.friendly_name;
  return typeof friendly === 'string' && friendly.trim() !== '' ? friendly : objectId;
}

/**
 * A CatalogEntry with every field set in its constructor: its fields all sit in the object
 * (an object literal this large keeps some in a separate array), about 100 bytes less per
 * entity in a large home.
 */
class Entry implements CatalogEntry {
  constructor(
    readonly entityId: string,
    readonly domain: string,
    readonly objectId: string,
    readonly name: string,
    readonly areaId: string | undefined,
    readonly areaName: string | undefined,
    readonly floorId: string | undefined,
    readonly floorName: string | undefined,
    readonly labelIds: readonly string[],
    readonly areaKeys: readonly string[] | undefined,
    readonly floorKeys: readonly string[] | undefined,
    readonly labelKeys: readonly string[] | undefined,
    readonly aliases: string[],
    readonly hidden: boolean,
    readonly exposed: boolean | undefined,
    readonly folded: CatalogEntry['folded'],
    readonly letters: number,
    readonly initials: number,
  ) {}
}

/** Shared by every entry without aliases (never changed: a new list is made for an entry). */
const NO_ALIASES: string[] = [];

/**
 * Every folded field of an entry in one string ('|' between them): a word absent here
 * matches no field. The search index keeps these, one after another, in one string.
 */
export function haystackOf(e: Pick<CatalogEntry, 'folded'>): string {
  const f = e.folded;
  return f.aliases.length === 0
    ? `${f.name}|${f.id}|${f.area}`
    : [f.name, f.id, f.area, ...f.aliases].join('|');
}

/** Whether `word` (no ' ' or '|' in it) is in one of the entry's folded fields. */
export function inFields(e: Pick<CatalogEntry, 'folded'>, word: string): boolean {
  const f = e.folded;
  return (
    f.name.includes(word) ||
    f.id.includes(word) ||
    f.area.includes(word) ||
    (f.aliases.length > 0 && f.aliases.some((a) => a.includes(word)))
  );
}

/** fold(`${domain}.${objectId}`) from the folded halves of an id of HA's characters. */
function joinFolded(domain: string, objectId: string): string {
  if (domain === '') return objectId;
  if (objectId === '') return domain;
  return `${domain} ${objectId}`;
}

function toEntry(
  state: EntityState,
  registry: Pick<Registry, 'groupsOf' | 'entry' | 'isExposed'>,
  /** fold(), kept for texts many entries share (areas, domains). */
  foldShared: (text: string) => string,
  groups: Groups,
  intern: (text: string) => string,
): CatalogEntry {
  const dot = state.entityId.indexOf('.');
  const domain = state.entityId.slice(0, dot);
  const objectId = state.entityId.slice(dot + 1);
  const name = nameOf(state, objectId);
  const { area, floor, labelIds } = registry.groupsOf(state.entityId);
  const regEntry = registry.entry(state.entityId);
  const aliases = regEntry?.aliases ?? NO_ALIASES;
  const foldedName = fold(name);
  const foldedObjectId = fold(objectId);
  // An id of HA's characters folds as its domain and object id (one fold fewer per entity).
  const foldedId = PLAIN_ID.test(state.entityId)
    ? joinFolded(foldShared(domain), foldedObjectId)
    : fold(state.entityId);
  // In a large home every byte per entity counts (see CONTRIBUTING.md, memory): a name that
  // folds like the object id (most do) is one string, and no aliases one shared list.
  const folded = {
    id: foldedId,
    objectId: foldedObjectId === foldedName ? foldedName : foldedObjectId,
    name: foldedName,
    area: area ? foldShared(area.name) : '',
    aliases: aliases.length === 0 ? NO_ALIASES : aliases.map(fold),
  };
  return new Entry(
    state.entityId,
    intern(domain),
    objectId,
    name,
    area?.areaId,
    area?.name,
    floor?.floorId,
    floor?.name,
    labelIds,
    area ? groups.areas.get(area.areaId)?.keys : undefined,
    floor ? groups.floors.get(floor.floorId)?.keys : undefined,
    groups.labelKeys(labelIds),
    aliases,
    regEntry?.hidden ?? false,
    registry.isExposed(state.entityId),
    folded,
    letterMask(folded.name) | letterMask(folded.id),
    initialsMask(folded.name) |
      initialsMask(folded.id) |
      initialsMask(folded.area) |
      folded.aliases.reduce((mask, alias) => mask | initialsMask(alias), 0),
  );
}

// localeCompare's order (the same collator), without building a collator per comparison.
const collator = new Intl.Collator();

/**
 * The collator's order of the characters HA allows in an entity id: '_' and '.' before the
 * digits, the digits before the letters. Over strings of only these characters, comparing
 * by these ranks one character after another gives the collator's answer (each has a
 * weight of its own at the first level; a string sorts after its prefixes), several times
 * faster. 0: any other character.
 */
const RANK = new Uint8Array(128);
{
  let rank = 1;
  for (const ch of '_-.0123456789abcdefghijklmnopqrstuvwxyz') RANK[ch.charCodeAt(0)] = rank++;
}

/** localeCompare's order of two entity ids (the collator's answer, faster for HA's ids). */
export function compareIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const rx = x < 128 ? RANK[x]! : 0;
    const ry = y < 128 ? RANK[y]! : 0;
    if (rx === 0 || ry === 0) return collator.compare(a, b);
    if (rx !== ry) return rx < ry ? -1 : 1;
  }
  for (let i = n; i < a.length; i++)
    if (RANK[a.charCodeAt(i)] === 0 || a.charCodeAt(i) >= 128) return collator.compare(a, b);
  for (let i = n; i < b.length; i++)
    if (RANK[b.charCodeAt(i)] === 0 || b.charCodeAt(i) >= 128) return collator.compare(a, b);
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const PLAIN_ID = /^[a-z0-9_.-]*$/;
const RANKED: Record<string, string> = { _: '\u0001', '-': '\u0002', '.': '\u0003' };

/**
 * Sorts entries by id as byId() does. Many ids of HA's characters only: each id becomes a
 * key whose code points are in the collator's order ('_', '-' and '.' before the digits),
 * and keys are compared as plain strings, several times faster than byId() over 100,000.
 */
export function sortById<T extends Pick<CatalogEntry, 'entityId'>>(entries: T[]): T[] {
  if (entries.length < 1000 || !entries.every((e) => PLAIN_ID.test(e.entityId))) {
    return entries.sort(byId);
  }
  const keyed = entries.map((e) => ({ e, k: e.entityId.replace(/[_.-]/g, (c) => RANKED[c]!) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) entries[i] = keyed[i]!.e;
  return entries;
}

/** Entries in the order of their entity ids, as `localeCompare` orders them. */
export function byId(a: Pick<CatalogEntry, 'entityId'>, b: Pick<CatalogEntry, 'entityId'>): number {
  return compareIds(a.entityId, b.entityId);
}

// A word found in the name counts for more than one found in the id, which beats the area.
export const FIELD_WEIGHTS = { name: 1, aliases: 1, objectId: 0.95, id: 0.9, area: 0.7 } as const;

/** letterMask() of the first character of every word of `text` (no string made per character). */
function initialsMask(text: string): number {
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
    const code = text.charCodeAt(i);
    const letter = code - 97;
    if (letter >= 0 && letter < 26) mask |= 1 << letter;
    else if (code >= 48 && code <= 57) mask |= 1 << (26 + ((code - 48) % 4));
  }
  return mask;
}
