import type { CatalogEntry } from './entry.js';

// What a catalog entry keeps of its entity registry entry besides names and places, and of
// HA's voice-assistant exposure, as one small number (a large home has one per entity).

/** Hidden in HA. */
const HIDDEN = 1;
/** A config or diagnostic entity: HA's area, device, floor and label targets leave it out. */
const CATEGORIZED = 2;
/** Whether HA exposes the entity to its voice assistant is loaded (access.exposed_only)... */
const EXPOSURE_KNOWN = 4;
/** ...and it does. */
const EXPOSED = 8;

export function exposureFlags(exposed: boolean | undefined): number {
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

/** Whether HA exposes the entity to its voice assistant: undefined when that is not loaded. */
export function isExposed(flags: number): boolean | undefined {
  return (flags & EXPOSURE_KNOWN) === 0 ? undefined : (flags & EXPOSED) !== 0;
}

export function isHidden(flags: number): boolean {
  return (flags & HIDDEN) !== 0;
}

/** Whether HA's area, device, floor and label targets take the entity in. */
export function isInGroupTargets(flags: number): boolean {
  return (flags & (HIDDEN | CATEGORIZED)) === 0;
}

/** Whether `entry` still behaves as its registry entry now says (hidden, in group targets). */
export function sameRegistryFlags(
  entry: Pick<CatalogEntry, 'hidden' | 'inGroupTargets'>,
  regEntry: Parameters<typeof registryFlags>[0],
): boolean {
  const flags = registryFlags(regEntry);
  return entry.hidden === isHidden(flags) && entry.inGroupTargets === isInGroupTargets(flags);
}
