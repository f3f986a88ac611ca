import type { EntityStore } from '../ha/entity-store.js';
import type { Registry } from '../ha/registry.js';
import type { Area, EntityState } from '../ha/types.js';
import { fold } from './text.js';

/** One entity as a person knows it: its id, the names it goes by and where it is. */
export interface CatalogEntry {
  entityId: string;
  domain: string;
  objectId: string;
  name: string;
  areaId: string | undefined;
  areaName: string | undefined;
  aliases: string[];
  hidden: boolean;
  /** Folded forms, computed once per rebuild so a keystroke only compares strings. */
  folded: { id: string; objectId: string; name: string; area: string; aliases: string[] };
}

export interface CatalogArea {
  area: Area;
  folded: string[];
}

/** The searchable view of every entity; rebuilt only when names, areas or the entity set change. */
export class EntityCatalog {
  private entries: CatalogEntry[] = [];
  private byId = new Map<string, CatalogEntry>();
  private areaList: CatalogArea[] = [];
  private builtFor = '';

  constructor(
    private readonly store: Pick<EntityStore, 'all' | 'get' | 'revision'>,
    private readonly registry: Pick<Registry, 'areas' | 'areaOf' | 'entry' | 'revision'>,
  ) {}

  list(): readonly CatalogEntry[] {
    this.refresh();
    return this.entries;
  }

  get(entityId: string): CatalogEntry | undefined {
    this.refresh();
    return this.byId.get(entityId);
  }

  areas(): readonly CatalogArea[] {
    this.refresh();
    return this.areaList;
  }

  state(entityId: string): EntityState | undefined {
    return this.store.get(entityId);
  }

  private refresh(): void {
    const key = `${this.store.revision}:${this.registry.revision}`;
    if (key === this.builtFor) return;
    this.builtFor = key;
    this.entries = [];
    this.byId = new Map();
    for (const state of this.store.all()) {
      const entry = toEntry(state, this.registry);
      this.entries.push(entry);
      this.byId.set(entry.entityId, entry);
    }
    this.entries.sort((a, b) => a.entityId.localeCompare(b.entityId));
    this.areaList = this.registry
      .areas()
      .map((area) => ({ area, folded: [area.name, ...area.aliases].map(fold) }));
  }
}

function toEntry(state: EntityState, registry: Pick<Registry, 'areaOf' | 'entry'>): CatalogEntry {
  const dot = state.entityId.indexOf('.');
  const domain = state.entityId.slice(0, dot);
  const objectId = state.entityId.slice(dot + 1);
  const friendly = state.attributes.friendly_name;
  const name = typeof friendly === 'string' && friendly.trim() !== '' ? friendly : objectId;
  const area = registry.areaOf(state.entityId);
  const regEntry = registry.entry(state.entityId);
  const aliases = regEntry?.aliases ?? [];
  return {
    entityId: state.entityId,
    domain,
    objectId,
    name,
    areaId: area?.areaId,
    areaName: area?.name,
    aliases,
    hidden: regEntry?.hidden ?? false,
    folded: {
      id: fold(state.entityId),
      objectId: fold(objectId),
      name: fold(name),
      area: area ? fold(area.name) : '',
      aliases: aliases.map(fold),
    },
  };
}
