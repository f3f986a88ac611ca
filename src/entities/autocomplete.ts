import { COST, WorkBudget } from './bounds.js';
import type { CatalogEntry } from './catalog.js';
import type { GroupIndex } from './group-index.js';
import type { EntityGroup } from './groups.js';
import { searchIndexOf } from './search-index.js';
import { fuzzyQuery, search } from './search.js';
import { truncate } from './text.js';

export interface Choice {
  name: string;
  value: string;
}

// Discord's limits for autocomplete: 25 choices, 100 characters per name and value.
export const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;
/** Areas, floors and labels offered before the entities, at most. */
export const MAX_GROUP_CHOICES = 5;
/**
 * The entities of a group read, at most, to find one this person may use with this command
 * (a floor of sensors offers nothing to `/ha toggle`): a group found none among them is left
 * out. Each read is paid for from the query's budget.
 */
export const GROUP_MEMBERS_CHECKED = 1000;

/** A choice label a person recognises: "Kitchen Light (light.kitchen_light) · Kitchen · on". */
function label(entry: CatalogEntry, state: string | undefined): string {
  // Joined as it goes: no array of parts made per choice (25 per keystroke).
  let text = `${entry.name} (${entry.entityId})`;
  const area = entry.areaName;
  if (area) text += ` · ${area}`;
  if (state !== undefined) text += ` · ${state}`;
  return truncate(text, MAX_CHOICE_LENGTH);
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
  limit = MAX_CHOICES,
  /** Where the choices are added (autocompleteTargets' groups go first); a new list when absent. */
  into: Choice[] = [],
): Choice[] {
  const usable = (e: CatalogEntry) =>
    e.entityId.length <= MAX_CHOICE_LENGTH && !e.hidden && accept(e);
  const found = search(entries, typed.slice(0, 200), limit, usable, budget);
  for (let i = 0; i < found.length; i++) {
    const { entry } = found[i]!;
    into.push({ name: label(entry, stateOf(entry.entityId)), value: entry.entityId });
  }
  return into;
}

/** "Upstairs (floor)": marked, so a group is not taken for an entity of that name. */
export function groupChoice(group: EntityGroup): Choice | undefined {
  const value = `${group.type}:${group.id}`;
  if (value.length > MAX_CHOICE_LENGTH) return undefined;
  return { name: truncate(`${group.name} (${group.type})`, MAX_CHOICE_LENGTH), value };
}

/**
 * The choices for a target that may be an area, floor or label as well as an entity: the
 * groups whose name or an alias the typed words start (those with something this person may
 * use; the value `floor:<id>` resolves to exactly that group), then the entities. One budget
 * for both.
 */
export function autocompleteTargets(
  catalog: {
    list(): readonly CatalogEntry[];
    /** The list to search, its index built (EntityCatalog.searchable()); list() when absent. */
    searchable?(): readonly CatalogEntry[];
    groups(): GroupIndex;
  },
  typed: string,
  stateOf: (entityId: string) => string | undefined,
  accept: (e: CatalogEntry) => boolean = () => true,
  budget: WorkBudget = new WorkBudget(),
): Choice[] {
  const entries = catalog.searchable?.() ?? catalog.list();
  const folded = fuzzyQuery(typed.slice(0, 200));
  const groups: Choice[] = [];
  if (folded !== '') {
    const index = searchIndexOf(entries);
    for (const group of catalog.groups().matching(folded, MAX_GROUP_CHOICES, budget)) {
      const choice = groupChoice(group);
      if (choice && hasUsable(index.inGroup(group), accept, budget)) groups.push(choice);
    }
  }
  // The entities after the groups, in the same list: no copy of either.
  return autocompleteEntities(
    entries,
    typed,
    stateOf,
    accept,
    budget,
    MAX_CHOICES - groups.length,
    groups,
  );
}

function hasUsable(
  members: readonly CatalogEntry[],
  accept: (e: CatalogEntry) => boolean,
  budget: WorkBudget,
): boolean {
  const checked = Math.min(members.length, GROUP_MEMBERS_CHECKED);
  for (let i = 0; i < checked; i++) {
    if (!budget.charge(COST.visit)) return false;
    const e = members[i]!;
    if (e.inGroupTargets && accept(e)) return true;
  }
  return false;
}
