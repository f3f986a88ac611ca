import type { Area, Device, EntityRegistryEntry, Floor, Label } from './types.js';

/**
 * Raw shapes of HA's registry commands (HA components/config/*_registry.py). Floors and labels
 * came in 2024.3 (lists only) and 2024.4 (floor aliases, `floor_id` and `labels` on areas,
 * `labels` on devices, `lb` on entities); older releases leave those fields out.
 */
export interface RawArea {
  area_id: string;
  name: string;
  aliases?: string[];
  floor_id?: string | null;
  labels?: string[];
}
export interface RawDevice {
  id: string;
  area_id?: string | null;
  name?: string | null;
  name_by_user?: string | null;
  labels?: string[];
}
export interface RawFloor {
  floor_id: string;
  name: string;
  aliases?: string[];
  level?: number | null;
}
export interface RawLabel {
  label_id: string;
  name: string;
}
/**
 * `config/entity_registry/list_for_display`: compact keys to keep the payload small. `en` differs
 * by release: 2024.3 sends it only for `has_entity_name` entities without a user-given name (the
 * integration's name), 2025.4 for every named entity (the user's name, else the integration's).
 */
export interface RawDisplayEntity {
  ei: string;
  ai?: string | null;
  di?: string | null;
  en?: string | null;
  ec?: number | null;
  hb?: boolean;
  /** Label ids; left out when there are none. */
  lb?: string[];
}
/** `homeassistant/expose_entity/list`: per entity, per assistant, whether it is exposed. */
export interface RawExposedList {
  exposed_entities: Record<string, Record<string, boolean>>;
}
export interface RawDisplayList {
  entity_categories?: Record<string, string>;
  entities: RawDisplayEntity[];
}

const NONE: readonly string[] = Object.freeze([]);

/** Changes kept for changesSince(): a reader further behind re-reads every entity. */
const CHANGES_KEPT = 16;
/**
 * Entities told one by one by changesSince(); more changed than this (the first load, a
 * reconnect's reload after many edits) and a reader re-reads every entity.
 */
export const MAX_ENTITY_CHANGES = 2048;

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

/** Whether two maps hold equal values (plain records of strings, numbers and lists) by key. */
function sameMap<T extends object>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of b) {
    const old = a.get(key);
    if (old === undefined) return false;
    for (const field of Object.keys(value) as (keyof T)[]) {
      const x = old[field];
      const y = value[field];
      if (Array.isArray(x) && Array.isArray(y) ? !sameList(x, y) : x !== y) return false;
    }
  }
  return true;
}

const sameEntry = (a: EntityRegistryEntry, b: EntityRegistryEntry): boolean =>
  a.areaId === b.areaId &&
  a.deviceId === b.deviceId &&
  a.hidden === b.hidden &&
  a.entityCategory === b.entityCategory &&
  sameList(a.aliases, b.aliases) &&
  sameList(a.labels, b.labels);

/**
 * Areas, floors, labels, devices and entity registry entries: where an entity is, how it is
 * grouped and what else it is called.
 */
export class Registry {
  private areasById = new Map<string, Area>();
  private floorsById = new Map<string, Floor>();
  private labelsById = new Map<string, Label>();
  private devicesById = new Map<string, Device>();
  private entriesById = new Map<string, EntityRegistryEntry>();
  private exposedIds: ReadonlySet<string> | undefined;
  private version = 0;
  /** The last changes: the revision each made, and its entities (undefined: anything). */
  private changes: { revision: number; entityIds: ReadonlySet<string> | undefined }[] = [];

  constructor(
    /**
     * The string the bot already holds for an entity id (the entity store's), so that a large
     * home's registry keeps no second copy of every id (about 48 bytes apiece); the id given
     * when none is held.
     */
    private readonly heldId: (entityId: string) => string = (entityId) => entityId,
  ) {}

  /** Changes whenever anything in the registries does (a reload of equal lists is no change). */
  get revision(): number {
    return this.version;
  }

  /**
   * The entities whose registry entries changed since `revision`, when only entries did (no
   * area, floor, label, device or exposure) and few enough; undefined when anything may have
   * changed for any entity.
   */
  changesSince(revision: number): ReadonlySet<string> | undefined {
    if (revision === this.version) return new Set();
    const first = this.changes[0];
    if (first === undefined || first.revision > revision + 1) return undefined;
    const ids = new Set<string>();
    for (const change of this.changes) {
      if (change.revision <= revision) continue;
      if (change.entityIds === undefined) return undefined;
      for (const id of change.entityIds) ids.add(id);
      if (ids.size > MAX_ENTITY_CHANGES) return undefined;
    }
    return ids;
  }

  private changed(entityIds: ReadonlySet<string> | undefined): void {
    this.version++;
    this.changes.push({ revision: this.version, entityIds });
    if (this.changes.length > CHANGES_KEPT) this.changes.shift();
  }

  areas(): Area[] {
    return [...this.areasById.values()];
  }

  floors(): Floor[] {
    return [...this.floorsById.values()];
  }

  labels(): Label[] {
    return [...this.labelsById.values()];
  }

  entry(entityId: string): EntityRegistryEntry | undefined {
    return this.entriesById.get(entityId);
  }

  /** Whether HA exposes the entity to its voice assistant; undefined when that is not loaded. */
  isExposed(entityId: string): boolean | undefined {
    return this.exposedIds?.has(entityId);
  }

  setExposed(entityIds: ReadonlySet<string> | undefined): void {
    const old = this.exposedIds;
    const same =
      old === entityIds ||
      (old !== undefined &&
        entityIds !== undefined &&
        old.size === entityIds.size &&
        [...entityIds].every((id) => old.has(id)));
    this.exposedIds = entityIds;
    if (!same) this.changed(undefined);
  }

  /** The entity's own area, else its device's area, as HA's UI shows it. */
  areaOf(entityId: string): Area | undefined {
    const entry = this.entriesById.get(entityId);
    if (entry === undefined) return undefined;
    const areaId =
      entry.areaId ?? (entry.deviceId ? this.devicesById.get(entry.deviceId)?.areaId : undefined);
    return areaId === undefined ? undefined : this.areasById.get(areaId);
  }

  /**
   * Where the entity is and how it is grouped, in one lookup: its area (as areaOf), that
   * area's floor (HA targets a floor as the areas on it), and the ids of the labels that
   * reach it as HA's `label_id` target expands them (helpers/service.py): its own labels, its
   * device's and its area's. Only floors and labels HA lists.
   */
  groupsOf(entityId: string): {
    area: Area | undefined;
    floor: Floor | undefined;
    labelIds: readonly string[];
  } {
    const entry = this.entriesById.get(entityId);
    if (entry === undefined) return { area: undefined, floor: undefined, labelIds: NONE };
    const device = entry.deviceId === undefined ? undefined : this.devicesById.get(entry.deviceId);
    const areaId = entry.areaId ?? device?.areaId;
    const area = areaId === undefined ? undefined : this.areasById.get(areaId);
    const floor = area?.floorId === undefined ? undefined : this.floorsById.get(area.floorId);
    return { area, floor, labelIds: this.labelIds(entry.labels, device?.labels, area?.labels) };
  }

  private labelIds(
    own: readonly string[],
    device: readonly string[] | undefined,
    area: readonly string[] | undefined,
  ): readonly string[] {
    const count = own.length + (device?.length ?? 0) + (area?.length ?? 0);
    if (count === 0 || this.labelsById.size === 0) return NONE;
    const ids = new Set([...own, ...(device ?? NONE), ...(area ?? NONE)]);
    const known = [...ids].filter((id) => this.labelsById.has(id));
    return known.length === 0 ? NONE : known;
  }

  setAreas(raw: readonly RawArea[]): void {
    const next = new Map(
      raw.map((a) => [
        a.area_id,
        {
          areaId: a.area_id,
          name: a.name,
          aliases: a.aliases ?? [],
          floorId: a.floor_id ?? undefined,
          labels: a.labels ?? [],
        },
      ]),
    );
    // HA's lists are read again on every registry event: equal ones change nothing.
    if (sameMap(this.areasById, next)) return;
    this.areasById = next;
    this.changed(undefined);
  }

  setFloors(raw: readonly RawFloor[]): void {
    const next = new Map(
      raw.map((f) => [
        f.floor_id,
        {
          floorId: f.floor_id,
          name: f.name,
          aliases: f.aliases ?? [],
          level: f.level ?? undefined,
        },
      ]),
    );
    // HA's lists are read again on every registry event: equal ones change nothing.
    if (sameMap(this.floorsById, next)) return;
    this.floorsById = next;
    this.changed(undefined);
  }

  setLabels(raw: readonly RawLabel[]): void {
    const next = new Map(raw.map((l) => [l.label_id, { labelId: l.label_id, name: l.name }]));
    // HA's lists are read again on every registry event: equal ones change nothing.
    if (sameMap(this.labelsById, next)) return;
    this.labelsById = next;
    this.changed(undefined);
  }

  setDevices(raw: readonly RawDevice[]): void {
    const next = new Map(
      raw.map((d) => [
        d.id,
        {
          id: d.id,
          areaId: d.area_id ?? undefined,
          name: d.name_by_user ?? d.name ?? d.id,
          labels: d.labels ?? [],
        },
      ]),
    );
    // HA's lists are read again on every registry event: equal ones change nothing.
    if (sameMap(this.devicesById, next)) return;
    this.devicesById = next;
    this.changed(undefined);
  }

  /**
   * In a large home every byte per entity counts: an entry is 3 fields (the rare ones are
   * one shared object, see Rare), its area and device ids are the strings the area and device
   * registries hold (not a copy per entity), and the entries of the entities with nothing of
   * their own (no category, not hidden, no aliases or labels of their own) are one object per
   * area and device: most entities of a device, or of an area, share one.
   */
  setEntities(raw: RawDisplayList, aliases: ReadonlyMap<string, string[]> = new Map()): void {
    const categories = raw.entity_categories ?? {};
    // One loop, no [id, entry] pair per entity: at 100,000 entities those pairs are megabytes
    // of garbage at start-up, on top of HA's list itself.
    const entries = new Map<string, EntityRegistryEntry>();
    const plain = new Map<string | undefined, Map<string | undefined, RegistryEntry>>();
    for (const e of raw.entities) {
      const entityId = this.heldId(e.ei);
      const areaId =
        e.ai === undefined || e.ai === null
          ? undefined
          : (this.areasById.get(e.ai)?.areaId ?? e.ai);
      const deviceId =
        e.di === undefined || e.di === null ? undefined : (this.devicesById.get(e.di)?.id ?? e.di);
      const hidden = e.hb === true;
      const entityCategory = e.ec === undefined || e.ec === null ? undefined : categories[e.ec];
      const entryAliases = aliases.get(e.ei) ?? NONE;
      const labels = e.lb === undefined || e.lb.length === 0 ? NONE : e.lb;
      let entry: RegistryEntry | undefined;
      if (!hidden && entityCategory === undefined && entryAliases === NONE && labels === NONE) {
        let inArea = plain.get(areaId);
        if (inArea === undefined)
          plain.set(areaId, (inArea = new Map<string | undefined, RegistryEntry>()));
        entry = inArea.get(deviceId);
        if (entry === undefined)
          inArea.set(deviceId, (entry = new RegistryEntry(areaId, deviceId, PLAIN)));
      } else {
        entry = new RegistryEntry(areaId, deviceId, {
          hidden,
          entityCategory,
          aliases: entryAliases,
          labels,
        });
      }
      entries.set(entityId, entry);
    }
    // Which entities' entries changed (one pass; most compare equal on a reload).
    const old = this.entriesById;
    let changedIds: Set<string> | undefined = new Set();
    const note = (entityId: string) => {
      changedIds?.add(entityId);
      if (changedIds !== undefined && changedIds.size > MAX_ENTITY_CHANGES) changedIds = undefined;
    };
    let kept = 0;
    entries.forEach((entry, entityId) => {
      const before = old.get(entityId);
      if (before !== undefined) kept++;
      if (before === undefined || !sameEntry(before, entry)) note(entityId);
    });
    // Removed entries, looked for only when there are some.
    if (kept < old.size)
      for (const entityId of old.keys()) if (!entries.has(entityId)) note(entityId);
    this.entriesById = entries;
    if (changedIds === undefined || changedIds.size > 0) this.changed(changedIds);
  }
}

/** What few entity registry entries have: hidden, a category, aliases or labels. */
interface Rare {
  readonly hidden: boolean;
  readonly entityCategory: string | undefined;
  readonly aliases: readonly string[];
  readonly labels: readonly string[];
}
/** Shared by every entry that is not hidden, has no category, no aliases and no labels. */
const PLAIN: Rare = Object.freeze({
  hidden: false,
  entityCategory: undefined,
  aliases: NONE,
  labels: NONE,
});

/**
 * An entity registry entry in 3 fields rather than 6: what most entries leave out is one
 * shared object (a large home has one of these per entity, or per area and device).
 */
class RegistryEntry implements EntityRegistryEntry {
  constructor(
    readonly areaId: string | undefined,
    readonly deviceId: string | undefined,
    private readonly more: Rare,
  ) {}

  get hidden(): boolean {
    return this.more.hidden;
  }

  get entityCategory(): string | undefined {
    return this.more.entityCategory;
  }

  get aliases(): readonly string[] {
    return this.more.aliases;
  }

  get labels(): readonly string[] {
    return this.more.labels;
  }
}
