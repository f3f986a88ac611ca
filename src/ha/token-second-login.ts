import type { Logger } from '../logging/logger.js';
import { toHaError } from './errors.js';
import type { LoginGuard } from './login-guard.js';
import type { Credentials } from './socket.js';
import type { TokenHa } from './token-rotation.js';

/**
 * Credentials for one login with a given token on a second connection (a new token tried
 * before the switch, or the current one checked): the login guard hears how it went, and the
 * token manager's state is left alone.
 */
export function loginOnce(guard: LoginGuard): Credentials {
  return {
    token: () => ({ refused: 'unused' }),
    accepted: (token) => guard.accepted(token),
    rejected: (token) => {
      guard.rejected(token, 'bot');
      return false;
    },
  };
}

/**
 * HA counts failed logins per address until a login succeeds. After a new token was
 * rejected, one login with the token in use (its connection is open, so HA has not revoked
 * it) sets the count back to 0: failed rotations never add up towards a ban.
 */
export async function resetFailedLogins(
  ha: Pick<TokenHa, 'checkToken'> | undefined,
  current: string,
  guard: LoginGuard,
  log: Logger,
): Promise<void> {
  try {
    await ha?.checkToken(current, loginOnce(guard));
    log.debug("logged in once with the current token: HA's count of failed logins is reset");
  } catch (error) {
    log.debug({ err: toHaError(error).message }, 'could not log in once with the current token');
  }
}
