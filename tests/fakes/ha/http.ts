import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HaCore } from './core.js';

/**
 * The few REST endpoints a client uses next to the websocket: `GET /api/` (token check),
 * `/api/config` (readiness) and `/api/states[/<entity_id>]`, with HA's bearer-token rules.
 */
export function restHandler(
  core: HaCore,
  tokenIsValid: (token: string) => boolean,
  opts: { prefix?: string; isBanned?: () => boolean } = {},
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const full = new URL(req.url ?? '/', 'http://fake').pathname;
    const prefix = opts.prefix ?? '';
    const path = full.startsWith(`${prefix}/`) ? full.slice(prefix.length) : '';
    // HA's ip_ban middleware answers every request from a banned address with 403.
    if (opts.isBanned?.()) {
      reply(res, 403, '403: Forbidden');
      return;
    }
    if (!path.startsWith('/api/')) {
      reply(res, 404, '404: Not Found');
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !tokenIsValid(auth.slice('Bearer '.length))) {
      reply(res, 401, '401: Unauthorized');
      return;
    }
    if (req.method !== 'GET') {
      reply(res, 405, '405: Method Not Allowed');
      return;
    }
    if (path === '/api/') {
      reply(res, 200, { message: 'API running.' });
    } else if (path === '/api/config') {
      reply(res, 200, core.config());
    } else if (path === '/api/states') {
      reply(res, 200, [...core.machine.states.values()]);
    } else if (path.startsWith('/api/states/')) {
      const state = core.machine.states.get(decodeURIComponent(path.slice('/api/states/'.length)));
      reply(res, state ? 200 : 404, state ?? { message: 'Entity not found.' });
    } else {
      reply(res, 404, '404: Not Found');
    }
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = typeof body !== 'string';
  res.writeHead(status, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
  });
  res.end(json ? JSON.stringify(body) : body);
}
