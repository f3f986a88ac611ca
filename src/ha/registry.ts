import type { Area, Device, EntityRegistryEntry } from './types.js';

/** Raw shapes of HA's registry commands (HA components/config/*_registry.py). */
export interface RawArea {
  area_id: string;
  name: string;
  aliases?: string[];
}
export interface RawDevice {
  id: string;
  area_id?: string | null;
  name?: string | null;
  name_by_user?: string | null;
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
}
/** `homeassistant/expose_entity/list`: per entity, per assistant, whether it is exposed. */
export interface RawExposedList {
  exposed_entities: Record<string, Record<string, boolean>>;
}
export interface RawDisplayList {
  entity_categories?: Record<string, string>;
  entities: RawDisplayEntity[];
}

/** Areas, devices and entity registry entries: where an entity is and what else it is called. */
export class Registry {
  private areasById = new Map<string, Area>();
  private devicesById = new Map<string, Device>();
  private entriesById = new Map<string, EntityRegistryEntry>();
  private exposedIds: ReadonlySet<string> | undefined;
  private version = 0;

  get revision(): number {
    return this.version;
  }

  areas(): Area[] {
    return [...this.areasById.values()];
  }

  entry(entityId: string): EntityRegistryEntry | undefined {
    return this.entriesById.get(entityId);
  }

  /** Whether HA exposes the entity to its voice assistant; undefined when that is not loaded. */
  isExposed(entityId: string): boolean | undefined {
    return this.exposedIds?.has(entityId);
  }

  setExposed(entityIds: ReadonlySet<string> | undefined): void {
    this.exposedIds = entityIds;
    this.version++;
  }

  /** The entity's own area, else its device's area, as HA's UI shows it. */
  areaOf(entityId: string): Area | undefined {
    const entry = this.entriesById.get(entityId);
    if (entry === undefined) return undefined;
    const areaId =
      entry.areaId ?? (entry.deviceId ? this.devicesById.get(entry.deviceId)?.areaId : undefined);
    return areaId === undefined ? undefined : this.areasById.get(areaId);
  }

  setAreas(raw: readonly RawArea[]): void {
    this.areasById = new Map(
      raw.map((a) => [a.area_id, { areaId: a.area_id, name: a.name, aliases: a.aliases ?? [] }]),
    );
    this.version++;
  }

  setDevices(raw: readonly RawDevice[]): void {
    this.devicesById = new Map(
      raw.map((d) => [
        d.id,
        { id: d.id, areaId: d.area_id ?? undefined, name: d.name_by_user ?? d.name ?? d.id },
      ]),
    );
    this.version++;
  }

  setEntities(raw: RawDisplayList, aliases: ReadonlyMap<string, string[]> = new Map()): void {
    const categories = raw.entity_categories ?? {};
    this.entriesById = new Map(
      raw.entities.map((e) => [
        e.ei,
        {
          entityId: e.ei,
          areaId: e.ai ?? undefined,
          deviceId: e.di ?? undefined,
          name: e.en ?? undefined,
          hidden: e.hb === true,
          entityCategory: e.ec === undefined || e.ec === null ? undefined : categories[e.ec],
          aliases: aliases.get(e.ei) ?? [],
        },
      ]),
    );
    this.version++;
  }
}
