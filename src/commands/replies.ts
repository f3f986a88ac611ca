import type { CatalogEntry } from '../entities/catalog.js';
import { groupTypeTitle } from '../entities/groups.js';
import type { Resolution } from '../entities/resolver.js';
import { safe } from '../discord/format.js';
import type { HaError } from '../ha/errors.js';
import { isConnectionError } from '../ha/errors.js';
import type { HaStatus } from '../ha/types.js';
import type { CommandContext } from './types.js';

/** The words for HA being out of reach, or undefined when it is connected. */
export function unavailableText(status: HaStatus): string | undefined {
  switch (status.kind) {
    case 'connected':
      return undefined;
    case 'auth_invalid':
      return "Home Assistant rejected the bot's access token, so the bot cannot reach your home. The bot's owner needs to create a new long-lived access token in Home Assistant (profile → Security), put it in HA_TOKEN and restart the bot.";
    default:
      return 'Home Assistant is unreachable, reconnecting. Try again in a moment.';
  }
}

/**
 * Why a command that shows entities has nothing to show: the bot has not loaded a single
 * entity and HA is out of reach (words from unavailableText). Undefined otherwise.
 */
export function nothingLoadedText(ctx: Pick<CommandContext, 'catalog' | 'ha'>): string | undefined {
  return ctx.catalog.list().length === 0 ? unavailableText(ctx.ha.status) : undefined;
}

/** HA's errors in words a person understands, with HA's own reason where it gives one. */
export function describeHaError(error: HaError): string {
  const reason = error.message ? safe(error.message, 500) : '';
  if (isConnectionError(error) && error.code !== 'timeout') {
    return 'Home Assistant is unreachable, reconnecting. Try again in a moment.';
  }
  switch (error.code) {
    case 'timeout':
      return 'Home Assistant did not answer in time. It may be busy or restarting; try again in a moment.';
    case 'invalid_auth':
      return unavailableText({ kind: 'auth_invalid', message: '' })!;
    case 'not_found':
      return `Home Assistant could not find that: ${reason}`;
    case 'service_validation_error':
    case 'invalid_format':
      return `Home Assistant refused the request: ${reason}`;
    case 'unauthorized':
      return "The bot's Home Assistant user is not allowed to do that (a token has its user's permissions). An HA administrator can grant it.";
    case 'home_assistant_error':
      return `Home Assistant reported an error: ${reason}`;
    default:
      return `Home Assistant reported an error (${safe(error.code, 50)}): ${reason}`;
  }
}

/** The reply for a target that resolved to nothing usable, or undefined if it did. */
export function resolutionProblem(typed: string, r: Resolution, verb: string): string | undefined {
  const what = `'${safe(typed, 100)}'`;
  switch (r.kind) {
    case 'unknown': {
      const hint =
        r.suggestions.length > 0
          ? ` Closest: ${r.suggestions.map((e) => `${safe(e.name, 80)} (\`${e.entityId}\`)`).join(', ')}.`
          : ' Start typing and pick from the suggestions.';
      return `No entity, area, floor or label matches ${what}.${hint}`;
    }
    case 'unsupported':
      return `${safe(r.entry.name, 100)} (\`${r.entry.entityId}\`) is a ${r.entry.domain}: it cannot be ${verb} with this command.`;
    case 'empty_group':
      return `${groupTypeTitle(r.group.type)} ${safe(r.group.name, 100)} has nothing that can be ${verb}.`;
    default:
      return undefined;
  }
}

/** "1 entity", "3 entities": a resolution cut short by its work budget may offer just one. */
export const entityCount = (n: number): string => (n === 1 ? '1 entity' : `${n} entities`);

/** An ambiguous target where no menu can follow (the command carries data): name a few. */
export function ambiguityText(typed: string, candidates: readonly CatalogEntry[]): string {
  return `'${safe(typed, 100)}' matches ${entityCount(candidates.length)}: ${candidates
    .slice(0, 5)
    .map((e) => `\`${e.entityId}\``)
    .join(', ')}. Run the command again with the entity id.`;
}
