import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HaCore } from './core.js';
import { CAMERA_PNG, type FakeImages } from './images.js';
import { domainOf } from './state-machine.js';

/**
 * The few REST endpoints a client uses next to the websocket: `GET /api/` (token check),
 * `/api/config` (readiness), `/api/states[/<entity_id>]` and the camera and image proxies,
 * with HA's bearer-token rules.
 */
export function restHandler(
  core: HaCore,
  tokenIsValid: (token: string) => boolean,
  opts: {
    prefix?: string;
    isBanned?: () => boolean;
    images?: FakeImages;
    /** A request answered 401: HA counts it as a failed login. */
    onUnauthorized?: () => void;
  } = {},
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const full = url.pathname;
    const prefix = opts.prefix ?? '';
    const path = full.startsWith(`${prefix}/`) ? full.slice(prefix.length) : '';
    const header = req.headers.authorization;
    const images = opts.images;
    images?.requests.push({
      method: req.method ?? 'GET',
      path: full,
      query: url.search,
      authorization: bearerKind(header, tokenIsValid),
    });
    // HA's ip_ban middleware answers every request from a banned address with 403.
    if (opts.isBanned?.()) {
      reply(res, 403, '403: Forbidden');
      return;
    }
    const proxy = /^\/api\/(camera|image)_proxy\/([^/]+)$/.exec(path);
    if (proxy && images) {
      void serveImage(
        core,
        images,
        proxy[1]!,
        decodeURIComponent(proxy[2]!),
        url,
        req,
        res,
        tokenIsValid,
      );
      return;
    }
    if (!path.startsWith('/api/')) {
      reply(res, 404, '404: Not Found');
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !tokenIsValid(auth.slice('Bearer '.length))) {
      opts.onUnauthorized?.();
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

function bearerKind(
  header: string | undefined,
  tokenIsValid: (token: string) => boolean,
): 'valid' | 'invalid' | 'none' {
  if (header === undefined) return 'none';
  return header.startsWith('Bearer ') && tokenIsValid(header.slice('Bearer '.length))
    ? 'valid'
    : 'invalid';
}

/**
 * HA's CameraView and ImageView: the entity first (404 when the component has no such
 * entity, even without a token), then auth (a bearer token, or the entity's own access token
 * in `?token=`: 401 with a bad Authorization header, else 403), then 503 for a camera that
 * is off, then the image.
 */
async function serveImage(
  core: HaCore,
  images: FakeImages,
  kind: string,
  entityId: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  tokenIsValid: (token: string) => boolean,
): Promise<void> {
  const state = core.machine.states.get(entityId);
  if (state === undefined || domainOf(entityId) !== kind) {
    reply(res, 404, '404: Not Found');
    return;
  }
  const header = req.headers.authorization;
  const entityToken = state.attributes.access_token;
  const authenticated =
    bearerKind(header, tokenIsValid) === 'valid' ||
    (typeof entityToken === 'string' && url.searchParams.get('token') === entityToken);
  if (!authenticated) {
    if (header !== undefined) reply(res, 401, '401: Unauthorized');
    else reply(res, 403, '403: Forbidden');
    return;
  }
  const override = images.overrides.get(entityId) ?? {};
  if (override.delayMs) await new Promise((resolve) => setTimeout(resolve, override.delayMs));
  if (res.destroyed) return;
  if (override.status !== undefined && override.status !== 200) {
    reply(res, override.status, `${override.status}`);
    return;
  }
  if (kind === 'camera' && (state.state === 'off' || state.state === 'unavailable')) {
    reply(res, 503, '503: Service Unavailable');
    return;
  }
  const data = override.data ?? CAMERA_PNG;
  res.writeHead(200, {
    'Content-Type': override.contentType ?? 'image/png',
    'Content-Length': String(data.length),
  });
  res.end(data);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = typeof body !== 'string';
  res.writeHead(status, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
  });
  res.end(json ? JSON.stringify(body) : body);
}
