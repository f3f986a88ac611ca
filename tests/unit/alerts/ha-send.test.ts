import { Writable } from 'node:stream';
import { listenForSends, type HaSendOptions } from '../../../src/alerts/ha-send.js';
import type { HaMessage, OutboxEntry } from '../../../src/alerts/types.js';
import type { HaEvent } from '../../../src/ha/types.js';
import { createLogger } from '../../../src/logging/logger.js';
import { waitFor } from '../../helpers/wait.js';

const ALERTS = '833333333333333333';
const GENERAL = '822222222222222222';
const OTHER = '899999999999999999';

function setup(over: Partial<HaSendOptions> = {}) {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const queued: { channelId: string; message: HaMessage; statusKey?: string; kind: string }[] = [];
  const entries: OutboxEntry[] = [];
  let listener: ((e: HaEvent) => void) | undefined;
  const ha = {
    onEvent(eventType: string, l: (e: HaEvent) => void) {
      expect(eventType).toBe('discord_bridge_send');
      listener = l;
      return () => (listener = undefined);
    },
  };
  listenForSends(ha, {
    eventType: 'discord_bridge_send',
    defaultChannelId: ALERTS,
    channels: [],
    inServedGuild: () => Promise.resolve(false),
    hasPicture: () => false,
    enqueue: (channelId, entry) => {
      entries.push(entry);
      queued.push({
        channelId,
        message: entry.kind === 'actionable' ? entry.payload.message : entry.payload,
        kind: entry.kind,
        ...('statusKey' in entry ? { statusKey: entry.statusKey } : {}),
      });
    },
    log: createLogger({ level: 'info', secrets: [] }, stream),
    ...over,
  });
  const fire = (data: Record<string, unknown>) =>
    listener!({
      eventType: 'discord_bridge_send',
      data,
      timeFired: 1_700_000_000.5,
      contextId: '01HQCONTEXT',
      userId: null,
    });
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { queued, lines, fire, settle };
}

describe('listenForSends', () => {
  it('queues a valid message for the alert channel, with the event time and context', async () => {
    const { queued, fire, settle } = setup();
    fire({ message: 'Hello', title: 'Hi', color: 'blue' });
    await settle();
    expect(queued).toEqual([
      {
        channelId: ALERTS,
        kind: 'message',
        message: {
          id: expect.any(String),
          text: 'Hello',
          title: 'Hi',
          color: 0x3498db,
          imageEntity: undefined,
          at: 1_700_000_000.5,
          contextId: '01HQCONTEXT',
        },
      },
    ]);
  });

  it('allows the alert channel and HA_SEND_CHANNELS, and refuses others with the reason', async () => {
    const { queued, lines, fire, settle } = setup({ channels: [GENERAL] });
    fire({ message: 'a', channel_id: ALERTS });
    fire({ message: 'b', channel_id: GENERAL });
    fire({ message: 'c', channel_id: OTHER });
    await settle();
    expect(queued.map((q) => q.channelId)).toEqual([ALERTS, GENERAL]);
    const warning = lines.find((l) => l.level === 40)!;
    expect(warning.msg).toContain(`channel_id ${OTHER} is not allowed`);
    expect(warning.contextId).toBe('01HQCONTEXT');
  });

  it('with HA_SEND_CHANNELS=any, asks Discord whether the channel is in the served server', async () => {
    const asked: string[] = [];
    const { queued, fire, settle } = setup({
      channels: 'any',
      inServedGuild: (id) => {
        asked.push(id);
        return Promise.resolve(id === GENERAL);
      },
    });
    fire({ message: 'a', channel_id: GENERAL });
    fire({ message: 'b', channel_id: OTHER });
    fire({ message: 'c' });
    await settle();
    expect(asked).toEqual([GENERAL, OTHER]);
    expect(queued.map((q) => q.message.text)).toEqual(['a', 'c']);
  });

  it('keeps the order of events even while a channel check waits', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { queued, fire } = setup({
      channels: 'any',
      inServedGuild: () => gate.then(() => true),
    });
    fire({ message: 'first', channel_id: GENERAL });
    fire({ message: 'second' });
    release();
    await waitFor(() => queued.length === 2);
    expect(queued.map((q) => q.message.text)).toEqual(['first', 'second']);
  });

  it('without an alert channel, a message needs channel_id', async () => {
    const { queued, lines, fire, settle } = setup({ defaultChannelId: undefined });
    fire({ message: 'nowhere' });
    await settle();
    expect(queued).toEqual([]);
    expect(lines.find((l) => l.level === 40)?.msg).toContain('no channel: give channel_id');
  });

  it('logs invalid events at warn with every problem, and queues nothing', async () => {
    const { queued, lines, fire, settle } = setup();
    fire({ color: 'ultraviolet' });
    await settle();
    expect(queued).toEqual([]);
    const warning = lines.find((l) => l.level === 40)!;
    expect(warning.msg).toMatch(/^discord_bridge_send event ignored: message: is required; color:/);
    expect(warning.problems).toHaveLength(2);
  });

  it('sends a DM only to the users HA_SEND_USERS lists, and says how to allow one', async () => {
    const ALICE = '811111111111111111';
    const BOB = '812222222222222222';
    const { queued, lines, fire, settle } = setup({ users: [ALICE] });
    fire({ message: 'to alice', user_id: ALICE });
    fire({ message: 'to bob', user_id: BOB });
    await settle();
    expect(queued.map((q) => [q.channelId, q.message.text])).toEqual([[`dm:${ALICE}`, 'to alice']]);
    const warning = lines.find((l) => l.level === 40)!;
    expect(warning.msg).toContain(`user_id ${BOB} is not allowed`);
    expect(warning.msg).toContain('HA_SEND_USERS');
  });

  it('posts in a thread by name in an allowed channel, and in a thread by id of one', async () => {
    const THREAD = '844444444444444444';
    const STRAY = '855555555555555555';
    const { queued, lines, fire, settle } = setup({
      channels: [GENERAL],
      threadParent: (id) =>
        Promise.resolve(id === THREAD ? GENERAL : id === STRAY ? OTHER : undefined),
    });
    fire({ message: 'a', thread: 'Front door' });
    fire({ message: 'b', channel_id: GENERAL, thread: 'Front door' });
    fire({ message: 'c', thread_id: THREAD });
    fire({ message: 'd', thread_id: STRAY });
    fire({ message: 'e', thread: 'Nope', channel_id: OTHER });
    await settle();
    expect(queued.map((q) => q.channelId)).toEqual([
      `thread:${ALERTS}:Front door`,
      `thread:${GENERAL}:Front door`,
      THREAD,
    ]);
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings[0]).toContain(`thread_id ${STRAY}: its channel_id ${OTHER} is not allowed`);
    expect(warnings[1]).toContain(`channel_id ${OTHER} is not allowed`);
  });

  it('queues a tagged message under its tag, and a removal without a message', async () => {
    const { queued, fire, settle } = setup();
    fire({ message: 'washer: running', tag: 'washer' });
    fire({ tag: 'washer', delete: true });
    await settle();
    expect(queued.map((q) => [q.kind, q.statusKey, q.message.remove])).toEqual([
      ['tagged', 'tag:washer', undefined],
      ['tagged', 'tag:washer', true],
    ]);
  });

  it('keeps a tagged message with buttons in place under its tag, replacing its buttons', async () => {
    const added: (string | undefined)[] = [];
    const { queued, fire, settle } = setup({
      actions: {
        add: (_channel, _actions, tag) => {
          added.push(tag);
          return {
            key: `k${added.length}`,
            channelId: ALERTS,
            actions: _actions,
            tag,
            createdAt: 0,
            expiresAt: undefined,
          };
        },
      },
    });
    fire({
      message: 'Washer running',
      tag: 'washer',
      buttons: [{ label: 'Stop', action: 'stop' }],
    });
    fire({ message: 'Washer done, emptied by Alice', tag: 'washer' });
    fire({ tag: 'washer', delete: true, buttons: [{ label: 'Stop', action: 'stop' }] });
    await settle();
    expect(queued.map((q) => [q.kind, q.statusKey, q.message.remove])).toEqual([
      ['actionable', 'tag:washer', undefined],
      ['tagged', 'tag:washer', undefined],
      ['tagged', 'tag:washer', true],
    ]);
    expect(added).toEqual(['washer']);
  });
});
