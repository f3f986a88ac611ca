import { newAlertId } from '../alerts/ids.js';
import type { Notice } from '../alerts/types.js';
import type { Logger } from '../logging/logger.js';
import type { HaClient } from './client.js';

/** HA's own troubleshooting words for a rejected long-lived access token. */
export function tokenRejectedText(url: string, haMessage: string): string {
  return [
    `Home Assistant at ${url} rejected the bot's access token (${haMessage}).`,
    'Usual causes: the token was deleted (revoked) or has expired; it was copied incompletely; or HA_URL points at a different Home Assistant instance than the one that issued it.',
    'Fix: in Home Assistant open your profile → Security → Long-lived access tokens, create a new token, put it in HA_TOKEN (or HA_TOKEN_FILE) and restart the bot.',
    'The bot will not retry with the rejected token: repeated failed logins can make Home Assistant ban this address.',
  ].join(' ');
}

/** Logs HA's connection life in plain words and tells the alert channel when the token is rejected. */
export function watchHaStatus(
  ha: Pick<HaClient, 'onStatus'>,
  opts: { url: string; log: Logger; notify: (notice: Notice) => void },
): () => void {
  let previous = '';
  return ha.onStatus((status) => {
    if (status.kind === previous) return;
    previous = status.kind;
    if (status.kind === 'auth_invalid') {
      const text = tokenRejectedText(opts.url, status.message);
      opts.log.error({ action: 'replace HA_TOKEN' }, text);
      opts.notify({ id: newAlertId(), title: 'Home Assistant rejected the token', text });
    }
  });
}
