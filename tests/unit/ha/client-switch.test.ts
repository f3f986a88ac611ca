/**
 * HaClient.switchToken against the fake HA, in process: a new token logs in on a second
 * connection and takes over with no downtime, missing nothing; a rejected one changes nothing.
 */
import { HaClient } from '../../../src/ha/client.js';
import { EntityStore } from '../../../src/ha/entity-store.js';
import { Registry } from '../../../src/ha/registry.js';
import { staticCredentials } from '../../../src/ha/socket.js';
import type { HaEvent, StateChange } from '../../../src/ha/types.js';
import { createLogger } from '../../../src/logging/logger.js';
import { FakeHomeAssistant, fixedFakeToken } from '../../fakes/ha/fake-ha.js';
import { waitFor } from '../../helpers/wait.js';

const T1 = fixedFakeToken('switch-1');

interface World {
  ha: FakeHomeAssistant;
  client: HaClient;
  statuses: string[];
  changes: StateChange[];
  logs: string[];
  heard: Map<string, unknown[]>;
}

async function world(): Promise<World> {
  const ha = new FakeHomeAssistant({
    token: T1,
    entities: [{ entity_id: 'sensor.temp', state: '21' }],
  });
  await ha.start();
  const store = new EntityStore();
  const logs: string[] = [];
  const log = createLogger(
    { level: 'debug', secrets: [] },
    { write: (line: string) => void logs.push(line) },
  );
  const client = new HaClient({
    websocketUrl: `${ha.url.replace(/^http/, 'ws')}/api/websocket`,
    token: T1,
    log,
    store,
    registry: new Registry(),
    pingIntervalMs: 60_000,
    pingTimeoutMs: 10_000,
  });
  const heard = new Map<string, unknown[]>();
  for (const type of ['event_a', 'event_b']) {
    heard.set(type, []);
    client.onEvent(type, (e: HaEvent) => heard.get(type)!.push(e.data.n));
  }
  const statuses: string[] = [];
  client.onStatus((s) => statuses.push(s.kind));
  const changes: StateChange[] = [];
  store.onChange((c) => changes.push(c));
  client.start();
  await waitFor(() => statuses.includes('connected'), 5000, 'connected');
  return { ha, client, statuses, changes, logs, heard };
}

let w: World | undefined;
afterEach(async () => {
  w?.client.stop();
  await w?.ha.stop();
  w = undefined;
});

describe('HaClient.switchToken', () => {
  it('moves to the new token with no disconnect, missing no state change and no event', async () => {
    w = await world();
    const { ha, client, statuses, changes, heard } = w;
    const t2 = ha.issueToken('new token');
    // The new connection's entity subscription waits: meanwhile the old stream is retired.
    const entities = ha.holdNext('subscribe_entities');
    const subscribeB = ha.holdNext('subscribe_events', (m) => m.event_type === 'event_b');
    const switching = client.switchToken(t2, staticCredentials(t2));
    await entities.seen;
    ha.setState('sensor.temp', '25');
    ha.fireEvent('event_a', { n: 1 });
    entities.release();
    // Now the new connection hears event_a but not yet event_b; the old one hears both.
    await subscribeB.seen;
    ha.fireEvent('event_a', { n: 2 });
    ha.fireEvent('event_b', { n: 1 });
    subscribeB.release();
    await switching;
    ha.fireEvent('event_a', { n: 3 });
    ha.fireEvent('event_b', { n: 2 });
    await waitFor(() => heard.get('event_b')!.length >= 2, 5000, 'the last event');
    expect(heard.get('event_a')).toEqual([1, 2, 3]);
    expect(heard.get('event_b')).toEqual([1, 2]);
    // The change made while neither stream was current is judged as a live change.
    const temp = changes.filter((c) => c.entityId === 'sensor.temp' && c.kind === 'changed');
    expect(temp.map((c) => [c.newState?.state, c.fromSnapshot])).toEqual([['25', false]]);
    expect(statuses).not.toContain('disconnected');
    await waitFor(() => ha.connections === 1, 5000, 'the old connection closed');
    expect(ha.failedLoginsInARow).toBe(0);
    // The old token can go now: the bot no longer uses it.
    ha.revokeToken(T1);
    ha.setState('sensor.temp', '26');
    await waitFor(() => changes.some((c) => c.newState?.state === '26'), 5000, 'a later change');
    expect(await client.command({ type: 'get_config' })).toMatchObject({ state: 'RUNNING' });
    expect(statuses).not.toContain('disconnected');
  });

  it('answers the commands in flight on the old connection before closing it', async () => {
    w = await world();
    const { ha, client, logs } = w;
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    ha.setCommandHandler('test/slow', async () => {
      await slow;
      return { result: 'done' };
    });
    const pending = client.command<string>({ type: 'test/slow' });
    const t2 = ha.issueToken('new token');
    const switching = client.switchToken(t2, staticCredentials(t2));
    await waitFor(
      () => logs.some((l) => l.includes('closing the connection of the previous one')),
      5000,
      'the switch',
    );
    expect(ha.connections).toBe(2);
    finish();
    await expect(pending).resolves.toBe('done');
    await switching;
    await waitFor(() => ha.connections === 1, 5000, 'the old connection closed');
  });

  it('refuses a token HA rejects, and keeps the old connection as it was', async () => {
    w = await world();
    const { ha, client, statuses } = w;
    let rejected = 0;
    const bad = fixedFakeToken('unknown');
    await expect(
      client.switchToken(bad, { ...staticCredentials(bad), rejected: () => (rejected++, false) }),
    ).rejects.toMatchObject({ code: 'invalid_auth', message: 'Invalid access token or password' });
    expect(rejected).toBe(1);
    expect(ha.authFailures).toBe(1);
    expect(statuses).toEqual(['connected']);
    ha.setState('sensor.temp', '30');
    await waitFor(
      () => w!.changes.some((c) => c.newState?.state === '30' && !c.fromSnapshot),
      5000,
      'a change through the old connection',
    );
    expect(ha.connections).toBe(1);
  });
});
