import type { AutocompleteInteraction } from 'discord.js';
import { autocompleteEntities } from '../entities/autocomplete.js';
import type { CatalogEntry } from '../entities/catalog.js';
import type { CommandContext } from './types.js';

/** Autocomplete for an entity option: ranked fuzzy matches on id, name and area. */
export async function respondWithEntities(
  interaction: AutocompleteInteraction,
  ctx: CommandContext,
  accept?: (entry: CatalogEntry) => boolean,
): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const choices = autocompleteEntities(
    ctx.catalog.list(),
    typed,
    (id) => ctx.store.get(id)?.state,
    accept,
  );
  await interaction.respond(choices);
}
