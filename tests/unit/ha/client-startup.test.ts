/**
 * HaClient against the fake HA, in process: HA's start-up is followed by its events (no
 * polling of its state), restarts are decided once in src/ha and said in the status, and stop
 * releases the listeners registered on it.
 */
import { HaClient } from '../../../src/ha/client.js';
import { HaConnection } from '../../../src/ha/connection.js';
import { EntityStore } from '../../../src/ha/entity-store.js';
import { Registry } from '../../../src/ha/registry.js';
import type { HaStatus } from '../../../src/ha/types.js';
import { createLogger } from '../../../src/logging/logger.js';
import { FakeHomeAssistant, fixedFakeToken } from '../../fakes/ha/fake-ha.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = fixedFakeToken('startup');

let ha: FakeHomeAssistant | undefined;
let client: HaClient | undefined;
afterEach(async () => {
  client?.stop();
  await ha?.stop();
  client = undefined;
  ha = undefined;
});

async function connect(
  entities: number,
  coreState: 'RUNNING' | 'NOT_RUNNING',
): Promise<{ fake: FakeHomeAssistant; ha: HaClient; statuses: HaStatus[] }> {
  const fake = new FakeHomeAssistant({
    token: TOKEN,
    entities: Array.from({ length: entities }, (_, i) => ({
      entity_id: `sensor.s${i}`,
      state: '1',
    })),
  });
  ha = fake;
  await fake.start();
  fake.coreState = coreState;
  const options = {
    websocketUrl: `${fake.url.replace(/^http/, 'ws')}/api/websocket`,
    token: TOKEN,
    log: createLogger({ level: 'silent', secrets: [] }),
    store: new EntityStore(),
    registry: new Registry(),
    pingIntervalMs: 60_000,
    pingTimeoutMs: 10_000,
    // The poll this replaced asked this often; now only a failed question is asked again.
    startupPollMs: 1,
  };
  client = new HaClient(options);
  const statuses: HaStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  client.start();
  await waitFor(() => statuses.some((s) => s.kind === 'connected'), 5000, 'connected');
  return { fake, ha: client, statuses };
}

const getConfigs = (fake: FakeHomeAssistant) =>
  fake.received.filter((m: { type: string }) => m.type === 'get_config').length;

describe("HaClient: HA's start-up", () => {
  it('asks HA its state only when HA says its config changed, not on a timer', async () => {
    const { fake, ha: client, statuses } = await connect(3, 'NOT_RUNNING');
    expect(statuses.at(-1)).toMatchObject({ kind: 'connected', coreState: 'NOT_RUNNING' });
    const asked = getConfigs(fake);
    // Twenty answers later, HA was not asked again.
    for (let i = 0; i < 20; i++) await client.command({ type: 'ping' });
    expect(getConfigs(fake)).toBe(asked);
    fake.coreState = 'RUNNING';
    fake.fireEvent('core_config_updated');
    await waitFor(
      () => client.status.kind === 'connected' && client.status.coreState === 'RUNNING',
      5000,
      'RUNNING',
    );
    expect(getConfigs(fake)).toBe(asked + 1);
  });

  it('says restarted once RUNNING when its first connection found HA starting', async () => {
    const { fake, statuses } = await connect(3, 'NOT_RUNNING');
    fake.coreState = 'RUNNING';
    fake.fireEvent('core_config_updated');
    await waitFor(
      () => statuses.find((s) => s.kind === 'connected' && s.coreState === 'RUNNING'),
      5000,
      'RUNNING',
    );
    expect(statuses.filter((s) => s.kind === 'connected')).toEqual([
      {
        kind: 'connected',
        haVersion: expect.any(String),
        coreState: 'NOT_RUNNING',
        restarted: true,
      },
      { kind: 'connected', haVersion: expect.any(String), coreState: 'RUNNING', restarted: true },
    ]);
  });

  it("says when most of HA's states last changed, for the alerts to tell a restart by", async () => {
    const { ha: client } = await connect(3, 'RUNNING');
    const status = client.status;
    expect(status).toMatchObject({ kind: 'connected', coreState: 'RUNNING', restarted: false });
    expect(status.kind === 'connected' && status.statesRenewedAt).toEqual(expect.any(Number));
  });
});

describe('HaClient: stop releases listeners', () => {
  it('a status listener is not called after stop', () => {
    const connection = new HaConnection({
      websocketUrl: 'ws://127.0.0.1:1/api/websocket',
      token: TOKEN,
      log: createLogger({ level: 'silent', secrets: [] }),
    });
    const heard: string[] = [];
    connection.onStatus((s) => heard.push(s.kind));
    connection.setStatus({ kind: 'disconnected', reason: 'test' });
    connection.stop();
    connection.setStatus({ kind: 'connecting' });
    expect(heard).toEqual(['disconnected']);
  });
});
