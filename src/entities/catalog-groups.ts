import type { Registry } from '../ha/registry.js';
import { sameGroup } from './catalog-diff.js';
import { areaGroup, floorGroup, labelGroup, type EntityGroup } from './groups.js';

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
