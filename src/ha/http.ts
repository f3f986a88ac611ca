import { HaError } from './errors.js';

/** An image from Home Assistant, ready to attach to a Discord message. */
export interface HaImage {
  data: Buffer;
  /** `image/jpeg`, `image/png`, `image/gif` or `image/webp`. */
  contentType: string;
}

export interface HaHttpOptions {
  /** HA_URL, without a trailing slash. */
  url: string;
  /** The token, or where to get the one in use (it may change: HA_TOKEN_FILE, self-rotation). */
  token: string | (() => string);
  /** How long HA (and the camera behind it) may take to send an image. */
  timeoutMs: number;
  /** Larger images are refused: Discord takes at most 10 MiB per upload. */
  maxBytes?: number;
  /**
   * True once HA has rejected the token (on the websocket). Then no request is made: HA
   * counts every failed login and, with `login_attempts_threshold`, bans the address.
   */
  tokenRejected?: () => boolean;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** The image types Discord shows inline, and the file extension it needs to see. */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const domainOf = (entityId: string): string => entityId.split('.', 1)[0] ?? '';

/**
 * Where HA serves an entity's picture: cameras and image entities through HA's proxies
 * (`/api/camera_proxy/…`, `/api/image_proxy/…`), other entities their `entity_picture`
 * when it is a path on HA itself. A picture elsewhere is not fetched: the bot's token goes
 * to Home Assistant only.
 */
export function imagePath(entityId: string, entityPicture: unknown): string | undefined {
  const domain = domainOf(entityId);
  if (domain === 'camera') return `/api/camera_proxy/${encodeURIComponent(entityId)}`;
  if (domain === 'image') return `/api/image_proxy/${encodeURIComponent(entityId)}`;
  if (typeof entityPicture === 'string' && /^\/(?![/\\])/.test(entityPicture)) return entityPicture;
  return undefined;
}

/** `camera_front_door.jpg`: the attachment's name, which Discord needs to show it inline. */
export function imageFileName(entityId: string, contentType: string): string {
  return `${entityId.replace(/[^a-z0-9_]/gi, '_')}.${EXTENSIONS[contentType] ?? 'jpg'}`;
}

/**
 * HA's REST API, next to the websocket: only what the websocket cannot do, which is images.
 * The token travels in the Authorization header, never in a URL (URLs end up in logs), and
 * redirects are refused so the header cannot follow one to another host.
 */
export class HaHttp {
  constructor(private readonly opts: HaHttpOptions) {}

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  private token(): string {
    const token = this.opts.token;
    return typeof token === 'string' ? token : token();
  }

  /** A snapshot from a camera entity (`GET /api/camera_proxy/<entity_id>`). */
  cameraImage(entityId: string): Promise<HaImage> {
    return this.image(`/api/camera_proxy/${encodeURIComponent(entityId)}`);
  }

  /** The picture of a camera, an image entity, or an entity with an `entity_picture` on HA. */
  entityImage(entityId: string, entityPicture: unknown): Promise<HaImage> {
    const path = imagePath(entityId, entityPicture);
    if (path === undefined) {
      return Promise.reject(
        new HaError('no_picture', `${entityId} has no picture on Home Assistant`),
      );
    }
    return this.image(path);
  }

  private async image(path: string): Promise<HaImage> {
    if (this.opts.tokenRejected?.()) {
      throw new HaError('invalid_auth', 'Home Assistant rejected the access token');
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.opts.timeoutMs);
    const get = () =>
      fetch(`${this.opts.url}${path}`, {
        headers: { Authorization: `Bearer ${this.token()}` },
        redirect: 'manual',
        signal: controller.signal,
      });
    try {
      // A kept-alive connection HA (or a proxy in front of it) closed while idle fails the
      // request that reuses it; the GET is asked once more, on a fresh connection.
      const response = await get().catch((error: unknown) => {
        if (controller.signal.aborted || !STALE_CONNECTION.has(describe(error))) throw error;
        return get();
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw statusError(response.status);
      }
      const contentType = (response.headers.get('content-type') ?? '')
        .split(';', 1)[0]!
        .trim()
        .toLowerCase();
      if (EXTENSIONS[contentType] === undefined) {
        await response.body?.cancel();
        throw new HaError(
          'not_an_image',
          `Home Assistant sent ${contentType || 'no content type'}, not an image Discord can show`,
        );
      }
      const data = await readLimited(response, this.opts.maxBytes ?? DEFAULT_MAX_BYTES);
      return { data, contentType };
    } catch (error) {
      if (error instanceof HaError) throw error;
      if (controller.signal.aborted) {
        throw new HaError('timeout', `no image within ${this.opts.timeoutMs} ms`);
      }
      throw new HaError('cannot_connect', `cannot reach Home Assistant (${describe(error)})`);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new HaError('too_large', `the image is larger than ${Math.round(maxBytes / 1048576)} MiB`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body === null) return Buffer.alloc(0);
  // Leaving the loop early cancels the stream: a huge image is not read to its end.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function statusError(status: number): HaError {
  if (status === 401) return new HaError('invalid_auth', 'HTTP 401');
  if (status === 403) return new HaError('unauthorized', 'HTTP 403');
  if (status === 404) return new HaError('not_found', 'HTTP 404');
  if (status >= 300 && status < 400) return new HaError('redirect', `HTTP ${status}`);
  if (status >= 500) return new HaError('unavailable', `HTTP ${status}`);
  return new HaError('http_error', `HTTP ${status}`);
}

const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Why an image could not be had, in words for the person who asked (or for a message's
 * footer). HA's own troubleshooting words for 401 and 403.
 */
export function imageErrorText(error: HaError, entityId: string, timeoutMs: number): string {
  switch (error.code) {
    case 'not_found':
      return `Home Assistant has no camera or image \`${entityId}\` (HTTP 404). It may have been removed or renamed.`;
    case 'invalid_auth':
      return "Home Assistant rejected the bot's access token (HTTP 401): it was revoked or has expired, or HA_URL points at another Home Assistant.";
    case 'unauthorized':
      return "Home Assistant refused (HTTP 403): the bot's HA user may not see it, or HA has banned the bot's address after failed logins.";
    case 'timeout':
      return `The camera did not send a picture within ${Math.round(timeoutMs / 1000)} s. It may be offline or slow; try again.`;
    case 'unavailable':
      return `Home Assistant could not get a picture (${error.message}): the camera may be off or unavailable.`;
    case 'cannot_connect':
      return 'Home Assistant is unreachable. Try again in a moment.';
    case 'redirect':
      return `Home Assistant answered with a redirect (${error.message}): HA_URL should be the address Home Assistant answers on itself.`;
    case 'too_large':
      return `The picture is too large to post: ${error.message}.`;
    case 'not_an_image':
      return `${error.message}.`;
    case 'no_picture':
      return `\`${entityId}\` has no picture on Home Assistant.`;
    default:
      return `Home Assistant could not send the picture (${error.message}).`;
  }
}
