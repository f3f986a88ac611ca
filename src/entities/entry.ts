import type { Registry } from '../ha/registry.js';
import type { EntityState } from '../ha/types.js';
import type { Groups, LabelSet, Place } from './catalog-groups.js';
import { PLAIN_ID } from './id-order.js';
import { initialsMask, letterMask } from './letter-masks.js';
import { NO_ALIASES, type Domains, type Kind, type Naming } from './naming.js';
import {
  exposureFlags,
  isExposed,
  isHidden,
  isInGroupTargets,
  registryFlags,
} from './registry-flags.js';
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
    return isExposed(this.flags);
  }

  get hidden(): boolean {
    return isHidden(this.flags);
  }

  get inGroupTargets(): boolean {
    return isInGroupTargets(this.flags);
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

/**
 * An entity as the alert rules and the access policy match it: where it is, and its device
 * class (the store has it), copied off its entry into a plain object, field by field. An
 * entry reads its area's fields through getters, which a spread would leave out; and a
 * spread of this object into another (with the device class) cost about 2.4 µs an entity
 * (100,000 in 450 ms against 210), a quarter to a third of matching the rules at start-up.
 */
export function subjectFacts(entry: CatalogEntry, deviceClass: string | undefined) {
  return {
    entityId: entry.entityId,
    domain: entry.domain,
    areaId: entry.areaId,
    areaName: entry.areaName,
    areaKeys: entry.areaKeys,
    floorKeys: entry.floorKeys,
    labelKeys: entry.labelKeys,
    deviceClass,
  };
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
