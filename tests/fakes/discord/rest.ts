import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  discordError,
  errors,
  matchRoute,
  readBody,
  send,
  type RestResponse,
  type Route,
} from './http.js';
import type { DiscordState } from './state.js';
import type { Json, RestFailure } from './types.js';

const PREFIX = '/api/v10';

/** Serves Discord's REST API v10 under /api/v10 from `routes`, recording every request. */
export function createRestHandler(state: DiscordState, routes: Route[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = apiPath(url.pathname);
    const sent: { body?: Json } = {};
    const respond = (response: RestResponse) => {
      state.requests.push({
        method,
        path: path ?? url.pathname,
        at: Date.now(),
        status: response.status,
        ...recordedBody(sent.body),
      });
      state.changes.notify();
      send(res, response);
    };
    answer(state, routes, req, method, path, url.searchParams, sent).then(
      respond,
      (error: unknown) => {
        console.error('fake Discord failed to answer', method, url.pathname, error);
        respond(discordError(500, 0, '500: Internal Server Error'));
      },
    );
  };
}

async function answer(
  state: DiscordState,
  routes: Route[],
  req: IncomingMessage,
  method: string,
  path: string | undefined,
  query: URLSearchParams,
  sent: { body?: Json },
): Promise<RestResponse> {
  const parsed = await readBody(req);
  if (parsed !== 'invalid' && parsed.body !== undefined) sent.body = parsed.body;
  if (path === undefined) return errors.notFound();
  const failure = state.takeRestFailure(path);
  if (failure) return failureResponse(failure);
  const match = matchRoute(routes, method, path);
  if (!match) return errors.notFound();
  if (match.route.auth && req.headers.authorization !== `Bot ${state.token}`) {
    return errors.unauthorized();
  }
  if (parsed === 'invalid') return errors.invalidJson();
  return match.route.handle({ method, path, params: match.params, query, ...parsed });
}

/** '/api/v10/webhooks/1/t/messages/%40original' -> '/webhooks/1/t/messages/@original'. */
function apiPath(pathname: string): string | undefined {
  if (!pathname.startsWith(`${PREFIX}/`)) return undefined;
  try {
    return pathname.slice(PREFIX.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** The body and its `allowed_mentions` (top level, or `data` of a callback) for the record. */
function recordedBody(body: Json | undefined): { body?: Json; allowedMentions?: Json } {
  if (body === undefined || Object.keys(body).length === 0) return {};
  const allowedMentions = body.allowed_mentions ?? body.data?.allowed_mentions;
  return allowedMentions === undefined ? { body } : { body, allowedMentions };
}

function failureResponse(failure: RestFailure): RestResponse {
  if (failure.status !== 429) {
    return discordError(
      failure.status,
      0,
      failure.message ?? `${failure.status}: ${STATUS_CODES[failure.status] ?? 'Error'}`,
    );
  }
  const retryAfter = failure.retryAfter ?? 1;
  return {
    status: 429,
    body: {
      message: 'You are being rate limited.',
      retry_after: retryAfter,
      global: Boolean(failure.global),
    },
    headers: {
      'retry-after': String(retryAfter),
      'x-ratelimit-scope': failure.global ? 'global' : 'user',
      ...(failure.global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  };
}
