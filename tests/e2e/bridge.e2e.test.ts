/**
 * The bot end to end against a real Home Assistant Core (each release in tests/e2e/ha/releases.txt,
 * one jest project each): started as `npm start`
 * starts it (dist/index.js), with the real discord.js against the fake Discord, and the
 * real home-assistant-js-websocket against real HA on 127.0.0.1.
 */
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';
import { BotProcess } from '../integration/harness.js';
import {
  ALERT_CHANNEL_ID,
  alertsDrained,
  DISCORD_TOKEN,
  DRAIN_MARKER,
  EPHEMERAL,
  GUILD_ID,
  MANAGER,
  sendHa,
} from '../integration/world.js';
import { HA_VERSION, HaSocket, startRealHa, type RealHa } from './ha/real-ha.js';
import { setTemperature } from './ha/home.js';
import { endToEndHooks, startBridge } from './ha/bot.js';

let ha: RealHa;
let discord: FakeDiscord;
let bot: BotProcess;

async function states(): Promise<
  Map<string, { state: string; attributes: Record<string, unknown> }>
> {
  const list = await ha.ws<
    { entity_id: string; state: string; attributes: Record<string, unknown> }[]
  >({ type: 'get_states' });
  return new Map(list.map((s) => [s.entity_id, s]));
}

function command(subcommand: string, options: Record<string, string>) {
  return sendHa(discord, subcommand, options);
}

const alerts = () => discord.messages.filter((m) => m.channelId === ALERT_CHANNEL_ID);
const alertText = () =>
  alerts()
    .map((m) => JSON.stringify(m.body))
    .join('\n');

/** Real HA as alertsDrained() fires its marker: a `fire_event` command. */
const realHaEvents = {
  fireEvent: (eventType: string, data: Record<string, unknown>) =>
    ha.ws({ type: 'fire_event', event_type: eventType, event_data: data }),
};

/** Lets all queued alerts out (a marker goes last); none since `count` may be start-up noise. */
async function expectNoAlertsSince(count: number): Promise<void> {
  await alertsDrained({ ha: realHaEvents, discord });
  expect(
    alerts()
      .slice(count)
      .map((m) => JSON.stringify(m.body))
      .filter((text) => !text.includes(DRAIN_MARKER)),
  ).toEqual([]);
}

beforeAll(async () => {
  ha = await startRealHa();
  await ha.setupArea('Kitchen', ['light.kitchen_light']);
  ({ discord, bot } = await startBridge(ha, {
    ALERT_ENTITIES: 'sensor.temp,binary_sensor.*_door',
    HA_PING_INTERVAL_MS: '5000',
    HA_STATE_WAIT_MS: '3000',
  }));
}, 15 * 60_000);

endToEndHooks(() => ({ bots: [bot], discord, ha }));

describe('the bot against real Home Assistant', () => {
  it('/ha toggle kitchen turns the real kitchen light on, and HA hears who did it', async () => {
    const listener = await HaSocket.connect(ha.url, ha.token);
    try {
      const events: { data: Record<string, unknown>; context: { id: string } }[] = [];
      await listener.subscribe(
        { type: 'subscribe_events', event_type: 'discord_bridge_command' },
        (e) => events.push(e as (typeof events)[number]),
      );
      expect((await states()).get('light.kitchen_light')?.state).toBe('off');
      const reply = await (await command('toggle', { target: 'kitchen' })).waitForReply(10_000);
      expect((await states()).get('light.kitchen_light')?.state).toBe('on');
      expect(reply.embeds[0].title).toBe('Kitchen Light is on');
      const [event] = await waitFor(() => events.length > 0 && events, 10_000, 'the HA event');
      expect(event!.data).toMatchObject({
        command: 'toggle',
        service: 'light.toggle',
        entity_id: ['light.kitchen_light'],
        user_name: 'owner',
        confirmed: false,
      });
      // The context id HA gave the service call: what HA's traces and logbook show.
      expect(event!.data.context_id).toMatch(/^[0-9A-Z]{26}$/);
    } finally {
      listener.close();
    }
  });

  it("writes who did it in HA's logbook, on the entity", async () => {
    // The toggle above wrote it through the logbook.log service; the logbook reads it back from
    // the recorder's database, which commits every few seconds.
    const end = Date.now() + 20_000;
    for (;;) {
      const entries = await ha.ws<{ name?: string; message?: string; entity_id?: string }[]>({
        type: 'logbook/get_events',
        start_time: new Date(Date.now() - 10 * 60_000).toISOString(),
        entity_ids: ['light.kitchen_light'],
      });
      const line = entries.find((e) => e.name === 'Discord');
      if (line) {
        expect(line).toMatchObject({
          message: 'owner ran /ha toggle (light.toggle)',
          entity_id: 'light.kitchen_light',
        });
        return;
      }
      if (Date.now() > end) throw new Error(`no logbook line: ${JSON.stringify(entries)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it("/ha ask passes a sentence to HA's Assist, which acts on it", async () => {
    expect((await states()).get('switch.coffee_maker')?.state).toBe('off');
    const reply = await (
      await command('ask', { text: 'turn on the coffee maker' })
    ).waitForReply(15_000);
    expect((await states()).get('switch.coffee_maker')?.state).toBe('on');
    expect(reply.embeds[0]).toMatchObject({
      author: { name: 'owner: turn on the coffee maker' },
      footer: { text: 'Home Assistant Assist' },
      color: 0x2ecc71, // action_done
    });
    expect(reply.embeds[0].description).toBeTruthy();
    // What Assist reports it did is what the audit records.
    const audit = await bot.waitForLog((l) => l.msg === 'control action' && l.command === 'ask');
    expect(audit.entityIds).toEqual(['switch.coffee_maker']);
  });

  it('an alias and an area made in HA while the bot runs work at once, with /ha call', async () => {
    await ha.ws({
      type: 'config/entity_registry/update',
      entity_id: 'switch.coffee_maker',
      aliases: ['espresso machine'],
    });
    await ha.setupArea('Pantry', ['switch.coffee_maker']);
    // The bot reloads the registries on HA's *_registry_updated events: ask until it knows.
    const end = Date.now() + 15_000;
    for (;;) {
      const reply = await (
        await command('state', { entity: 'espresso machine' })
      ).waitForReply(10_000);
      if (reply.embeds?.[0]?.title === 'Coffee Maker') break;
      if (Date.now() > end) throw new Error(`alias unknown: ${JSON.stringify(reply)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // A service that returns no response: the bot must not ask for one (2025.4 refuses that).
    const reply = await (
      await command('call', { service: 'switch.turn_off', target: 'pantry' })
    ).waitForReply(10_000);
    expect(reply.flags & EPHEMERAL).toBe(0);
    expect(reply.embeds[0].footer.text).toBe('Called switch.turn_off by owner');
    expect((await states()).get('switch.coffee_maker')?.state).toBe('off');
  });

  it('/ha state sensor.temp shows the value and unit', async () => {
    const reply = await (await command('state', { entity: 'sensor.temp' })).waitForReply(10_000);
    expect(reply.embeds[0].description).toMatch(/^21(\.0)? °C$/);
  });

  it('a change of the input_number behind sensor.temp becomes an alert', async () => {
    await setTemperature(ha, 23.5);
    await waitFor(() => alertText().includes('23.5 °C'), 15_000, 'temperature alert');
  });

  it('posts what an HA automation sends with discord_bridge_send, pinging no one', async () => {
    await ha.ws({
      type: 'fire_event',
      event_type: 'discord_bridge_send',
      event_data: {
        message: `Hello from **real** HA, <@${MANAGER.id}> @everyone`,
        title: 'From Home Assistant',
        color: 'orange',
        // No camera integration in this HA: its REST API answers 404, and the message goes without.
        image_entity: 'camera.front_door',
      },
    });
    const message = await discord.waitForMessage(
      (m) => JSON.stringify(m.body).includes('Hello from **real** HA'),
      15_000,
    );
    expect(message.channelId).toBe(ALERT_CHANNEL_ID);
    expect(message.body.embeds[0]).toMatchObject({
      title: 'From Home Assistant',
      description: `Hello from **real** HA, <@${MANAGER.id}> @everyone`,
      color: 0xe67e22,
    });
    expect(message.body.embeds[0].footer.text).toContain(
      'Image from camera.front_door could not be attached',
    );
    expect(message.body.allowed_mentions).toEqual({ parse: [] });
    const queued = await bot.waitForMilestone('ha-send.queued');
    // HA's context id of the event: what the automation's trace shows.
    expect(queued.contextId).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('a script posting with a tag edits its one message when run again', async () => {
    const runBoard = () =>
      ha.ws({
        type: 'call_service',
        domain: 'script',
        service: 'temperature_board',
        service_data: {},
      });
    await setTemperature(ha, 19);
    await runBoard();
    const board = await discord.waitForMessage(
      (m) => m.body.embeds?.[0]?.title === 'Temperature' && !m.deletedAt,
      15_000,
    );
    expect(board.body.embeds[0]).toMatchObject({
      description: '19.0 °C',
      fields: [{ name: 'Kitchen light', inline: true }],
    });
    await setTemperature(ha, 20);
    await runBoard();
    await waitFor(
      () => board.body.embeds[0].description === '20.0 °C',
      15_000,
      'the board edited by the second run',
    );
    expect(board.editedAt).toEqual(expect.any(Number));
    expect(
      discord.messages.filter((m) => m.body.embeds?.[0]?.title === 'Temperature'),
    ).toHaveLength(1);
  });

  it('/ha call shows the response of a real script', async () => {
    const reply = await (
      await command('call', { service: 'script.morning_report' })
    ).waitForReply(10_000);
    expect(reply.embeds[0].footer.text).toBe('Called script.morning_report by owner');
    const response = String(reply.embeds[0].fields[0].value);
    // HA renders the script's templates to native types: a number, a state string.
    expect(response).toMatch(/"temperature": 2\d(\.\d+)?,/);
    expect(response).toMatch(/"kitchen_light": "(on|off)"/);
  });

  it('/ha list shows the real entities of a domain with their states', async () => {
    const reply = await (await command('list', { domain: 'light' })).waitForReply(10_000);
    expect(reply.embeds[0].title).toMatch(/^light \(\d+\)$/);
    expect(reply.embeds[0].description).toContain('`light.kitchen_light` — on');
  });

  it("shows HA's reason, privately, when HA rejects the call", async () => {
    const reply = await (
      await command('on', { target: 'switch.broken_heater' })
    ).waitForReply(10_000);
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    // What Discord shows: markdown escapes in HA's text render as plain characters.
    const shown = String(reply.content).replace(/\\(.)/g, '$1');
    expect(shown).toContain('Invalid value for input_number.temperature: 999.0');
  });

  it('npm run doctor passes against the real HA: its REST API, a websocket login, HA version', async () => {
    const doctor = BotProcess.start(
      {
        DISCORD_TOKEN,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_ALERT_CHANNEL_ID: ALERT_CHANNEL_ID,
        HA_URL: ha.url,
        HA_TOKEN: ha.token,
      },
      { entry: 'dist/doctor.js' },
    );
    const { code } = await doctor.exited;
    expect(doctor.output).toMatch(/\[ ok \] Home Assistant API +API running at http:\/\/127/);
    expect(doctor.output).toMatch(/\[ ok \] Home Assistant websocket +logged in: Home Assistant /);
    expect(doctor.output).toContain(`Home Assistant ${HA_VERSION}, RUNNING`);
    expect(doctor.output).toContain('All checks passed.');
    expect(code).toBe(0);
  });

  it('reconnects after HA restarts; start-up changes are not alerts; commands and alerts work', async () => {
    // input_number.temperature has `initial: 21`: HA resets it on start. Put it there first, so
    // any alert during or after the restart would be start-up noise.
    await setTemperature(ha, 21);
    await alertsDrained({ ha: realHaEvents, discord });
    const from = bot.logs.length;
    const alertsBefore = alerts().length;
    await ha.restart();
    await bot.waitForLog(
      (l) =>
        (l.milestone === 'ha.connected' && l.coreState === 'RUNNING') ||
        l.milestone === 'ha.started',
      60_000,
      from,
    );
    await expectNoAlertsSince(alertsBefore);
    const reply = await (
      await command('off', { target: 'light.kitchen_light' })
    ).waitForReply(10_000);
    expect(reply.embeds[0].title).toBe('Kitchen Light is off');
    await setTemperature(ha, 30);
    await waitFor(
      () => alertText().includes('30.0 °C') || alertText().includes('30 °C'),
      15_000,
      'alert after restart',
    );
  });

  it('reconnecting while HA is still starting: subscriptions made then stay alive, no start-up alerts', async () => {
    await setTemperature(ha, 21);
    await alertsDrained({ ha: realHaEvents, discord });
    const from = bot.logs.length;
    const alertsBefore = alerts().length;
    process.env.HA_E2E_SLOW_START_S = '8';
    try {
      await ha.restart({ waitRunning: false });
      const connected = await bot.waitForMilestone('ha.connected', 60_000, from);
      expect(connected.coreState).not.toBe('RUNNING');
      await bot.waitForMilestone('ha.started', 60_000, from);
    } finally {
      delete process.env.HA_E2E_SLOW_START_S;
    }
    await expectNoAlertsSince(alertsBefore);
    await setTemperature(ha, 31.5);
    await waitFor(
      () => alertText().includes('31.5 °C'),
      15_000,
      'alert through the subscription made while starting',
    );
    const reply = await (await command('toggle', { target: 'kitchen' })).waitForReply(10_000);
    expect(reply.embeds[0].title).toMatch(/^Kitchen Light is (on|off)$/);
  });

  it('reports a revoked token clearly after HA restarts', async () => {
    await ha.revokeToken(ha.token);
    await ha.restart();
    const line = await bot.waitForMilestone('ha.token-rejected', 60_000);
    expect(line.msg).toContain('Long-lived access tokens');
    await waitFor(
      () => alertText().includes('rejected the token'),
      15_000,
      'notice in the alert channel',
    );
    const reply = await (await command('toggle', { target: 'kitchen' })).waitForReply(10_000);
    expect(reply.content).toContain("rejected the bot's access token");
  });
});
