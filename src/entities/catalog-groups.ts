import type { Registry } from '../ha/registry.js';
import type { Area, Floor } from '../ha/types.js';
import { sameGroup } from './catalog-diff.js';
import type { Kind, Naming } from './naming.js';
import { fold } from './text.js';
import { areaGroup, floorGroup, labelGroup, type EntityGroup } from './groups.js';

/**
 * Where an entry is, shared by every entry in the same area (and floor): in a large home most
 * of an entry's fields are its area's, and one object for them saves 40 bytes per entity.
 */
export interface Place {
  readonly areaId: string | undefined;
  readonly areaName: string | undefined;
  readonly floorId: string | undefined;
  readonly floorName: string | undefined;
  readonly areaKeys: readonly string[] | undefined;
  readonly floorKeys: readonly string[] | undefined;
  /** The area's name folded ('' with no area): what searching compares. */
  readonly foldedArea: string;
}

/** An entry's labels and their keys, shared by every entry with the same labels. */
export interface LabelSet {
  readonly labelIds: readonly string[];
  readonly labelKeys: readonly string[] | undefined;
}

const NO_LABELS: LabelSet = { labelIds: Object.freeze([]), labelKeys: undefined };

/** The areas, floors and labels by id, and one shared key list per set of labels. */
export class Groups {
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

  private readonly places = new Map<string, Place>();
  /** Nested by naming, place, labels, then flags (few of each: no key string made per entity). */
  private readonly kinds = new Map<Naming, Map<Place, Map<LabelSet, Map<number, Kind>>>>();

  /**
   * The one Kind of these (for entries whose Naming is their domain's shared one): a large home
   * has a few per area, not one per entity. Made anew with the groups, after a registry change.
   */
  kind(naming: Naming, place: Place, labels: LabelSet, flags: number): Kind {
    let byPlace = this.kinds.get(naming);
    if (byPlace === undefined)
      this.kinds.set(naming, (byPlace = new Map<Place, Map<LabelSet, Map<number, Kind>>>()));
    let byLabels = byPlace.get(place);
    if (byLabels === undefined)
      byPlace.set(place, (byLabels = new Map<LabelSet, Map<number, Kind>>()));
    let byFlags = byLabels.get(labels);
    if (byFlags === undefined) byLabels.set(labels, (byFlags = new Map<number, Kind>()));
    let kind = byFlags.get(flags);
    if (kind === undefined) byFlags.set(flags, (kind = { naming, place, labels, flags }));
    return kind;
  }

  private readonly labelSets = new Map<string, LabelSet>();

  /** The place of an entity in `area` (on `floor`): one object per area and floor. */
  place(area: Area | undefined, floor: Floor | undefined): Place {
    const key = `${area?.areaId ?? ''}\n${floor?.floorId ?? ''}`;
    const held = this.places.get(key);
    const areaKeys = area ? this.areas.get(area.areaId)?.keys : undefined;
    const floorKeys = floor ? this.floors.get(floor.floorId)?.keys : undefined;
    if (
      held !== undefined &&
      held.areaId === area?.areaId &&
      held.areaName === area?.name &&
      held.floorId === floor?.floorId &&
      held.floorName === floor?.name &&
      held.areaKeys === areaKeys &&
      held.floorKeys === floorKeys
    )
      return held;
    const place: Place = {
      areaId: area?.areaId,
      areaName: area?.name,
      floorId: floor?.floorId,
      floorName: floor?.name,
      areaKeys,
      floorKeys,
      foldedArea: area ? fold(area.name) : '',
    };
    this.places.set(key, place);
    return place;
  }

  /** These labels and their keys: one object (and one id list) per set of labels. */
  labelSet(labelIds: readonly string[]): LabelSet {
    if (labelIds.length === 0) return NO_LABELS;
    const key = labelIds.join('\n');
    const labelKeys = this.labelKeys(labelIds);
    const held = this.labelSets.get(key);
    if (held !== undefined && held.labelKeys === labelKeys) return held;
    const set: LabelSet = { labelIds, labelKeys };
    this.labelSets.set(key, set);
    return set;
  }

  /** The keys of these labels together; entities with the same labels share one list. */
  labelKeys(labelIds: readonly string[]): readonly string[] | undefined {
    if (labelIds.length === 0) return undefined;
    const key = labelIds.join('\n');
    let keys = this.labelKeySets.get(key);
    if (keys === undefined) {
      // Frozen: shared by the entries, and compared by identity (facts-cache.ts).
      keys = Object.freeze([...new Set(labelIds.flatMap((id) => this.labels.get(id)?.keys ?? []))]);
      this.labelKeySets.set(key, keys);
    }
    return keys;
  }
}
