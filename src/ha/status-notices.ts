import type { Logger } from '../logging/logger.js';
import type { HaClient } from './client.js';
import { isBanCause } from './socket.js';
import { milestone } from '../logging/milestones.js';

/** A message for the alert channel about HA's connection (the caller gives it its id). */
export interface HaNotice {
  title: string;
  text: string;
}

/** Where a new token goes, and whether the bot takes it over without a restart. */
const putNewToken = (fromFile: boolean): string =>
  fromFile
    ? 'put it in HA_TOKEN_FILE: the bot switches to it at once, no restart needed'
    : 'put it in HA_TOKEN (or HA_TOKEN_FILE) and restart the bot';

/** HA's own troubleshooting words for a rejected long-lived access token. */
export function tokenRejectedText(url: string, haMessage: string, fromFile = false): string {
  return [
    `Home Assistant at ${url} rejected the bot's access token (${haMessage}).`,
    'Usual causes: the token was deleted (revoked) or has expired; it was copied incompletely; or HA_URL points at a different Home Assistant instance than the one that issued it.',
    `Fix: in Home Assistant open your profile → Security → Long-lived access tokens, create a new token and ${putNewToken(fromFile)}.`,
    'The bot will not retry with the rejected token: repeated failed logins can make Home Assistant ban this address.',
  ].join(' ');
}

/** The login guard kept the token back: `reason` says why and what to do. */
export function tokenNotSentText(url: string, reason: string): string {
  return `The bot did not log in to Home Assistant at ${url}: ${reason}`;
}

/** Logs HA's connection life in plain words and tells the alert channel when the token is rejected. */
export function watchHaStatus(
  ha: Pick<HaClient, 'onStatus'>,
  opts: { url: string; log: Logger; notify: (notice: HaNotice) => void; fromFile?: boolean },
): () => void {
  let previous = '';
  return ha.onStatus((status) => {
    if (status.kind === previous) return;
    previous = status.kind;
    if (status.kind === 'auth_invalid') {
      const notSent = status.notSent === true;
      const text = notSent
        ? tokenNotSentText(opts.url, status.message)
        : tokenRejectedText(opts.url, status.message, opts.fromFile);
      opts.log.error(
        {
          ...milestone('ha.token-rejected'),
          action: opts.fromFile ? 'replace HA_TOKEN_FILE' : 'replace HA_TOKEN',
        },
        text,
      );
      opts.notify({
        title: notSent ? 'Home Assistant token not sent' : 'Home Assistant rejected the token',
        text,
      });
    }
  });
}

/**
 * Tells the alert channel, once until HA is connected again, that HA has banned the bot's
 * address (its ban middleware answers 403 before any login); the log says so at each try.
 * Returns the listener for each failed connection attempt's cause, and `stop`.
 */
export function banNotices(
  ha: Pick<HaClient, 'onStatus'>,
  opts: { url: string; log: Logger; notify: (notice: HaNotice) => void },
): { unreachable: (cause: string) => void; stop: () => void } {
  let told = false;
  const stop = ha.onStatus((status) => {
    if (status.kind === 'connected') told = false;
  });
  const unreachable = (cause: string): void => {
    if (told || !isBanCause(cause)) return;
    told = true;
    const text = `Home Assistant at ${opts.url} refuses this address: ${cause}. Home Assistant bans an address after too many failed logins (http: ip_ban_enabled, login_attempts_threshold). Fix the token first (npm run doctor), then lift the ban; the bot reconnects by itself.`;
    opts.log.error(text);
    opts.notify({ title: 'Home Assistant banned the bot', text });
  };
  return { unreachable, stop };
}
