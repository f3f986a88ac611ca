import { createLogger, resolveLogFormat } from '../../../src/logging/logger.js';
import { captureLines } from '../../helpers/log-lines.js';

describe('createLogger', () => {
  const secret = 'eyJhbGciOiJIUzI1NiJ9.super-secret-token';

  it('masks secrets anywhere in a line, including inside messages and errors', () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'trace', secrets: [secret, 'discord-token-xyz123'] }, stream);
    log.info({ url: `ws://x/?t=${secret}` }, `failed with ${secret}`);
    log.error({ err: new Error(`auth discord-token-xyz123 rejected`) }, 'boom');
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).not.toContain('discord-token-xyz123');
    expect(out).toContain('[REDACTED]');
  });

  it("masks an interaction's token in the Discord URLs of a failed reply", () => {
    const { lines, stream } = captureLines();
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
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'info', secrets: [] }, stream);
    log.info({ access_token: 'abc', headers: { authorization: 'Bearer abc' } }, 'x');
    expect(lines.join('')).not.toContain('abc');
  });
});

describe('createLogger, LOG_FORMAT=text', () => {
  const secret = 'discord-token-xyz123';

  it('writes one readable line per event: time, level, side, message, fields', () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'info', secrets: [secret], format: 'text' }, stream);
    log
      .child({ side: 'ha' })
      .info(
        { haVersion: '2024.3.3', url: 'ws://x', note: 'two words' },
        'Home Assistant connected',
      );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {2}\[ha\] Home Assistant connected haVersion=2024\.3\.3 url=ws:\/\/x note="two words"\n$/,
    );
    expect(lines[0]).not.toContain('{');
  });

  it('keeps an event on one line, masks secrets, and adds the stack only to errors', () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'info', secrets: [secret], format: 'text' }, stream);
    log.warn({ err: new Error(`rejected ${secret}`) }, 'first line\nsecond line');
    expect(lines[0]!.split('\n')).toEqual([
      expect.stringMatching(/WARN {2}first line second line err="Error: rejected \[REDACTED\]"$/),
      '',
    ]);
    log.error({ err: Object.assign(new Error('boom'), { code: 'E_X' }) }, 'failed');
    const [head, ...stack] = lines[1]!.trimEnd().split('\n');
    expect(head).toMatch(/ERROR failed err="Error: boom \(E_X\)"$/);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.every((l) => l.startsWith('    at '))).toBe(true);
  });
});

describe('resolveLogFormat', () => {
  it('is JSON unless a terminal is watching, and honours an explicit choice', () => {
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
    expect(resolveLogFormat('text', true)).toBe('text');
  });
});
