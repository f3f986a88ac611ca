import type { Registry } from '../ha/registry.js';
import type { EntityState } from '../ha/types.js';
import type { Groups } from './catalog-groups.js';
import { nameOf, type CatalogEntry } from './entry.js';
import { sameRegistryFlags } from './registry-flags.js';
import type { EntityGroup } from './groups.js';
import { byId, compareIds, insertById, sortById } from './id-order.js';

/**
 * The sorted list after `changed` entries were added, removed or made again: a few are
 * found by binary search in a copy of the list, many by one pass over it.
 */
export function reordered(
  entries: readonly CatalogEntry[],
  byEntityId: ReadonlyMap<string, CatalogEntry>,
  changed: ReadonlySet<string>,
  added: CatalogEntry[],
): CatalogEntry[] {
  let kept: CatalogEntry[];
  if (changed.size <= 64) {
    const isNew = new Set(added.map((e) => e.entityId));
    kept = entries.slice();
    for (const entityId of changed) {
      if (isNew.has(entityId)) continue;
      let lo = 0;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareIds(kept[mid]!.entityId, entityId) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (kept[lo]?.entityId !== entityId) continue;
      const current = byEntityId.get(entityId);
      if (current === undefined) kept.splice(lo, 1);
      else kept[lo] = current;
    }
  } else {
    // The old order, without the removed, with the entries made again.
    kept = [];
    for (const e of entries) {
      const current = byEntityId.get(e.entityId);
      if (current !== undefined) kept.push(current);
    }
  }
  return merge(kept, sortById(added));
}

/** Two sorted lists as one (a few new entries go in by binary search, many by merging). */
function merge(sorted: CatalogEntry[], more: readonly CatalogEntry[]): CatalogEntry[] {
  if (more.length === 0) return sorted;
  if (sorted.length === 0) return [...more];
  if (more.length <= 64) {
    for (const e of more) insertById(sorted, e);
    return sorted;
  }
  const out: CatalogEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < sorted.length && j < more.length) {
    out.push(byId(sorted[i]!, more[j]!) <= 0 ? sorted[i++]! : more[j++]!);
  }
  while (i < sorted.length) out.push(sorted[i++]!);
  while (j < more.length) out.push(more[j++]!);
  return out;
}

/** Whether `entry` still says what toEntry would make of the entity now (no folding needed). */
export function unchanged(
  entry: CatalogEntry,
  state: EntityState,
  registry: Pick<Registry, 'groupsOf' | 'entry' | 'isExposed'>,
  groups: Groups,
): boolean {
  if (entry.name !== nameOf(state, entry.objectId)) return false;
  const { area, floor, labelIds } = registry.groupsOf(state.entityId);
  if (entry.areaId !== area?.areaId || entry.areaName !== area?.name) return false;
  if (entry.floorId !== floor?.floorId || entry.floorName !== floor?.name) return false;
  if (!sameList(entry.labelIds, labelIds)) return false;
  // Key lists are shared, and kept across a registry change while their group is the same.
  if (entry.areaKeys !== (area ? groups.areas.get(area.areaId)?.keys : undefined)) return false;
  if (entry.floorKeys !== (floor ? groups.floors.get(floor.floorId)?.keys : undefined))
    return false;
  if (entry.labelKeys !== groups.labelKeys(labelIds)) return false;
  const regEntry = registry.entry(state.entityId);
  if (!sameRegistryFlags(entry, regEntry)) return false;
  if (registry.isExposed(state.entityId) !== entry.exposed) return false;
  return sameList(regEntry?.aliases ?? [], entry.aliases);
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameGroup(a: EntityGroup, b: EntityGroup): boolean {
  return (
    a.type === b.type &&
    a.name === b.name &&
    sameList(a.aliases, b.aliases) &&
    sameList(a.folded, b.folded) &&
    sameList(a.keys, b.keys)
  );
}
