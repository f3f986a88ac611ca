import { randomHex } from './clock.js';
import { jsonBytes, memberBytes, type JoinedJson } from './json-fragments.js';
import { domainOf } from './state-machine.js';
import type {
  FakeArea,
  FakeDevice,
  FakeFloor,
  FakeLabel,
  FakeRegistryEntry,
  FakeState,
} from './types.js';

/** Whether HA `version` ("2024.3.3") is `wanted` ("2024.4") or later. */
export function releaseAtLeast(version: string, wanted: string): boolean {
  const [year = 0, month = 0] = version.split('.').map(Number);
  const [wantedYear = 0, wantedMonth = 0] = wanted.split('.').map(Number);
  return year > wantedYear || (year === wantedYear && month >= wantedMonth);
}

/** HA's EntityCategory enum order: list_for_display sends the index. */
const ENTITY_CATEGORIES = ['config', 'diagnostic'];
const CATEGORIES_JSON = JSON.stringify(
  Object.fromEntries(ENTITY_CATEGORIES.map((category, i) => [String(i), category])),
);

/** An entry, the registry id HA gave it and its JSON, made when first asked. */
interface IndexedEntry {
  entry: FakeRegistryEntry;
  id: string;
  partial?: Buffer;
  display?: Buffer;
  /** `"<entity_id>":<extended dict>`, get_entries' key and value; the value from `valueAt`. */
  extended?: { member: Buffer; valueAt: number };
}

export type RegistryChange = { action: 'create' | 'update' | 'remove'; id: string };

/** What changed between two lists keyed by id, in the shape of HA's *_registry_updated events. */
export function registryChanges<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
): RegistryChange[] {
  const old = new Map(before.map((item) => [key(item), item]));
  const changes: RegistryChange[] = [];
  for (const item of after) {
    const previous = old.get(key(item));
    old.delete(key(item));
    if (previous === undefined) changes.push({ action: 'create', id: key(item) });
    else if (JSON.stringify(previous) !== JSON.stringify(item)) {
      changes.push({ action: 'update', id: key(item) });
    }
  }
  for (const id of old.keys()) changes.push({ action: 'remove', id });
  return changes;
}

/** HA 2025.4 stamps registry entries; the fake's are all made at this moment. */
const CREATED = 1_735_689_600;

/**
 * Areas, floors, labels, devices and entity registry entries, served in the websocket formats
 * of the release the fake plays: 2024.3's, or from 2024.4 on (floor aliases, floors and labels
 * on areas, labels on devices and entities) 2025.4's.
 */
export class Registries {
  areas: FakeArea[];
  devices: FakeDevice[];
  entries: FakeRegistryEntry[];
  floors: FakeFloor[];
  labels: FakeLabel[];
  /** HA 2024.3 lists floors and labels; 2024.4 assigns them and lists their assignments. */
  readonly hasFloors: boolean;
  readonly assignsFloors: boolean;
  private readonly ids = new Map<string, string>();
  private index: { of: readonly FakeRegistryEntry[]; byId: Map<string, IndexedEntry> } = {
    of: [],
    byId: new Map(),
  };

  constructor(
    areas: FakeArea[] = [],
    devices: FakeDevice[] = [],
    entries: FakeRegistryEntry[] = [],
    more: { floors?: FakeFloor[]; labels?: FakeLabel[]; haVersion?: string } = {},
  ) {
    this.areas = areas;
    this.devices = devices;
    this.entries = entries;
    this.floors = more.floors ?? [];
    this.labels = more.labels ?? [];
    const version = more.haVersion ?? '2024.3.3';
    this.hasFloors = releaseAtLeast(version, '2024.3');
    this.assignsFloors = releaseAtLeast(version, '2024.4');
    // Every entry's id is made now, as HA loads its registry before anyone asks.
    this.indexed();
  }

  /** `config/area_registry/list` */
  areaList(): Record<string, unknown>[] {
    return this.areas.map((area) => ({
      aliases: area.aliases ?? [],
      area_id: area.area_id,
      ...(this.assignsFloors
        ? {
            floor_id: area.floor_id ?? null,
            humidity_entity_id: null,
            labels: area.labels ?? [],
            temperature_entity_id: null,
            created_at: CREATED,
            modified_at: CREATED,
          }
        : {}),
      icon: null,
      name: area.name,
      picture: null,
    }));
  }

  /** `config/floor_registry/list` */
  floorList(): Record<string, unknown>[] {
    return this.floors.map((floor) => ({
      ...(this.assignsFloors
        ? { aliases: floor.aliases ?? [], created_at: CREATED, modified_at: CREATED }
        : {}),
      floor_id: floor.floor_id,
      icon: null,
      level: floor.level ?? null,
      name: floor.name,
    }));
  }

  /** `config/label_registry/list` */
  labelList(): Record<string, unknown>[] {
    return this.labels.map((label) => ({
      color: label.color ?? null,
      ...(this.assignsFloors ? { created_at: CREATED, modified_at: CREATED } : {}),
      description: null,
      icon: null,
      label_id: label.label_id,
      name: label.name,
    }));
  }

  /** What HA 2024.3 can hold: no floor on an area, no label on anything. */
  private labelsOf(item: { labels?: string[] }): string[] {
    return this.assignsFloors ? (item.labels ?? []) : [];
  }

  /** `config/device_registry/list` */
  deviceList(): Record<string, unknown>[] {
    return this.devices.map((device) => ({
      area_id: device.area_id ?? null,
      configuration_url: null,
      config_entries: [],
      ...(this.assignsFloors ? { config_entries_subentries: {} } : {}),
      connections: [],
      ...(this.assignsFloors ? { created_at: CREATED } : {}),
      disabled_by: null,
      entry_type: null,
      hw_version: null,
      id: device.id,
      identifiers: [['fake_ha', device.id]],
      labels: this.labelsOf(device),
      manufacturer: null,
      model: null,
      ...(this.assignsFloors ? { model_id: null, modified_at: CREATED } : {}),
      name_by_user: null,
      name: device.name,
      ...(this.assignsFloors ? { primary_config_entry: null } : {}),
      serial_number: null,
      sw_version: null,
      via_device_id: null,
    }));
  }

  /**
   * `config/entity_registry/list_for_display`: compact keys, optional ones left out when
   * empty (`ai`, `di`, `ec` as an index into `entity_categories`, `hb`, `en`). Joined from each
   * entry's cached JSON, as HA joins `display_json_repr`.
   */
  entityDisplayListJson(): JoinedJson {
    const parts = this.entries.map((entry) => {
      const indexed = this.indexedAs(entry);
      return (indexed.display ??= jsonBytes(this.displayEntry(entry)));
    });
    return { open: `{"entity_categories":${CATEGORIES_JSON},"entities":[`, parts, close: ']}' };
  }

  /** `config/entity_registry/list` (HA's `as_partial_dict`, joined as its `partial_json_repr`). */
  entityListJson(): JoinedJson {
    const parts = this.entries.map((entry) => {
      const indexed = this.indexedAs(entry);
      return (indexed.partial ??= jsonBytes(this.partialEntry(indexed)));
    });
    return { open: '[', parts, close: ']' };
  }

  /**
   * `config/entity_registry/get_entries`: extended entries, null for unknown ids, looked up by
   * id as HA's registry is a dict (the bot asks in batches of 500: 200 of them at 100,000
   * entities) and joined from each entry's cached JSON (HA caches `extended_dict`).
   */
  entityEntriesJson(entityIds: readonly string[]): JoinedJson {
    const byId = this.indexed();
    const seen = new Set<string>();
    const parts: Buffer[] = [];
    for (const entityId of entityIds) {
      // As a dict: a repeated id is one key.
      if (seen.has(entityId)) continue;
      seen.add(entityId);
      const indexed = byId.get(entityId);
      parts.push(
        indexed === undefined ? memberBytes(entityId, 'null') : this.extendedJson(indexed).member,
      );
    }
    return { open: '{', parts, close: '}' };
  }

  /** `config/entity_registry/get`: the extended entry in JSON, undefined if there is none. */
  entityEntryJson(entityId: string): JoinedJson | undefined {
    const indexed = this.indexed().get(entityId);
    if (indexed === undefined) return undefined;
    const { member, valueAt } = this.extendedJson(indexed);
    return { open: '', parts: [member.subarray(valueAt)], close: '' };
  }

  /**
   * Makes every entry's JSON that a client's start-up asks for (list_for_display, get_entries),
   * as an HA that has been running has it cached.
   */
  warm(): void {
    this.entityDisplayListJson();
    for (const indexed of this.indexed().values()) this.extendedJson(indexed);
  }

  /**
   * The entries by id with their JSON, for as long as the entry list is the same (a test
   * changes the registry by replacing the list, as HA replaces a changed, frozen entry): a
   * new list keeps the JSON of the entry objects it still holds and drops the rest.
   */
  private indexed(): Map<string, IndexedEntry> {
    if (this.index.of !== this.entries) {
      const old = this.index.byId;
      const byId = new Map<string, IndexedEntry>();
      for (const entry of this.entries) {
        const kept = old.get(entry.entity_id);
        byId.set(entry.entity_id, kept?.entry === entry ? kept : { entry, id: this.idOf(entry) });
      }
      this.index = { of: this.entries, byId };
    }
    return this.index.byId;
  }

  /** The entry's index record (one of its own if the list holds its id twice). */
  private indexedAs(entry: FakeRegistryEntry): IndexedEntry {
    const indexed = this.indexed().get(entry.entity_id);
    return indexed?.entry === entry ? indexed : { entry, id: this.idOf(entry) };
  }

  private extendedJson(indexed: IndexedEntry): NonNullable<IndexedEntry['extended']> {
    if (indexed.extended === undefined) {
      const key = `${JSON.stringify(indexed.entry.entity_id)}:`;
      const member = Buffer.from(key + JSON.stringify(this.extendedEntry(indexed)));
      indexed.extended = { member, valueAt: Buffer.byteLength(key) };
    }
    return indexed.extended;
  }

  private displayEntry(entry: FakeRegistryEntry): Record<string, unknown> {
    const display: Record<string, unknown> = { ei: entry.entity_id, pl: platformOf(entry) };
    if (entry.area_id != null) display.ai = entry.area_id;
    if (entry.device_id != null) display.di = entry.device_id;
    if (entry.entity_category != null) {
      display.ec = ENTITY_CATEGORIES.indexOf(entry.entity_category);
    }
    if (entry.hidden === true) display.hb = true;
    if (entry.name != null) display.en = entry.name;
    if (this.hasFloors) display.lb = this.labelsOf(entry);
    return display;
  }

  private extendedEntry(indexed: IndexedEntry): Record<string, unknown> {
    const dict = this.partialEntry(indexed);
    dict.aliases = indexed.entry.aliases ?? [];
    dict.capabilities = null;
    dict.device_class = null;
    dict.original_device_class = null;
    dict.original_icon = null;
    return dict;
  }

  /**
   * Entity ids a service target names: entity ids, or everything in an area or device, on a
   * floor or with a label (HA's helpers/service.py: a label reaches entities, devices and
   * areas).
   */
  resolveTarget(
    target: Record<string, unknown>,
    states: ReadonlyMap<string, FakeState>,
    domain: string | undefined,
  ): string[] {
    const found = new Set<string>();
    for (const entityId of idList(target.entity_id)) {
      if (entityId === 'all') {
        for (const id of states.keys())
          if (domain === undefined || domainOf(id) === domain) found.add(id);
      } else {
        found.add(entityId);
      }
    }
    const floorIds = new Set(idList(target.floor_id));
    const labelIds = new Set(idList(target.label_id));
    const labelled = (item: { labels?: string[] }) =>
      this.labelsOf(item).some((id) => labelIds.has(id));
    const areaIds = new Set([
      ...idList(target.area_id),
      ...this.areas
        .filter((a) => (this.assignsFloors && floorIds.has(a.floor_id ?? '')) || labelled(a))
        .map((a) => a.area_id),
    ]);
    const deviceIds = new Set([
      ...idList(target.device_id),
      ...this.devices.filter(labelled).map((d) => d.id),
    ]);
    const areaDeviceIds = new Set(
      this.devices.filter((d) => d.area_id != null && areaIds.has(d.area_id)).map((d) => d.id),
    );
    for (const entry of this.entries) {
      // As HA: area and device targets skip hidden and config/diagnostic entities, and an
      // entity with its own area is not in its device's area.
      if (entry.hidden === true || entry.entity_category != null) continue;
      const device = entry.device_id ?? undefined;
      if (
        labelled(entry) ||
        (entry.area_id != null && areaIds.has(entry.area_id)) ||
        (device !== undefined && deviceIds.has(device)) ||
        (device !== undefined && entry.area_id == null && areaDeviceIds.has(device))
      ) {
        found.add(entry.entity_id);
      }
    }
    return [...found];
  }

  /** Keys set one by one, in HA's order. */
  private partialEntry({ entry, id }: IndexedEntry): Record<string, unknown> {
    const since2024_4 = this.assignsFloors;
    const dict: Record<string, unknown> = { area_id: entry.area_id ?? null };
    if (since2024_4) dict.categories = {};
    dict.config_entry_id = null;
    if (since2024_4) {
      dict.config_subentry_id = null;
      dict.created_at = CREATED;
    }
    dict.device_id = entry.device_id ?? null;
    dict.disabled_by = null;
    dict.entity_category = entry.entity_category ?? null;
    dict.entity_id = entry.entity_id;
    dict.has_entity_name = false;
    dict.hidden_by = entry.hidden === true ? 'user' : null;
    dict.icon = null;
    dict.id = id;
    if (this.hasFloors) dict.labels = this.labelsOf(entry);
    if (since2024_4) dict.modified_at = CREATED;
    dict.name = entry.name ?? null;
    dict.options = {};
    dict.original_name = null;
    dict.platform = platformOf(entry);
    dict.translation_key = null;
    dict.unique_id = entry.entity_id;
    return dict;
  }

  /** The registry id HA gave the entity; it keeps it when its entry changes. */
  private idOf(entry: FakeRegistryEntry): string {
    let id = this.ids.get(entry.entity_id);
    if (id === undefined) {
      id = randomHex();
      this.ids.set(entry.entity_id, id);
    }
    return id;
  }
}

/** Helpers (input_boolean, input_number, ...) are their own platform; the rest is 'template'. */
function platformOf(entry: FakeRegistryEntry): string {
  if (entry.platform !== undefined) return entry.platform;
  const domain = domainOf(entry.entity_id);
  return domain.startsWith('input_') || domain === 'script' || domain === 'scene'
    ? domain
    : 'template';
}

/** HA's `comp_entity_ids`: a string (comma separated) or a list. */
export function idList(value: unknown): string[] {
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((id) => id.trim().toLowerCase())
      .filter((id) => id.length > 0);
  }
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}
