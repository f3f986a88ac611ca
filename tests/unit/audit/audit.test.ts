import { Writable } from 'node:stream';
import type { Notice } from '../../../src/alerts/types.js';
import {
  createAuditLog,
  DEFAULT_COMMAND_EVENT,
  type AuditEntry,
} from '../../../src/audit/audit.js';
import { createLogger } from '../../../src/logging/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', secrets: [] }, stream) };
}

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: '190000000000000002',
  userName: 'owner',
  guildId: '811111111111111111',
  channelId: '822222222222222222',
  command: 'unlock',
  domain: 'lock',
  service: 'unlock',
  entityIds: ['lock.front'],
  contextId: '01CTX',
  confirmed: true,
  error: undefined,
  ...over,
});

const flush = () => new Promise((r) => setImmediate(r));

describe('the audit log', () => {
  it('logs, posts, writes the logbook and fires the HA event for a done action', async () => {
    const { lines, log } = capture();
    const posted: Notice[] = [];
    const events: [string, Record<string, unknown>][] = [];
    const logbook: unknown[] = [];
    const audit = createAuditLog({
      log,
      post: (n) => posted.push(n),
      event: {
        type: DEFAULT_COMMAND_EVENT,
        fire: (data) => {
          events.push([DEFAULT_COMMAND_EVENT, data]);
          return Promise.resolve();
        },
      },
      logbook: (e) => {
        logbook.push(e);
        return Promise.resolve();
      },
    });
    audit.record(entry());
    expect(lines[0]).toMatchObject({
      audit: true,
      userId: '190000000000000002',
      service: 'lock.unlock',
      contextId: '01CTX',
      msg: 'control action',
    });
    expect(posted[0]).toMatchObject({ title: 'owner ran /ha unlock', severity: 'info' });
    expect(posted[0]!.text).toContain('HA context: 01CTX');
    expect(events).toEqual([
      [
        'discord_bridge_command',
        {
          command: 'unlock',
          service: 'lock.unlock',
          entity_id: ['lock.front'],
          user_id: '190000000000000002',
          user_name: 'owner',
          guild_id: '811111111111111111',
          channel_id: '822222222222222222',
          context_id: '01CTX',
          confirmed: true,
        },
      ],
    ]);
    expect(logbook).toEqual([
      { name: 'Discord', message: 'owner ran /ha unlock (lock.unlock)', entityId: 'lock.front' },
    ]);
    await flush();
  });

  it('names a custom command as it is typed, without /ha', () => {
    const posted: Notice[] = [];
    const audit = createAuditLog({ log: capture().log, post: (n) => posted.push(n) });
    audit.record(entry({ command: '/goodnight', domain: 'event', service: 'discord_goodnight' }));
    expect(posted[0]).toMatchObject({ title: 'owner ran /goodnight' });
  });

  it('records a failure without telling HA it happened', async () => {
    const { lines, log } = capture();
    const fired: string[] = [];
    const posted: Notice[] = [];
    const audit = createAuditLog({
      log,
      post: (n) => posted.push(n),
      event: {
        type: DEFAULT_COMMAND_EVENT,
        fire: () => {
          fired.push(DEFAULT_COMMAND_EVENT);
          return Promise.resolve();
        },
      },
    });
    audit.record(entry({ error: 'not_found: no such entity', contextId: undefined }));
    expect(lines[0]).toMatchObject({
      msg: 'control action failed',
      error: 'not_found: no such entity',
    });
    expect(posted[0]).toMatchObject({ severity: 'warning' });
    expect(posted[0]!.text).toContain('FAILED: not_found');
    expect(fired).toEqual([]);
    await flush();
  });

  it('warns once when HA refuses the event, never throws', async () => {
    const { lines, log } = capture();
    const audit = createAuditLog({
      log,
      event: { type: 'my_event', fire: () => Promise.reject(new Error('Unauthorized')) },
    });
    audit.record(entry());
    audit.record(entry());
    await flush();
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('could not fire my_event');
  });
});
