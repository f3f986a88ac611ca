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
  /**
   * Made on each read for most entries (see idHead): searching reads idHead and idTail, which
   * are held, instead.
   */
  readonly foldedId: string;
  /**
   * The folded id in two held parts: foldedId is `${idHead} ${idTail}` (most entries: the
   * folded domain, and the folded object id), or idHead itself when idTail is ''. Neither part
   * has a space at its ends, so a word (no space in it) is in foldedId exactly when it is in
   * one of them, and foldedId's words are theirs.
   */
  readonly idHead: string;
  readonly idTail: string;
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
 * per entity counts, so an entry holds 6 fields, not 18, and the rest is shared or derived:
 * - its Kind, shared by the entries that have all of it alike (most of an area's entries of a
 *   domain): the area's and floor's fields (one Place, with the folded area), the labels (one
 *   LabelSet), the registry's flags, and the domain's part (Naming);
 * - its Naming: the domain and the head of the folded id, one object for every entry of the
 *   domain; an entry whose folded object id is not its folded name, that has aliases or
 *   whose id is not of HA's characters (few are) has one of its own that holds them;
 * - the object id, read off the entity id when asked.
 */
class Entry implements CatalogEntry {
  constructor(
    readonly entityId: string,
    readonly name: string,
    readonly foldedName: string,
    private readonly kind: Kind,
    readonly letters: number,
    readonly initials: number,
  ) {}

  private get naming(): Naming {
    return this.kind.naming;
  }

  private get place(): Place {
    return this.kind.place;
  }

  private get labels(): LabelSet {
    return this.kind.labels;
  }

  private get flags(): number {
    return this.kind.flags;
  }

  get domain(): string {
    return this.naming.domain;
  }

  get idHead(): string {
    return this.naming.idHead;
  }

  get idTail(): string {
    return this.naming.split ? this.foldedObjectId : '';
  }

  get foldedId(): string {
    const tail = this.idTail;
    return tail === '' ? this.naming.idHead : `${this.naming.idHead} ${tail}`;
  }

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
    return this.naming.objectId ?? this.foldedName;
  }

  get foldedArea(): string {
    return this.place.foldedArea;
  }

  get foldedAliases(): string[] {
    return this.naming.aliases;
  }

  get aliases(): readonly string[] {
    return this.naming.shownAliases;
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

/**
 * An entry's domain and the head of its folded id; and its folded object id when it is not
 * its folded name, and its aliases, folded and not. One object for every entry of a domain
 * whose id is of HA's characters (a-z, 0-9, '_', '.', '-': its folded id is the folded
 * domain, ' ', the folded object id), whose folded object id is its folded name and that has
 * no aliases: most entries (see Domains).
 */
export interface Naming {
  readonly domain: string;
  readonly foldedDomain: string;
  /** The folded domain when the folded object id follows it (`split`), else the whole folded id. */
  readonly idHead: string;
  readonly split: boolean;
  readonly objectId: string | undefined;
  readonly aliases: string[];
  readonly shownAliases: readonly string[];
}

/** Where an entry is, its labels, registry flags and domain's part: shared (see Groups.kind). */
export interface Kind {
  readonly naming: Naming;
  readonly place: Place;
  readonly labels: LabelSet;
  /** HIDDEN | CATEGORIZED from the entity registry, EXPOSURE_KNOWN | EXPOSED. */
  readonly flags: number;
}

/**
 * One Naming per domain for the entries that have nothing of their own in it, and one copy of
 * each domain's name and folded name: kept by the catalog from one update to the next.
 */
export class Domains {
  private readonly byName = new Map<string, Naming>();

  /** The shared Naming of `domain` (its name as held by the first entry of it). */
  of(domain: string): Naming {
    let naming = this.byName.get(domain);
    if (naming === undefined) {
      const foldedDomain = fold(domain);
      naming = {
        domain,
        foldedDomain,
        idHead: foldedDomain,
        split: true,
        objectId: undefined,
        aliases: NO_ALIASES,
        shownAliases: NO_ALIASES,
      };
      this.byName.set(domain, naming);
    }
    return naming;
  }
}

type Folded = Pick<
  CatalogEntry,
  'foldedName' | 'idHead' | 'idTail' | 'foldedArea' | 'foldedAliases'
>;

/**
 * Every folded field of an entry in one string ('|' between them): a word (no ' ' or '|' in
 * it) absent here matches no field. The search index keeps these, one after another, in one
 * string. The id is its two parts (see idHead), and its tail is left out when it is the
 * name, which comes first (most entries: "kitchen light|light|kitchen" for light.kitchen_light
 * named Kitchen Light in the Kitchen): the same words, in the same order of first appearance,
 * in a string a third shorter.
 */
export function haystackOf(e: Folded): string {
  const tail = e.idTail;
  const id = tail === '' || tail === e.foldedName ? e.idHead : `${e.idHead}|${tail}`;
  return e.foldedAliases.length === 0
    ? `${e.foldedName}|${id}|${e.foldedArea}`
    : [e.foldedName, id, e.foldedArea, ...e.foldedAliases].join('|');
}

/** Whether `word` (no ' ' or '|' in it) is in one of the entry's folded fields. */
export function inFields(e: Folded, word: string): boolean {
  const aliases = e.foldedAliases;
  return (
    e.foldedName.includes(word) ||
    e.idHead.includes(word) ||
    (e.idTail !== '' && e.idTail.includes(word)) ||
    e.foldedArea.includes(word) ||
    (aliases.length > 0 && someIncludes(aliases, word))
  );
}

/** aliases.some((a) => a.includes(word)), without a closure made per entry read. */
function someIncludes(texts: readonly string[], word: string): boolean {
  for (let i = 0; i < texts.length; i++) if (texts[i]!.includes(word)) return true;
  return false;
}

export function toEntry(
  state: EntityState,
  registry: Pick<Registry, 'groupsOf' | 'entry' | 'isExposed'>,
  groups: Groups,
  domains: Domains,
): CatalogEntry {
  const dot = state.entityId.indexOf('.');
  const objectId = state.entityId.slice(dot + 1);
  const name = nameOf(state, objectId);
  const { area, floor, labelIds } = registry.groupsOf(state.entityId);
  const regEntry = registry.entry(state.entityId);
  const aliases = regEntry?.aliases ?? NO_ALIASES;
  const foldedName = fold(name);
  const foldedObjectId = foldsTo(objectId, foldedName) ? foldedName : fold(objectId);
  const shared = domains.of(state.entityId.slice(0, dot));
  // An id of HA's characters folds as its domain and object id (one fold fewer per entity),
  // and is not held: the entry's Naming has its folded domain (see Entry.idTail).
  const plain = PLAIN_ID.test(state.entityId);
  const split = plain && shared.foldedDomain !== '' && foldedObjectId !== '';
  // In a large home every byte per entity counts (see CONTRIBUTING.md, memory): a name that
  // folds like the object id (most do) is one string, and no aliases one shared list.
  const foldedAliases = aliases.length === 0 ? NO_ALIASES : aliases.map(fold);
  const naming: Naming =
    split && foldedObjectId === foldedName && foldedAliases.length === 0
      ? shared
      : {
          domain: shared.domain,
          foldedDomain: shared.foldedDomain,
          // As fold(entityId) for an id of HA's characters: '' and a folded object id of
          // its own or none, the other part alone.
          idHead: split
            ? shared.foldedDomain
            : plain
              ? shared.foldedDomain === ''
                ? foldedObjectId
                : shared.foldedDomain
              : fold(state.entityId),
          split,
          objectId: foldedObjectId === foldedName ? undefined : foldedObjectId,
          aliases: foldedAliases,
          shownAliases: aliases,
        };
  const place = groups.place(area, floor);
  const labels = groups.labelSet(labelIds);
  const flags = registryFlags(regEntry) | exposureFlags(registry.isExposed(state.entityId));
  return new Entry(
    state.entityId,
    name,
    foldedName,
    naming === shared
      ? groups.kind(naming, place, labels, flags)
      : { naming, place, labels, flags },
    letterMask(foldedName) | letterMask(naming.idHead) | (split ? letterMask(foldedObjectId) : 0),
    initialsMask(foldedName) |
      initialsMask(naming.idHead) |
      (split ? initialsMask(foldedObjectId) : 0) |
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
