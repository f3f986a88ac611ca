import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HaError } from '../../../src/ha/errors.js';
import { HaHttp, imageErrorText, imageFileName, imagePath } from '../../../src/ha/http.js';

const TOKEN = 'ha-token-for-http-tests-0123456789';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

describe('imagePath', () => {
  it('uses the camera and image proxies, and entity pictures on HA only', () => {
    expect(imagePath('camera.front_door', undefined)).toBe('/api/camera_proxy/camera.front_door');
    expect(imagePath('image.doorbell', '/ignored')).toBe('/api/image_proxy/image.doorbell');
    expect(imagePath('person.alice', '/api/image/serve/abc/512x512')).toBe(
      '/api/image/serve/abc/512x512',
    );
    expect(imagePath('person.alice', 'https://example.com/alice.png')).toBeUndefined();
    expect(imagePath('person.alice', '//example.com/alice.png')).toBeUndefined();
    expect(imagePath('sensor.temp', undefined)).toBeUndefined();
  });

  it('names the attachment after the entity, with the extension Discord needs', () => {
    expect(imageFileName('camera.front_door', 'image/jpeg')).toBe('camera_front_door.jpg');
    expect(imageFileName('image.x', 'image/webp')).toBe('image_x.webp');
  });
});

describe('HaHttp', () => {
  let server: Server;
  let url: string;
  const seen: { path: string; authorization: string | undefined }[] = [];
  let dropped = 0;
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/api/camera_proxy/camera.ok': (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG),
    '/api/camera_proxy/camera.jpeg': (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'image/jpeg; charset=binary' }).end(PNG),
    '/api/camera_proxy/camera.gone': (_req, res) => res.writeHead(404).end('404: Not Found'),
    '/api/camera_proxy/camera.denied': (_req, res) => res.writeHead(401).end('401: Unauthorized'),
    '/api/camera_proxy/camera.forbidden': (_req, res) => res.writeHead(403).end(),
    '/api/camera_proxy/camera.off': (_req, res) => res.writeHead(503).end(),
    '/api/camera_proxy/camera.html': (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>'),
    '/api/camera_proxy/camera.huge': (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.alloc(4096)),
    '/api/camera_proxy/camera.redirect': (_req, res) =>
      res.writeHead(302, { Location: '/api/camera_proxy/camera.ok' }).end(),
    // Drops the connection unanswered the first time, as a kept-alive one HA closed would.
    '/api/camera_proxy/camera.dropped': (req, res) => {
      if (dropped++ === 0) req.socket.destroy();
      else res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
    },
    '/api/camera_proxy/camera.reset': (req) => req.socket.destroy(),
    // Never answers (afterAll closes the connection): the time limit must end the fetch.
    '/api/camera_proxy/camera.slow': () => undefined,
    '/local/alice.png': (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      const route = routes[req.url ?? ''];
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const http = (over: Partial<ConstructorParameters<typeof HaHttp>[0]> = {}) =>
    // A limit no answer of this local server reaches, even on a loaded machine; the slow camera's
    // case sets a short one.
    new HaHttp({ url, token: TOKEN, timeoutMs: 10_000, maxBytes: 1024, ...over });
  const failure = async (p: Promise<unknown>): Promise<HaError> => {
    try {
      await p;
    } catch (error) {
      return error as HaError;
    }
    throw new Error('expected a rejection');
  };

  it('fetches a camera snapshot with the token in the Authorization header only', async () => {
    seen.length = 0;
    const image = await http().cameraImage('camera.ok');
    expect(image).toEqual({ data: PNG, contentType: 'image/png' });
    expect(seen).toEqual([
      { path: '/api/camera_proxy/camera.ok', authorization: `Bearer ${TOKEN}` },
    ]);
    expect((await http().cameraImage('camera.jpeg')).contentType).toBe('image/jpeg');
  });

  it('fetches an entity picture that is a path on HA', async () => {
    const image = await http().entityImage('person.alice', '/local/alice.png');
    expect(image.data).toEqual(PNG);
    expect((await failure(http().entityImage('sensor.temp', undefined))).code).toBe('no_picture');
  });

  it.each([
    ['camera.gone', 'not_found'],
    ['camera.denied', 'invalid_auth'],
    ['camera.forbidden', 'unauthorized'],
    ['camera.off', 'unavailable'],
    ['camera.html', 'not_an_image'],
    ['camera.huge', 'too_large'],
    ['camera.redirect', 'redirect'],
    ['camera.slow', 'timeout'],
  ])('turns %s into the error code %s, with no token in the message', async (entityId, code) => {
    const limit = entityId === 'camera.slow' ? { timeoutMs: 300 } : {};
    const error = await failure(http(limit).cameraImage(entityId));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(TOKEN);
    expect(imageErrorText(error, entityId, 300)).not.toContain(TOKEN);
  });

  it('asks once more when the connection is dropped unanswered, and only once', async () => {
    dropped = 0;
    seen.length = 0;
    expect((await http().cameraImage('camera.dropped')).data).toEqual(PNG);
    expect(seen.map((s) => s.path)).toEqual([
      '/api/camera_proxy/camera.dropped',
      '/api/camera_proxy/camera.dropped',
    ]);
    seen.length = 0;
    expect((await failure(http().cameraImage('camera.reset'))).code).toBe('cannot_connect');
    expect(seen).toHaveLength(2);
  });

  it('does not follow a redirect', async () => {
    seen.length = 0;
    await failure(http().cameraImage('camera.redirect'));
    expect(seen.map((s) => s.path)).toEqual(['/api/camera_proxy/camera.redirect']);
  });

  it('makes no request once HA has rejected the token', async () => {
    seen.length = 0;
    const error = await failure(http({ tokenRejected: () => true }).cameraImage('camera.ok'));
    expect(error.code).toBe('invalid_auth');
    expect(seen).toEqual([]);
  });

  it('reports HA being unreachable', async () => {
    const error = await failure(
      new HaHttp({ url: 'http://127.0.0.1:1', token: TOKEN, timeoutMs: 1000 }).cameraImage(
        'camera.ok',
      ),
    );
    expect(error.code).toBe('cannot_connect');
    expect(imageErrorText(error, 'camera.ok', 1000)).toBe(
      'Home Assistant is unreachable. Try again in a moment.',
    );
  });
});
