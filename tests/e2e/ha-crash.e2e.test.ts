/**
 * A real Home Assistant killed with SIGKILL (a power loss, the OOM killer): it restarts with
 * the states of its last periodic save, so an entity that changed since comes back stale,
 * and a real change right after HA is RUNNING can bring it back to the value the bot last
 * saw. The bot must report that once, and nothing for the entities HA restored as they were.
 * This HA runs `recorder:` and `history:`, as `default_config:` does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';
import type { BotProcess, LogLine } from '../integration/harness.js';
import { ALERT_CHANNEL_ID } from '../integration/world.js';
import { startRealHa, type RealHa } from './ha/real-ha.js';
import { endToEndHooks, startBridge } from './ha/bot.js';
import { setTemperature } from './ha/home.js';

let ha: RealHa;
let discord: FakeDiscord;
let bot: BotProcess;

interface Embed {
  title?: string;
  description?: string;
}

const alertEmbeds = (from: number): Embed[] =>
  discord.messages
    .slice(from)
    .filter((m) => m.channelId === ALERT_CHANNEL_ID)
    .flatMap((m) => (m.body as { embeds?: Embed[] }).embeds ?? []);

async function service(domain: string, name: string, entityId: string, data = {}): Promise<void> {
  await ha.ws({
    type: 'call_service',
    domain,
    service: name,
    target: { entity_id: entityId },
    service_data: data,
  });
}

const setDoor = (state: string) =>
  service('input_boolean', `turn_${state}`, 'input_boolean.front_door_open');

/** The door's state in HA's last save of its states (written at start and every 15 min). */
async function savedDoor(): Promise<string> {
  const saved = JSON.parse(
    await readFile(path.join(ha.configDir, '.storage', 'core.restore_state'), 'utf8'),
  ) as { data: { state: { entity_id: string; state: string } }[] };
  const door = saved.data.find((d) => d.state.entity_id === 'input_boolean.front_door_open');
  if (door === undefined) throw new Error('the door is not in core.restore_state');
  return door.state.state;
}

const other = (state: string) => (state === 'on' ? 'off' : 'on');

/**
 * Changes the door to what HA's last save does not have (so HA will restore it stale) and
 * waits for its alert; then kills HA. Returns the door's state before the crash.
 */
async function crashWithStaleDoor(): Promise<string> {
  const door = other(await savedDoor());
  const states = await ha.ws<{ entity_id: string; state: string }[]>({ type: 'get_states' });
  const stateOf = (id: string) => states.find((s) => s.entity_id === id)?.state;
  // HA sets the temperature to its `initial: 21` at every start: put it there first, so the
  // door is the only difference the restart makes.
  if (Number(stateOf('sensor.temp')) !== 21) {
    const from = discord.messages.length;
    await setTemperature(ha, 21);
    await waitFor(
      () => alertEmbeds(from).some((e) => e.title === 'Temp: 21.0 °C'),
      15_000,
      'the temperature back at 21',
    );
  }
  const now = stateOf('binary_sensor.front_door');
  if (now !== door) {
    const from = discord.messages.length;
    await setDoor(door);
    await waitFor(
      () => alertEmbeds(from).some((e) => e.title === `Front Door: ${door}`),
      15_000,
      'the live door alert',
    );
  }
  await ha.crash();
  return door;
}

/**
 * After HA is back: waits until the bot has posted what it found (its history check
 * included), then for a later live change's alert. Returns the embeds since `from`.
 */
async function alertsAfterRestart(from: number, logs: number, marker: number): Promise<Embed[]> {
  await waitFor(
    () => alertEmbeds(from).some((e) => e.title?.startsWith('Front Door:')),
    60_000,
    'the door alert',
  );
  const compared = bot.logs
    .slice(logs)
    .find((l: LogLine) => l.msg.startsWith('compared the states'));
  if (compared !== undefined && Number(compared.unsure) > 0) {
    await bot.waitForMilestone('ha.history-checked', 60_000, logs);
  }
  await setTemperature(ha, marker);
  await waitFor(
    () => alertEmbeds(from).some((e) => e.title === `Temp: ${marker} °C`),
    15_000,
    'the temperature alert',
  );
  const embeds = alertEmbeds(from);
  const connected = bot.logs.slice(logs).find((l) => l.msg === 'Home Assistant connected');
  process.stderr.write(
    `[ha-crash] bot reconnected with HA ${String(connected?.coreState)}; alerts: ${JSON.stringify(
      embeds.map((e) => [e.title, e.description]),
    )}\n`,
  );
  return embeds;
}

beforeAll(async () => {
  ha = await startRealHa({ extraConfig: 'recorder:\nhistory:' });
  ({ discord, bot } = await startBridge(ha, {
    ALERT_ENTITIES: 'sensor.temp,binary_sensor.*_door',
    HA_PING_INTERVAL_MS: '5000',
  }));
}, 15 * 60_000);

endToEndHooks(() => ({ bots: [bot], discord, ha }));

describe('Home Assistant killed and restarted', () => {
  it('a stale state restored, the real one right at RUNNING: exactly one alert', async () => {
    const door = await crashWithStaleDoor();
    const from = discord.messages.length;
    const logs = bot.logs.length;
    await ha.restart({ waitRunning: false });
    await ha.waitRunning(60_000, 10);
    // The door sensor reports its real state the moment HA is RUNNING.
    await setDoor(door);

    // However the bot came back (after RUNNING: HA's history tells; during start-up: it saw
    // the stale state itself), it reports the door once.
    const embeds = await alertsAfterRestart(from, logs, 33.5);
    expect(embeds.map((e) => e.title)).toEqual([`Front Door: ${door}`, 'Temp: 33.5 °C']);
    const stale = other(door);
    expect(embeds[0]!.description).toMatch(
      new RegExp(`^Changed while Home Assistant restarted: ${door} → ${stale} → ${door} `),
    );
  });

  it('the bot connected while HA starts, the real state right at RUNNING: exactly one alert', async () => {
    const door = await crashWithStaleDoor();
    const from = discord.messages.length;
    const logs = bot.logs.length;
    // The test config's slow_start integration holds HA in start-up: the bot connects then.
    process.env.HA_E2E_SLOW_START_S = '5';
    try {
      await ha.restart({ waitRunning: false });
    } finally {
      delete process.env.HA_E2E_SLOW_START_S;
    }
    const connected = await bot.waitForMilestone('ha.connected', 60_000, logs);
    expect(connected.coreState).not.toBe('RUNNING');
    await ha.waitRunning(60_000, 10);
    await setDoor(door);

    const embeds = await alertsAfterRestart(from, logs, 34.5);
    expect(embeds.map((e) => e.title)).toEqual([`Front Door: ${door}`, 'Temp: 34.5 °C']);
    const stale = other(door);
    expect(embeds[0]!.description).toMatch(
      new RegExp(`^Changed while Home Assistant restarted: ${door} → ${stale} → ${door} `),
    );
  });
});
