import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST, RequestMethod, type RawFile } from 'discord.js';
import { multipartBody, upload } from '../../../src/discord/upload.js';

/** What a server reads from a multipart request: its JSON part and its files. */
async function readForm(raw: Buffer, contentType: string) {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: { key: string; name: string; type: string; bytes: string }[] = [];
  let json: unknown;
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') json = key === 'payload_json' ? JSON.parse(value) : value;
    else
      files.push({
        key,
        name: value.name,
        type: value.type,
        bytes: Buffer.from(await value.arrayBuffer()).toString('hex'),
      });
  }
  return { json, files };
}

/** A local HTTP server that records each request's raw body and Content-Type. */
async function recordingServer() {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; raw: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw: Buffer.concat(chunks),
      });
      res.setHeader('content-type', 'application/json');
      res.end('{"id":"1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const rest = new REST({ api: `http://127.0.0.1:${port}/api`, version: '10' }).setToken('t');
  return { rest, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 0xff]);
const JSON_BODY = {
  content: 'Temperature "outside"\r\n',
  embeds: [{ title: 'ü', image: { url: 'attachment://chart.png' } }],
  allowed_mentions: { parse: [] },
  attachments: [{ id: '0' }],
};

describe('multipart upload', () => {
  it('sends what discord.js sends with files: the same JSON and the same files', async () => {
    const { rest, seen, close } = await recordingServer();
    try {
      const files: RawFile[] = [
        { name: 'chart.png', data: PNG, contentType: 'image/png' },
        { name: 'we"ird\nname.png', data: PNG.subarray(2), contentType: 'image/png' },
        // As discord.js resolves an AttachmentBuilder: no type, found from the bytes.
        { name: 'history.png', data: PNG },
        { name: 'notes.bin', data: Buffer.from('not an image') },
      ];
      await rest.post('/channels/1/messages', { body: JSON_BODY, files });
      await upload(rest, {
        method: RequestMethod.Post,
        route: '/channels/1/messages',
        json: JSON_BODY,
        files,
      });
      expect(seen).toHaveLength(2);
      const [theirs, ours] = seen as [(typeof seen)[0], (typeof seen)[0]];
      expect(ours.method).toBe(theirs.method);
      expect(ours.url).toBe(theirs.url);
      expect(ours.headers.authorization).toBe(theirs.headers.authorization);
      expect(ours.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const received = await readForm(ours.raw, ours.headers['content-type']!);
      expect(received).toEqual(await readForm(theirs.raw, theirs.headers['content-type']!));
      expect(received.json).toEqual(JSON_BODY);
      expect(received.files.map((f) => f.bytes)).toEqual([
        PNG.toString('hex'),
        PNG.subarray(2).toString('hex'),
        PNG.toString('hex'),
        Buffer.from('not an image').toString('hex'),
      ]);
      expect(received.files.map((f) => f.type)).toEqual([
        'image/png',
        'image/png',
        'image/png',
        'application/octet-stream',
      ]);
    } finally {
      await close();
    }
  });

  it('releases the body once Discord has answered, and not after a failure', async () => {
    const bodies: Buffer[] = [];
    let fail = false;
    const rest = {
      request: (req: { body: Buffer; passThroughBody?: boolean }) => {
        expect(req.passThroughBody).toBe(true);
        bodies.push(req.body);
        return fail ? Promise.reject(new Error('refused')) : Promise.resolve({ id: '1' });
      },
    } as unknown as REST;
    const request = {
      method: RequestMethod.Post,
      route: '/channels/1/messages' as const,
      json: JSON_BODY,
      files: [{ name: 'chart.png', data: PNG, contentType: 'image/png' }],
    };
    expect(await upload(rest, request)).toEqual({ id: '1' });
    expect(bodies[0]!.buffer.byteLength).toBe(0); // detached: its memory handed on, to be freed
    fail = true;
    await expect(upload(rest, request)).rejects.toThrow('refused');
    expect(bodies[1]!.buffer.byteLength).toBeGreaterThan(PNG.length);
  });

  it('builds a body with its own memory, never a slice of a shared pool', () => {
    const { body } = multipartBody({}, [{ name: 'a.png', data: PNG, contentType: 'image/png' }]);
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.length);
  });
});
