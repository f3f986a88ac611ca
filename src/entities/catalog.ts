import type { EntityStore } from '../ha/entity-store.js';
import type { Registry } from '../ha/registry.js';
import type { EntityState } from '../ha/types.js';
import { GroupIndex } from './group-index.js';
import { areaGroup, floorGroup, labelGroup, type EntityGroup } from './groups.js';
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
  /** Every folded field in one string: a word absent here matches no field (fast reject). */
  haystack: string;
  /** letterMask() of the name and id: rejects most abbreviations at once. */
  letters: number;
  /** letterMask() of the first characters of every word of the folded fields. */
  initials: number;
}

/** The searchable view of every entity; rebuilt only when names, areas or the entity set change. */
export class EntityCatalog {
  private entries: CatalogEntry[] = [];
  private byId = new Map<string, CatalogEntry>();
  private groupIndex = new GroupIndex([]);
  private builtFor = '';

  constructor(
    private readonly store: Pick<EntityStore, 'all' | 'get' | 'revision'>,
    private readonly registry: Pick<
      Registry,
      'areas' | 'floors' | 'labels' | 'groupsOf' | 'entry' | 'isExposed' | 'revision'
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

  /** Every area, floor and label. */
  groups(): GroupIndex {
    this.refresh();
    return this.groupIndex;
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
    // Many entities share an area: one folded copy of its name for all of them.
    const areaFolds = new Map<string, string>();
    const foldArea = (area: string): string => {
      let folded = areaFolds.get(area);
      if (folded === undefined) areaFolds.set(area, (folded = fold(area)));
      return folded;
    };
    const groups = new Groups(this.registry);
    for (const state of this.store.all()) {
      const entry = toEntry(state, this.registry, foldArea, groups);
      this.entries.push(entry);
      this.byId.set(entry.entityId, entry);
    }
    this.entries.sort(byId);
    this.groupIndex = new GroupIndex([
      ...groups.areas.values(),
      ...groups.floors.values(),
      ...groups.labels.values(),
    ]);
  }
}

/** The areas, floors and labels by id, and one shared key list per set of labels. */
class Groups {
  readonly areas: Map<string, EntityGroup>;
  readonly floors: Map<string, EntityGroup>;
  readonly labels: Map<string, EntityGroup>;
  private readonly labelKeySets = new Map<string, readonly string[]>();

  constructor(registry: Pick<Registry, 'areas' | 'floors' | 'labels'>) {
    this.areas = new Map(registry.areas().map((a) => [a.areaId, areaGroup(a)]));
    this.floors = new Map(registry.floors().map((f) => [f.floorId, floorGroup(f)]));
    this.labels = new Map(registry.labels().map((l) => [l.labelId, labelGroup(l)]));
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

function toEntry(
  state: EntityState,
  registry: Pick<Registry, 'groupsOf' | 'entry' | 'isExposed'>,
  foldArea: (name: string) => string,
  groups: Groups,
): CatalogEntry {
  const dot = state.entityId.indexOf('.');
  const domain = state.entityId.slice(0, dot);
  const objectId = state.entityId.slice(dot + 1);
  const friendly = state.attributes.friendly_name;
  const name = typeof friendly === 'string' && friendly.trim() !== '' ? friendly : objectId;
  const { area, floor, labelIds } = registry.groupsOf(state.entityId);
  const regEntry = registry.entry(state.entityId);
  const aliases = regEntry?.aliases ?? [];
  const folded = {
    id: fold(state.entityId),
    objectId: fold(objectId),
    name: fold(name),
    area: area ? foldArea(area.name) : '',
    aliases: aliases.map(fold),
  };
  return {
    entityId: state.entityId,
    domain,
    objectId,
    name,
    areaId: area?.areaId,
    areaName: area?.name,
    floorId: floor?.floorId,
    floorName: floor?.name,
    labelIds,
    areaKeys: area ? groups.areas.get(area.areaId)?.keys : undefined,
    floorKeys: floor ? groups.floors.get(floor.floorId)?.keys : undefined,
    labelKeys: groups.labelKeys(labelIds),
    aliases,
    hidden: regEntry?.hidden ?? false,
    exposed: registry.isExposed(state.entityId),
    folded,
    haystack: [folded.name, folded.id, folded.area, ...folded.aliases].join('|'),
    letters: letterMask(folded.name) | letterMask(folded.id),
    initials: initialsMask([folded.name, folded.id, folded.area, ...folded.aliases]),
  };
}

// localeCompare's order (the same collator), without building a collator per comparison.
const collator = new Intl.Collator();

/** Entries in the order of their entity ids, as `localeCompare` orders them. */
export function byId(a: Pick<CatalogEntry, 'entityId'>, b: Pick<CatalogEntry, 'entityId'>): number {
  return collator.compare(a.entityId, b.entityId);
}

// A word found in the name counts for more than one found in the id, which beats the area.
export const FIELD_WEIGHTS = { name: 1, aliases: 1, objectId: 0.95, id: 0.9, area: 0.7 } as const;

function initialsMask(texts: readonly string[]): number {
  let mask = 0;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      if (i === 0 || text[i - 1] === ' ') mask |= letterMask(text[i]!);
    }
  }
  return mask;
}

/**
 * A bitmask of the characters in `text`: bit i for letter i (a-z), and bits 26-31 for the
 * digits (two digits a bit). A word whose bits are not all in a text cannot be spelled
 * from it, which rejects most candidates before comparing strings.
 */
export function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const letter = code - 97;
    if (letter >= 0 && letter < 26) mask |= 1 << letter;
    else if (code >= 48 && code <= 57) mask |= 1 << (26 + ((code - 48) % 6));
  }
  return mask;
}
