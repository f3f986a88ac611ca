import type { Registry } from '../ha/registry.js';
import type { EntityState } from '../ha/types.js';
import type { Groups, LabelSet, Place } from './catalog-groups.js';
import { PLAIN_ID } from './id-order.js';
import { fold, foldsTo } from './text.js';

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
  aliases: readonly string[];
  hidden: boolean;
  /**
   * Reached when a group is the target (an area, device, floor or label), as HA's targets
   * reach it: not hidden, and not a config or diagnostic entity (`entity_category`).
   */
  inGroupTargets: boolean;
  /** Exposed to HA's voice assistant; undefined when the bot does not load that. */
  exposed: boolean | undefined;
  /**
   * Folded forms, computed once per rebuild so a keystroke only compares strings. Each read
   * makes this object anew (an entry keeps no object for them): searching reads the fields
   * below.
   */
  readonly folded: { id: string; objectId: string; name: string; area: string; aliases: string[] };
  readonly foldedName: string;
  readonly foldedId: string;
  /** Most often the folded name itself. */
  readonly foldedObjectId: string;
  /** The area's, shared by every entry in it. */
  readonly foldedArea: string;
  readonly foldedAliases: string[];
  /** letterMask() of the name and id: rejects most abbreviations at once. */
  letters: number;
  /** letterMask() of the first characters of every word of the folded fields. */
  initials: number;
}

export function nameOf(state: EntityState, objectId: string): string {
  const friendly = state.attributes.friendly_name;
  return typeof friendly === 'string' && friendly.trim() !== '' ? friendly : objectId;
}

/**
 * A CatalogEntry with every field set in its constructor: its fields all sit in the object
 * (an object literal this large keeps some in a separate array). In a large home every byte
 * per entity counts: the area's and floor's fields are one shared Place, the labels' one
 * shared LabelSet, and the object id is read off the entity id when asked (the entry is 11
 * fields, not 18, and holds no string of its own for the object id). Its folded forms are
 * fields of its own too, not a second object: the folded area is its Place's, and the folded
 * object id (when it differs from the folded name) and aliases, which few entities have, sit
 * in one shared object for all the others.
 */
class Entry implements CatalogEntry {
  constructor(
    readonly entityId: string,
    readonly domain: string,
    readonly name: string,
    private readonly place: Place,
    private readonly labels: LabelSet,
    /** HIDDEN | CATEGORIZED from the entity registry, EXPOSURE_KNOWN | EXPOSED. */
    private readonly flags: number,
    readonly foldedName: string,
    readonly foldedId: string,
    private readonly rare: RareFolded,
    readonly letters: number,
    readonly initials: number,
  ) {}

  get folded(): CatalogEntry['folded'] {
    return {
      id: this.foldedId,
      objectId: this.foldedObjectId,
      name: this.foldedName,
      area: this.foldedArea,
      aliases: this.foldedAliases,
    };
  }

  get foldedObjectId(): string {
    return this.rare.objectId ?? this.foldedName;
  }

  get foldedArea(): string {
    return this.place.foldedArea;
  }

  get foldedAliases(): string[] {
    return this.rare.aliases;
  }

  get aliases(): readonly string[] {
    return this.rare.shownAliases;
  }

  get exposed(): boolean | undefined {
    return (this.flags & EXPOSURE_KNOWN) === 0 ? undefined : (this.flags & EXPOSED) !== 0;
  }

  get hidden(): boolean {
    return (this.flags & HIDDEN) !== 0;
  }

  get inGroupTargets(): boolean {
    return (this.flags & (HIDDEN | CATEGORIZED)) === 0;
  }

  get objectId(): string {
    return this.entityId.slice(this.domain.length + 1);
  }

  get areaId(): string | undefined {
    return this.place.areaId;
  }

  get areaName(): string | undefined {
    return this.place.areaName;
  }

  get floorId(): string | undefined {
    return this.place.floorId;
  }

  get floorName(): string | undefined {
    return this.place.floorName;
  }

  get areaKeys(): readonly string[] | undefined {
    return this.place.areaKeys;
  }

  get floorKeys(): readonly string[] | undefined {
    return this.place.floorKeys;
  }

  get labelIds(): readonly string[] {
    return this.labels.labelIds;
  }

  get labelKeys(): readonly string[] | undefined {
    return this.labels.labelKeys;
  }
}

const HIDDEN = 1;
/** A config or diagnostic entity: HA's area, device, floor and label targets leave it out. */
const CATEGORIZED = 2;
/** Whether HA exposes the entity to its voice assistant is loaded (access.exposed_only)... */
const EXPOSURE_KNOWN = 4;
/** ...and it does. */
const EXPOSED = 8;

function exposureFlags(exposed: boolean | undefined): number {
  if (exposed === undefined) return 0;
  return exposed ? EXPOSURE_KNOWN | EXPOSED : EXPOSURE_KNOWN;
}

/** What an entry keeps of its registry entry besides names and places, as one small number. */
export function registryFlags(
  regEntry: { hidden: boolean; entityCategory: string | undefined } | undefined,
): number {
  if (regEntry === undefined) return 0;
  return (regEntry.hidden ? HIDDEN : 0) | (regEntry.entityCategory !== undefined ? CATEGORIZED : 0);
}

/**
 * Where an entity is, as the alert rules and the access policy match it, copied off its entry
 * into a plain object: an entry reads its area's fields through getters, which a spread would
 * leave out.
 */
export function placeFacts(entry: CatalogEntry) {
  return {
    entityId: entry.entityId,
    domain: entry.domain,
    areaId: entry.areaId,
    areaName: entry.areaName,
    areaKeys: entry.areaKeys,
    floorKeys: entry.floorKeys,
    labelKeys: entry.labelKeys,
  };
}

/** Whether `entry` still behaves as its registry entry now says (hidden, in group targets). */
export function sameRegistryFlags(
  entry: Pick<CatalogEntry, 'hidden' | 'inGroupTargets'>,
  regEntry: Parameters<typeof registryFlags>[0],
): boolean {
  const flags = registryFlags(regEntry);
  return entry.hidden === ((flags & HIDDEN) !== 0) && entry.inGroupTargets === (flags === 0);
}

/** Shared by every entry without aliases (never changed: a new list is made for an entry). */
const NO_ALIASES: string[] = [];

/** An entry's folded object id when it is not its folded name, and its aliases, folded and not. */
interface RareFolded {
  readonly objectId: string | undefined;
  readonly aliases: string[];
  readonly shownAliases: readonly string[];
}
/** Shared by every entry whose folded object id is its folded name and that has no aliases. */
const COMMON: RareFolded = { objectId: undefined, aliases: NO_ALIASES, shownAliases: NO_ALIASES };

type Folded = Pick<CatalogEntry, 'foldedName' | 'foldedId' | 'foldedArea' | 'foldedAliases'>;

/**
 * Every folded field of an entry in one string ('|' between them): a word absent here
 * matches no field. The search index keeps these, one after another, in one string.
 */
export function haystackOf(e: Folded): string {
  return e.foldedAliases.length === 0
    ? `${e.foldedName}|${e.foldedId}|${e.foldedArea}`
    : [e.foldedName, e.foldedId, e.foldedArea, ...e.foldedAliases].join('|');
}

/** Whether `word` (no ' ' or '|' in it) is in one of the entry's folded fields. */
export function inFields(e: Folded, word: string): boolean {
  const aliases = e.foldedAliases;
  return (
    e.foldedName.includes(word) ||
    e.foldedId.includes(word) ||
    e.foldedArea.includes(word) ||
    (aliases.length > 0 && aliases.some((a) => a.includes(word)))
  );
}

/** fold(`${domain}.${objectId}`) from the folded halves of an id of HA's characters. */
function joinFolded(domain: string, objectId: string): string {
  if (domain === '') return objectId;
  if (objectId === '') return domain;
  return `${domain} ${objectId}`;
}

export function toEntry(
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
  const foldedObjectId = foldsTo(objectId, foldedName) ? foldedName : fold(objectId);
  // An id of HA's characters folds as its domain and object id (one fold fewer per entity).
  const foldedId = PLAIN_ID.test(state.entityId)
    ? joinFolded(foldShared(domain), foldedObjectId)
    : fold(state.entityId);
  // In a large home every byte per entity counts (see CONTRIBUTING.md, memory): a name that
  // folds like the object id (most do) is one string, and no aliases one shared list.
  const foldedAliases = aliases.length === 0 ? NO_ALIASES : aliases.map(fold);
  const rare =
    foldedObjectId === foldedName && foldedAliases.length === 0
      ? COMMON
      : {
          objectId: foldedObjectId === foldedName ? undefined : foldedObjectId,
          aliases: foldedAliases,
          shownAliases: aliases,
        };
  const place = groups.place(area, floor);
  return new Entry(
    state.entityId,
    intern(domain),
    name,
    place,
    groups.labelSet(labelIds),
    registryFlags(regEntry) | exposureFlags(registry.isExposed(state.entityId)),
    foldedName,
    foldedId,
    rare,
    letterMask(foldedName) | letterMask(foldedId),
    initialsMask(foldedName) |
      initialsMask(foldedId) |
      initialsMask(place.foldedArea) |
      foldedAliases.reduce((mask, alias) => mask | initialsMask(alias), 0),
  );
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
