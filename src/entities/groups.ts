import type { Area, Floor, Label } from '../ha/types.js';
import { fold } from './text.js';

/**
 * What HA's `area_id`, `floor_id` and `label_id` service targets name: an area, a floor (the
 * areas on it) or a label (the entities, devices and areas carrying it). Not HA's `group`
 * domain, which is an entity like any other.
 */
export type GroupType = 'area' | 'floor' | 'label';

export interface EntityGroup {
  type: GroupType;
  id: string;
  name: string;
  aliases: readonly string[];
  /** The folded name, then the folded aliases: what a typed name is compared with. */
  folded: readonly string[];
  /** Its id, name and aliases in lower case: what a config list (`floors: [Upstairs]`) matches. */
  keys: readonly string[];
}

function group(type: GroupType, id: string, name: string, aliases: readonly string[]) {
  return {
    type,
    id,
    name,
    aliases,
    folded: [name, ...aliases].map(fold),
    // Frozen: shared by every entry of the group, and compared by identity (facts-cache.ts).
    keys: Object.freeze([...new Set([id, name, ...aliases].map((k) => k.toLowerCase()))]),
  };
}

export const areaGroup = (a: Area): EntityGroup => group('area', a.areaId, a.name, a.aliases);
export const floorGroup = (f: Floor): EntityGroup => group('floor', f.floorId, f.name, f.aliases);
export const labelGroup = (l: Label): EntityGroup => group('label', l.labelId, l.name, []);

/** "area Kitchen", "floor Upstairs", "label Christmas lights". */
export function describeGroup(g: Pick<EntityGroup, 'type' | 'name'>): string {
  return `${g.type} ${g.name}`;
}

/** "Area", "Floor", "Label". */
export function groupTypeTitle(type: GroupType): string {
  return `${type[0]!.toUpperCase()}${type.slice(1)}`;
}

/**
 * Matchers by the very list they were compiled from (a pure memo, as compileWatchList): the
 * access policy asks about every entity on every autocomplete keystroke.
 */
const compiled = new WeakMap<readonly string[], (keys: readonly string[] | undefined) => boolean>();

/**
 * A test for a config list of area, floor or label names, aliases or ids (`areas: [Kitchen]`,
 * `floors: [upstairs]`, `labels: [Guest OK]`), in any case, against an entity's `*Names`.
 */
export function compileNameList(
  names: readonly string[],
): (keys: readonly string[] | undefined) => boolean {
  let matcher = compiled.get(names);
  if (matcher === undefined) {
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    matcher = (keys) => keys !== undefined && keys.some((k) => wanted.has(k));
    compiled.set(names, matcher);
  }
  return matcher;
}
