import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json, RecordedFile } from './types.js';

export interface RestRequest {
  method: string;
  /** Decoded path after /api/v10, e.g. '/webhooks/1/abc/messages/@original'. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  files: RecordedFile[];
}

export interface RestResponse {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** '/channels/:channelId/messages': ':name' segments become params. */
  path: string;
  /** Needs `Authorization: Bot <token>`; interaction callbacks and webhooks do not. */
  auth: boolean;
  handle(req: RestRequest): RestResponse | Promise<RestResponse>;
}

export const ok = (body?: Json, status = 200): RestResponse => ({ status, body });
export const noContent = (): RestResponse => ({ status: 204 });

/** Discord's error body: `{message, code}`. */
export function discordError(status: number, code: number, message: string): RestResponse {
  return { status, body: { message, code } };
}

export const errors = {
  notFound: () => discordError(404, 0, '404: Not Found'),
  unauthorized: () => discordError(401, 0, '401: Unauthorized'),
  missingAccess: () => discordError(403, 50001, 'Missing Access'),
  missingPermissions: () => discordError(403, 50013, 'Missing Permissions'),
  unknownChannel: () => discordError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => discordError(404, 10004, 'Unknown Guild'),
  unknownMember: () => discordError(404, 10007, 'Unknown Member'),
  unknownMessage: () => discordError(404, 10008, 'Unknown Message'),
  unknownUser: () => discordError(404, 10013, 'Unknown User'),
  unknownWebhook: () => discordError(404, 10015, 'Unknown Webhook'),
  unknownCommand: () => discordError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => discordError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => discordError(400, 40060, 'Interaction has already been acknowledged.'),
  emptyMessage: () => discordError(400, 50006, 'Cannot send an empty message'),
  invalidWebhookToken: () => discordError(401, 50027, 'Invalid Webhook Token'),
  invalidJson: () => discordError(400, 50109, 'The request body contains invalid JSON.'),
};

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((p, i) => {
      const segment = segments[i]!;
      if (p.startsWith(':')) params[p.slice(1)] = segment;
      return p.startsWith(':') || p === segment;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/** JSON, or multipart with a `payload_json` part and `files[n]` parts, as discord.js sends them. */
export async function readBody(
  req: IncomingMessage,
): Promise<{ body: Json; files: RecordedFile[] } | 'invalid'> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  try {
    if (type.startsWith('multipart/form-data')) return await readMultipart(raw, type);
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return 'invalid';
  }
}

async function readMultipart(raw: Buffer, type: string) {
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: RecordedFile[] = [];
  let body: Json = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      if (key === 'payload_json') body = JSON.parse(value);
      continue;
    }
    files.push({
      key,
      name: value.name,
      contentType: value.type,
      size: value.size,
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body, files };
}

export function send(res: ServerResponse, response: RestResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers).end();
    return;
  }
  headers['content-type'] = 'application/json';
  res.writeHead(response.status, headers).end(JSON.stringify(response.body));
}
