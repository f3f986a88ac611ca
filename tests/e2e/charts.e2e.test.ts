/**
 * History charts and the logbook against real Home Assistant (issue 19): HA with `recorder:`
 * and `history:` (as `default_config:`), states written over its websocket, then charted by
 * the real bot. The readers in src/ha/history.ts are also run against HA's own answers.
 */
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { BotProcess } from '../integration/harness.js';
import { sendHa } from '../integration/world.js';
import { logbookEntries, stateChanges, statistics } from '../../src/ha/history.js';
import { setTemperature } from './ha/home.js';
import { endToEndHooks, startBridge } from './ha/bot.js';
import { startRealHa, type RealHa } from './ha/real-ha.js';

let ha: RealHa;
let discord: FakeDiscord;
let bot: BotProcess;
let started: number;
const client = () => ({ command: <T>(msg: Record<string, unknown>) => ha.ws<T>(msg) });

beforeAll(async () => {
  // The recorder commits every second (HA's default: 5 s).
  ha = await startRealHa({ extraConfig: 'recorder:\n  commit_interval: 1\nhistory:' });
  started = Date.now();
  ({ discord, bot } = await startBridge(ha));
  for (const value of [25, 18, 22.5]) await setTemperature(ha, value);
  for (const service of ['turn_on', 'turn_off'])
    await ha.ws({
      type: 'call_service',
      domain: 'input_boolean',
      service,
      target: { entity_id: 'input_boolean.front_door_open' },
    });
  // Until HA's recorder has committed the last change of both entities (one commit a second:
  // the temperature's last value and the switch's last change may land in different ones).
  for (let i = 0; i < 300; i++) {
    const got = await stateChanges(
      client(),
      ['input_number.temperature', 'input_boolean.front_door_open'],
      started - 60_000,
      Date.now(),
    );
    const last = (id: string) =>
      got?.states
        .get(id)
        ?.map((r) => r.state)
        .join(',');
    if (
      last('input_number.temperature')?.endsWith('22.5') &&
      last('input_boolean.front_door_open')?.endsWith('on,off')
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 15 * 60_000);

endToEndHooks(() => ({ bots: [bot], discord, ha }));

describe('history charts against real Home Assistant', () => {
  it("reads HA's minimal history rows: each value, in order, in ms", async () => {
    const got = await stateChanges(
      client(),
      ['input_number.temperature', 'input_boolean.front_door_open'],
      started - 60_000,
      Date.now(),
    );
    const rows = got!.states.get('input_number.temperature')!;
    expect(rows.map((r) => r.state).slice(-3)).toEqual(['25.0', '18.0', '22.5']);
    for (const r of rows) expect(r.t).toBeGreaterThan(started - 120_000);
    expect(got!.states.get('input_boolean.front_door_open')!.map((r) => r.state)).toEqual([
      'off',
      'on',
      'off',
    ]);
  });

  it('asks long-term statistics in the form HA accepts', async () => {
    // Statistics are compiled every 5 minutes: none yet, but the request is valid.
    const got = await statistics(
      client(),
      ['sensor.temp'],
      started - 3_600_000,
      Date.now(),
      'hour',
    );
    expect(got).toBeInstanceOf(Map);
  });

  it('/ha history posts a chart of the written states as a PNG', async () => {
    const handle = await sendHa(discord, 'history', {
      entity: 'input_number.temperature',
      period: '1h',
    });
    const reply = await handle.waitForReply(30_000);
    expect(reply.embeds[0].title).toBe('Temperature · last 1 h');
    expect(reply.embeds[0].description).toContain("From HA's history");
    const file = handle.replies.flatMap((r) => r.files ?? [])[0]!;
    expect(file.name).toBe('history.png');
    expect(file.data.readUInt32BE(16)).toBe(800);
  });

  it('/ha logbook lists the changes the harness made, by the person of its HA user', async () => {
    const entries = await logbookEntries(client(), started - 60_000, Date.now(), [
      'input_boolean.front_door_open',
    ]);
    expect(entries!.map((e) => e.state)).toEqual(['off', 'on']);
    expect(entries![0]!.userId).toMatch(/^[0-9a-f]{32}$/);
    // A number with a unit is "continuous": HA's logbook leaves it out, as its UI does.
    const numbers = await logbookEntries(client(), started - 60_000, Date.now(), [
      'input_number.temperature',
    ]);
    expect(numbers).toEqual([]);
    const reply = await (
      await sendHa(discord, 'logbook', { entity: 'input_boolean.front_door_open', period: '1h' })
    ).waitForReply(30_000);
    expect(reply.embeds[0].description).toMatch(
      /^<t:\d+:t> \*\*Front door open\*\* turned off — by \*\*E2E Owner\*\*\n<t:\d+:t> \*\*Front door open\*\* turned on — by \*\*E2E Owner\*\*$/,
    );
  });
});
