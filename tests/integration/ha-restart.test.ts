import type { RecordedMessage } from '../fakes/discord/types.js';
import { ALERT_CHANNEL_ID, freshWorld, type World } from './world.js';

const DOOR = 'binary_sensor.front_door';

interface Embed {
  title?: string;
  description?: string;
}

/** The alert embeds posted since `from` (messages), in order. */
function alertEmbeds(world: World, from: number): Embed[] {
  return world.discord.messages
    .slice(from)
    .filter((m: RecordedMessage) => m.channelId === ALERT_CHANNEL_ID)
    .flatMap((m) => (m.body as { embeds?: Embed[] }).embeds ?? []);
}

/** A live change of another entity, and its alert: everything before it has been posted. */
async function marker(world: World, value: string): Promise<void> {
  world.ha.setState('sensor.temp', value);
  await world.discord.waitForMessage(
    (m) =>
      m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(`Temperature: ${value}`),
    15_000,
  );
}

/** How far the messages and the bot's log lines had got: what a test looks at comes after. */
interface Since {
  from: number;
  logs: number;
}

function now(world: World): Since {
  return { from: world.discord.messages.length, logs: world.bot.logs.length };
}

/** Opens the front door live and waits for its alert; returns where things stand after it. */
async function openDoor(world: World): Promise<Since> {
  world.ha.setState(DOOR, 'on');
  await world.discord.waitForMessage(
    (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Front Door: on'),
  );
  return now(world);
}

/**
 * Once HA runs again, the alerts since `since` are the door's change across the restart
 * (on → off → on) and then the marker's, `Temperature: <value>`: nothing else.
 */
async function expectDoorChangedAcrossRestart(
  world: World,
  { from, logs }: Since,
  value: string,
): Promise<void> {
  await world.bot.waitForMilestone('ha.started', 20_000, logs);
  await marker(world, value);
  expect(alertEmbeds(world, from).map((e) => [e.title, e.description])).toEqual([
    [
      'Front Door: on',
      expect.stringMatching(/^Changed while Home Assistant restarted: on → off → on /),
    ],
    [`Temperature: ${value} °C`, expect.any(String)],
  ]);
}

describe('nothing lost when Home Assistant restarts', () => {
  const world = freshWorld();

  it('a crash, a stale state restored, the real one right at RUNNING: one alert, from HA history', async () => {
    const { from, logs } = await openDoor(world());
    // HA's recorder commits every second (5 s in HA): the bot's first look may come too early.
    world().ha.recorder!.commitEvery(1000);
    await world().ha.restart({
      crash: true,
      downMs: 300,
      stale: { [DOOR]: 'off' },
      onRunning: () => world().ha.setState(DOOR, 'on'),
    });
    // HA was RUNNING, the door back 'on', before the bot could reconnect.
    const connected = await world().bot.waitForMilestone('ha.connected', 20_000, logs);
    expect(connected.coreState).toBe('RUNNING');
    await world().bot.waitForMilestone('ha.history-checked', 20_000, logs);
    await marker(world(), '30');
    expect(alertEmbeds(world(), from)).toEqual([
      {
        title: 'Front Door: on',
        description: expect.stringMatching(
          /^Changed while Home Assistant restarted: on → off → on \(last change <t:\d+:R>\)\.$/,
        ),
        color: expect.any(Number),
        footer: expect.any(Object),
      },
      expect.objectContaining({ title: 'Temperature: 30 °C' }),
    ]);
  });

  it('a restart that restores every state as it was: no alert', async () => {
    const { from, logs } = await openDoor(world());
    await world().ha.restart({ crash: true, downMs: 300 });
    await world().bot.waitForMilestone('ha.history-checked', 20_000, logs);
    await marker(world(), '31');
    expect(alertEmbeds(world(), from).map((e) => e.title)).toEqual(['Temperature: 31 °C']);
  });

  it('a change while HA is still starting is reported once it runs', async () => {
    const { from, logs } = await openDoor(world());
    await world().ha.restart({
      crash: true,
      downMs: 300,
      startingMs: 4000,
      stale: { [DOOR]: 'off' },
    });
    const connected = await world().bot.waitForMilestone('ha.connected', 20_000, logs);
    expect(connected.coreState).toBe('NOT_RUNNING');
    // The sensor reports its real state while HA is still starting.
    world().ha.setState(DOOR, 'on');
    await expectDoorChangedAcrossRestart(world(), { from, logs }, '32');
  });

  it('a crash, the bot connected during start-up, the stale state corrected right at RUNNING: one alert', async () => {
    const { from, logs } = await openDoor(world());
    await world().ha.restart({
      crash: true,
      downMs: 300,
      startingMs: 3000,
      stale: { [DOOR]: 'off' },
      onRunning: () => world().ha.setState(DOOR, 'on'),
    });
    const connected = await world().bot.waitForMilestone('ha.connected', 20_000, logs);
    expect(connected.coreState).toBe('NOT_RUNNING');
    await expectDoorChangedAcrossRestart(world(), { from, logs }, '34');
  });

  it('a change right at RUNNING, with the bot connected, is a live alert (HA says when it runs)', async () => {
    const { from, logs } = now(world());
    await world().ha.restart({
      downMs: 300,
      startingMs: 3000,
      onRunning: () => world().ha.setState(DOOR, 'on'),
    });
    const connected = await world().bot.waitForMilestone('ha.connected', 20_000, logs);
    expect(connected.coreState).toBe('NOT_RUNNING');
    const started = await world().bot.waitForMilestone('ha.started', 20_000, logs);
    await marker(world(), '33');
    const embeds = alertEmbeds(world(), from);
    expect(embeds.map((e) => e.title)).toEqual(['Front Door: on', 'Temperature: 33 °C']);
    // Not "missed": it happened while the bot was connected and HA RUNNING.
    expect(embeds[0]!.description).toMatch(/^was off · <t:\d+:R>$/);
    // The bot knew from HA's event, not from its next poll.
    expect(started.via).toBe('core_config_updated');
  });
});
