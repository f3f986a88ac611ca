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
  /** Exposed to HA's voice assistant; undefined when the bot does not load that. */
  exposed: boolean | undefined;
  /** Folded forms, computed once per rebuild so a keystroke only compares strings. */
  folded: { id: string; objectId: string; name: string; area: string; aliases: string[] };
  /** Every distinct word of the folded fields with the weight of the best field it is in. */
  words: { word: string; weight: number }[];
  /** All folded fields run together, for abbreviation (subsequence) matches. */
  compact: string;
  /** Every folded field in one string: a word absent here matches no field (fast reject). */
  haystack: string;
  /** Bit i set when letter i (a-z) occurs in `compact`: rejects most abbreviations at once. */
  letters: number;
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
    private readonly registry: Pick<
      Registry,
      'areas' | 'areaOf' | 'entry' | 'isExposed' | 'revision'
    >,
  ) {}

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

function toEntry(
  state: EntityState,
  registry: Pick<Registry, 'areaOf' | 'entry' | 'isExposed'>,
): CatalogEntry {
  const dot = state.entityId.indexOf('.');
  const domain = state.entityId.slice(0, dot);
  const objectId = state.entityId.slice(dot + 1);
  const friendly = state.attributes.friendly_name;
  const name = typeof friendly === 'string' && friendly.trim() !== '' ? friendly : objectId;
  const area = registry.areaOf(state.entityId);
  const regEntry = registry.entry(state.entityId);
  const aliases = regEntry?.aliases ?? [];
  const folded = {
    id: fold(state.entityId),
    objectId: fold(objectId),
    name: fold(name),
    area: area ? fold(area.name) : '',
    aliases: aliases.map(fold),
  };
  const compact = `${folded.name} ${folded.id}`.replace(/ /g, '');
  return {
    entityId: state.entityId,
    domain,
    objectId,
    name,
    areaId: area?.areaId,
    areaName: area?.name,
    aliases,
    hidden: regEntry?.hidden ?? false,
    exposed: registry.isExposed(state.entityId),
    folded,
    words: wordsOf(folded),
    compact,
    haystack: [folded.name, folded.id, folded.area, ...folded.aliases].join('|'),
    letters: letterMask(compact),
  };
}

// A word found in the name counts for more than one found in the id, which beats the area.
export const FIELD_WEIGHTS = { name: 1, aliases: 1, objectId: 0.95, id: 0.9, area: 0.7 } as const;

function wordsOf(f: CatalogEntry['folded']): CatalogEntry['words'] {
  const best = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const word of text.split(' ')) {
      if (word !== '' && (best.get(word) ?? 0) < weight) best.set(word, weight);
    }
  };
  add(f.name, FIELD_WEIGHTS.name);
  for (const alias of f.aliases) add(alias, FIELD_WEIGHTS.aliases);
  add(f.id, FIELD_WEIGHTS.id);
  add(f.area, FIELD_WEIGHTS.area);
  return [...best].map(([word, weight]) => ({ word, weight }));
}

/** A bitmask of the letters a-z in `text`. */
export function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) mask |= 1 << c;
  }
  return mask;
}
