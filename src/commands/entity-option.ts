import type { AutocompleteInteraction } from 'discord.js';
import { autocompleteEntities, autocompleteTargets } from '../entities/autocomplete.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { plain } from '../discord/format.js';
import type { Action } from '../policy/schema.js';
import type { CommandContext } from './types.js';

/**
 * Autocomplete for an entity option: ranked fuzzy matches on id, name and area, of only the
 * entities this person may act on (the access policy's `action`), so nothing leaks by name.
 * With `groups`, the areas, floors and labels that hold such an entity come first.
 */
export async function respondWithEntities(
  interaction: AutocompleteInteraction,
  ctx: CommandContext,
  action: Action,
  usable: (entry: CatalogEntry) => boolean = () => true,
  groups = true,
): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const allowed = ctx.access.filter(interaction, action);
  const accept = (entry: CatalogEntry) => usable(entry) && allowed(entry);
  const stateOf = (id: string) => ctx.store.get(id)?.state;
  const choices = groups
    ? autocompleteTargets(ctx.catalog, typed, stateOf, accept)
    : autocompleteEntities(ctx.catalog.searchable(), typed, stateOf, accept);
  // Choices are plain text, but control and bidi characters in a name can still hide or
  // reorder what a choice says.
  await interaction.respond(choices.map((c) => ({ ...c, name: plain(c.name, 100) })));
}
