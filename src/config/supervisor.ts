/**
 * Inside a Home Assistant add-on the Supervisor gives the bot a token (SUPERVISOR_TOKEN) and
 * proxies HA's API: REST under http://supervisor/core/api/ and the websocket at
 * ws://supervisor/core/websocket (not /core/api/websocket). No long-lived token is needed.
 */
export const SUPERVISOR_CORE_URL = 'http://supervisor/core';

/**
 * HA's websocket URL for an HA base URL: `<url>/api/websocket` for HA itself,
 * `<url>/websocket` through the Supervisor's proxy.
 */
export function websocketUrl(haUrl: string, viaSupervisor: boolean): string {
  const base = haUrl.replace(/\/+$/, '').replace(/^http/i, 'ws');
  return viaSupervisor ? `${base}/websocket` : `${base}/api/websocket`;
}
