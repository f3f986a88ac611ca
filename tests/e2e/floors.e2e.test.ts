/**
 * Floors and labels end to end: the real bot against each real Home Assistant release. On
 * 2025.4.4 a floor and a label made over HA's websocket, the kitchen put on the floor and a label
 * on the coffee maker while the bot runs, then `/ha toggle` by floor and by label. On 2024.3.3
 * (whose websocket API lists floors and labels but cannot assign them) the same steps prove
 * that the bot works as before.
 */
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { BotProcess } from '../integration/harness.js';
import { EPHEMERAL, sendHa, suggestHa } from '../integration/world.js';
import type { HaCommandError } from './ha/real-ha.js';
import { endToEndHooks, startBridge } from './ha/bot.js';
import { byRelease, startRealHa, type RealHa } from './ha/real-ha.js';

let ha: RealHa;
let discord: FakeDiscord;
let bot: BotProcess;
let floorId: string;
let labelId: string;

/** 2024.3.3 has the registries, but its websocket API cannot put anything on a floor or label. */
const ASSIGNS = byRelease({ '2024.3.3': false, '2025.4.4': true });

async function stateOf(entityId: string): Promise<string | undefined> {
  const states = await ha.ws<{ entity_id: string; state: string }[]>({ type: 'get_states' });
  return states.find((s) => s.entity_id === entityId)?.state;
}

async function suggest(value: string): Promise<{ name: string; value: string }[]> {
  const handle = await suggestHa(discord, 'toggle', 'target', { target: value });
  return (await handle.waitForAutocomplete()) as { name: string; value: string }[];
}

/** HA's answer to a command that 2024.3.3 refuses ("extra keys not allowed"). */
async function assign(msg: Record<string, unknown>): Promise<void> {
  try {
    await ha.ws(msg);
    expect(ASSIGNS).toBe(true);
  } catch (error) {
    expect(ASSIGNS).toBe(false);
    expect((error as HaCommandError).message).toMatch(/^extra keys not allowed/);
  }
}

beforeAll(async () => {
  ha = await startRealHa();
  await ha.setupArea('Kitchen', ['light.kitchen_light']);
  // Both releases list, create and delete floors and labels; only 2025.4.4 takes floor aliases.
  floorId = (
    await ha.ws<{ floor_id: string }>({
      type: 'config/floor_registry/create',
      name: 'Downstairs',
      ...byRelease({ '2024.3.3': {}, '2025.4.4': { aliases: ['ground floor'] } }),
    })
  ).floor_id;
  labelId = (
    await ha.ws<{ label_id: string }>({
      type: 'config/label_registry/create',
      name: 'Morning',
      color: '#ffaa00',
    })
  ).label_id;
  ({ discord, bot } = await startBridge(ha, { HA_STATE_WAIT_MS: '3000' }));
  await bot.waitForLog((l) => l.msg === 'registries loaded' && l.floors === 1 && l.labels === 1);
}, 15 * 60_000);

endToEndHooks(() => ({ bots: [bot], discord, ha }));

describe('floors and labels against real Home Assistant', () => {
  it('follows a floor and a label assigned while the bot runs', async () => {
    const kitchen = (
      await ha.ws<{ area_id: string; name: string }[]>({ type: 'config/area_registry/list' })
    ).find((a) => a.name === 'Kitchen')!;
    await assign({
      type: 'config/area_registry/update',
      area_id: kitchen.area_id,
      floor_id: floorId,
    });
    await assign({
      type: 'config/entity_registry/update',
      entity_id: 'switch.coffee_maker',
      labels: [labelId],
    });
    if (!ASSIGNS) {
      // Nothing is on the floor or carries the label: neither is offered.
      expect((await suggest('downst')).map((c) => c.value)).toEqual([]);
      return;
    }
    // HA's registry events reach the bot; the floor is offered once it holds an entity.
    let choices = await suggest('downst');
    for (let i = 0; i < 100 && choices[0]?.value !== `floor:${floorId}`; i++) {
      await new Promise((r) => setTimeout(r, 100));
      choices = await suggest('downst');
    }
    expect(choices[0]).toEqual({ name: 'Downstairs (floor)', value: `floor:${floorId}` });
    expect((await suggest('ground fl'))[0]?.value).toBe(`floor:${floorId}`);
    expect((await suggest('morn'))[0]).toEqual({
      name: 'Morning (label)',
      value: `label:${labelId}`,
    });
  });

  it('/ha toggle <floor> toggles the entities of its areas', async () => {
    const before = await stateOf('light.kitchen_light');
    const reply = await (
      await sendHa(discord, 'toggle', { target: 'downstairs' })
    ).waitForReply(10_000);
    if (ASSIGNS) {
      const after = before === 'on' ? 'off' : 'on';
      // One entity on the floor: the reply names it.
      expect(reply.embeds[0].title).toBe(`Kitchen Light is ${after}`);
      expect(await stateOf('light.kitchen_light')).toBe(after);
      // As autocomplete sends it.
      await (await sendHa(discord, 'toggle', { target: `floor:${floorId}` })).waitForReply(10_000);
      expect(await stateOf('light.kitchen_light')).toBe(before);
    } else {
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(reply.content).toBe('Floor Downstairs has nothing that can be toggled.');
      expect(await stateOf('light.kitchen_light')).toBe(before);
    }
  });

  it('/ha toggle <label> toggles the entities carrying it', async () => {
    const before = await stateOf('switch.coffee_maker');
    const reply = await (
      await sendHa(discord, 'toggle', { target: 'Morning' })
    ).waitForReply(10_000);
    if (ASSIGNS) {
      const after = before === 'on' ? 'off' : 'on';
      expect(reply.embeds[0].title).toBe(`Coffee Maker is ${after}`);
      expect(await stateOf('switch.coffee_maker')).toBe(after);
    } else {
      expect(reply.content).toBe('Label Morning has nothing that can be toggled.');
      expect(await stateOf('switch.coffee_maker')).toBe(before);
    }
  });

  it('works by area as before, and says nothing alarming about floors or labels', async () => {
    const before = await stateOf('light.kitchen_light');
    const reply = await (
      await sendHa(discord, 'toggle', { target: 'kitchen' })
    ).waitForReply(10_000);
    expect(reply.embeds[0].title).toBe(`Kitchen Light is ${before === 'on' ? 'off' : 'on'}`);
    expect(bot.logs.filter((l) => l.level >= 40)).toEqual([]);
  });
});
