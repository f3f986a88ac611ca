import type { Logger } from '../logging/logger.js';
import { toHaError } from './errors.js';
import type { Credentials } from './socket.js';
import { inspectToken, lifespanDays } from './token.js';
import { rotatedLifespanDays } from './token-expiry.js';
import type { TokenHa } from './token-rotation.js';

/** What one self-rotation works with (the token manager's, see token-rotation.ts). */
export interface RotationSteps {
  ha: TokenHa;
  /** HA_TOKEN_FILE. */
  file: string;
  /** The token in use. */
  previous: string;
  now: () => number;
  log: Logger;
  notify: (title: string, text: string) => void;
  write: (path: string, token: string) => void;
  /** Credentials for one login with the new token on a second connection. */
  login: Credentials;
  /** Each token the bot comes to hold (to mask it in the log). */
  remember: (token: string) => void;
  /** The bot switched to the new token. */
  changed: (token: string) => void;
}

/**
 * `failed`: nothing changed (or it was undone), try again later; `rotated`: the new token is in
 * use (the previous one deleted, or the user told to delete it); `previous unknown`: the new
 * token is in use and the previous one could not be identified to delete.
 */
export type RotationOutcome = 'failed' | 'rotated' | 'previous unknown';

/** The client name of a token the bot makes for itself: recognisable, with its date. */
const rotatedTokenName = (now: number): string =>
  `ha-discord-bridge ${new Date(now).toISOString().slice(0, 19).replace('T', ' ')}`;

/**
 * Creates a new token for the bot's own user, writes it to HA_TOKEN_FILE, logs in with it
 * on a second connection and switches over, and only then deletes the previous token. A
 * failing step undoes what was done (the file, the new token) and the old token stays.
 */
export async function rotateToken(days: number, steps: RotationSteps): Promise<RotationOutcome> {
  const { ha, file, previous, log, notify, write } = steps;
  const claims = inspectToken(previous);
  const previousId = claims.ok ? claims.claims.refreshTokenId : undefined;
  const now = steps.now();
  const name = rotatedTokenName(now);
  const lifespan = rotatedLifespanDays(claims.ok ? lifespanDays(claims.claims) : undefined, days);
  log.info({ clientName: name, lifespanDays: lifespan }, 'rotating the Home Assistant token');
  const failed = (step: string, error: unknown, undone: string): void => {
    const text = `Self-rotation of the Home Assistant token failed while trying to ${step} (${toHaError(error).message}). ${undone} The bot keeps using the current token, which still works, and tries again in 6 hours.`;
    log.error(text);
    notify('Home Assistant token rotation failed', text);
  };
  let fresh: string;
  try {
    fresh = await ha.command<string>({
      type: 'auth/long_lived_access_token',
      client_name: name,
      lifespan,
    });
    if (typeof fresh !== 'string' || !inspectToken(fresh).ok) {
      if (typeof fresh === 'string') steps.remember(fresh);
      throw new Error('Home Assistant answered something that is not a token');
    }
  } catch (error) {
    failed('create a new token', error, 'Nothing was changed.');
    return 'failed';
  }
  steps.remember(fresh);
  const freshShape = inspectToken(fresh);
  const freshId = freshShape.ok ? freshShape.claims.refreshTokenId : undefined;
  const deleteFresh = async (): Promise<string> => {
    if (freshId === undefined)
      return `Delete the token "${name}" in Home Assistant (profile → Security).`;
    try {
      await ha.command({ type: 'auth/delete_refresh_token', refresh_token_id: freshId });
      return 'The new token was deleted again.';
    } catch {
      return `The new token "${name}" could not be deleted again: delete it in Home Assistant (profile → Security).`;
    }
  };
  try {
    write(file, fresh);
  } catch (error) {
    failed(`write it to ${file}`, error, await deleteFresh());
    return 'failed';
  }
  try {
    await ha.switchToken(fresh, steps.login);
  } catch (error) {
    let undone = `${file} holds the previous token again.`;
    try {
      write(file, previous);
    } catch (writeError) {
      undone = `${file} could not be given the previous token back (${(writeError as Error).message}): put it back by hand.`;
    }
    failed('log in with the new token', error, `${undone} ${await deleteFresh()}`);
    return 'failed';
  }
  steps.changed(fresh);
  if (previousId === undefined) {
    log.warn(
      'rotated the Home Assistant token; the previous one could not be identified: delete it in Home Assistant (profile → Security)',
    );
    return 'previous unknown';
  }
  try {
    await ha.command({ type: 'auth/delete_refresh_token', refresh_token_id: previousId });
  } catch (error) {
    const text = `Rotated the Home Assistant token: the bot uses the new one ("${name}"), but the previous token could not be deleted (${toHaError(error).message}). It still works for whoever holds it: delete it in Home Assistant (profile → Security → Long-lived access tokens).`;
    log.error(text);
    notify('Home Assistant token rotation incomplete', text);
    return 'rotated';
  }
  log.info(
    { clientName: name, lifespanDays: lifespan },
    'rotated the Home Assistant token: the new one is in use and in HA_TOKEN_FILE, the previous one is deleted',
  );
  return 'rotated';
}
