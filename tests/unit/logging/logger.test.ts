import { Writable } from 'node:stream';
import { createLogger, resolveLogFormat } from '../../../src/logging/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  const secret = 'eyJhbGciOiJIUzI1NiJ9.super-secret-token';

  it('masks secrets anywhere in a line, including inside messages and errors', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'trace', secrets: [secret, 'discord-token-xyz123'] }, stream);
    log.info({ url: `ws://x/?t=${secret}` }, `failed with ${secret}`);
    log.error({ err: new Error(`auth discord-token-xyz123 rejected`) }, 'boom');
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).not.toContain('discord-token-xyz123');
    expect(out).toContain('[REDACTED]');
  });

  it("masks an interaction's token in the Discord URLs of a failed reply", () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info', secrets: [] }, stream);
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg.x-y_z';
    log.error(
      {
        err: {
          url: `https://discord.com/api/v10/webhooks/111222333444555666/${token}/messages/@original`,
        },
      },
      `POST /api/v10/interactions/123456789012345678/${token}/callback failed`,
    );
    const out = lines.join('');
    expect(out).not.toContain(token);
    expect(out).toContain('/webhooks/111222333444555666/[REDACTED]/messages/@original');
    expect(out).toContain('/interactions/123456789012345678/[REDACTED]/callback');
  });

  it('redacts token fields by name', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info', secrets: [] }, stream);
    log.info({ access_token: 'abc', headers: { authorization: 'Bearer abc' } }, 'x');
    expect(lines.join('')).not.toContain('abc');
  });
});

describe('resolveLogFormat', () => {
  it('is JSON unless a terminal is watching, and honours an explicit choice', () => {
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});
