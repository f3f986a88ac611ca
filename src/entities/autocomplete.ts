import { WorkBudget } from './bounds.js';
import type { CatalogEntry } from './catalog.js';
import { search } from './search.js';
import { truncate } from './text.js';

export interface Choice {
  name: string;
  value: string;
}

// Discord's limits for autocomplete: 25 choices, 100 characters per name and value.
export const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** A choice label a person recognises: "Kitchen Light (light.kitchen_light) · Kitchen · on". */
function label(entry: CatalogEntry, state: string | undefined): string {
  const parts = [`${entry.name} (${entry.entityId})`];
  if (entry.areaName) parts.push(entry.areaName);
  if (state !== undefined) parts.push(state);
  return truncate(parts.join(' · '), MAX_CHOICE_LENGTH);
}

/**
 * The choices for what has been typed so far. Entity ids longer than 100 characters
 * cannot be a choice value; such entities are left out rather than sent broken. Runs on
 * every keystroke, within one query's work budget (see bounds.ts).
 */
export function autocompleteEntities(
  entries: readonly CatalogEntry[],
  typed: string,
  stateOf: (entityId: string) => string | undefined,
  accept: (e: CatalogEntry) => boolean = () => true,
  budget: WorkBudget = new WorkBudget(),
): Choice[] {
  const usable = (e: CatalogEntry) =>
    e.entityId.length <= MAX_CHOICE_LENGTH && !e.hidden && accept(e);
  return search(entries, typed.slice(0, 200), MAX_CHOICES, usable, budget).map(({ entry }) => ({
    name: label(entry, stateOf(entry.entityId)),
    value: entry.entityId,
  }));
}
