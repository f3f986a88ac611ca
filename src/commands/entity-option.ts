import { autocompleteEntities, autocompleteTargets } from '../entities/autocomplete.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { plain } from '../discord/format.js';
import type { Action } from '../policy/schema.js';
import type { AutocompleteInput, Choice, CommandContext } from './types.js';

/**
 * Autocomplete for an entity option: ranked fuzzy matches on id, name and area, of only the
 * entities this person may act on (the access policy's `action`), so nothing leaks by name.
 * With `groups`, the areas, floors and labels that hold such an entity come first.
 */
export function entityChoices(
  input: AutocompleteInput,
  ctx: CommandContext,
  action: Action,
  usable: (entry: CatalogEntry) => boolean = () => true,
  groups = true,
): Choice[] {
  const typed = input.focused.value;
  const allowed = ctx.access.filter(input.caller, action);
  const accept = (entry: CatalogEntry) => usable(entry) && allowed(entry);
  const stateOf = (id: string) => ctx.store.get(id)?.state;
  const choices = groups
    ? autocompleteTargets(ctx.catalog, typed, stateOf, accept)
    : autocompleteEntities(ctx.catalog.searchable(), typed, stateOf, accept);
  // Choices are plain text, but control and bidi characters in a name can still hide or
  // reorder what a choice says. The choices were made for this reply: changed in place.
  for (const c of choices) c.name = plain(c.name, 100);
  return choices;
}
