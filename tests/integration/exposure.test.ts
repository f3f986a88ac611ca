import { writeFileSync } from 'node:fs';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { BotProcess } from './harness.js';
import {
  botEnv,
  expectDiscordRulesKept,
  HOME,
  sendHa,
  startFakes,
  configFile,
  suggestHa,
} from './world.js';

/** HA's answer to `homeassistant/expose_entity/list`, per entity and assistant. */
const exposedList = (exposed: Set<string>) => ({
  result: {
    exposed_entities: Object.fromEntries(
      HOME.entities.map((e) => [
        e.entity_id,
        { conversation: exposed.has(e.entity_id), 'cloud.alexa': true },
      ]),
    ),
  },
});

describe('scoped to what HA exposes to its voice assistant', () => {
  let ha: FakeHomeAssistant;
  let discord: FakeDiscord;
  let bot: BotProcess;
  const exposed = new Set(['light.kitchen_light', 'sensor.temp']);
  const config = configFile('access:\n  exposed_only: true\n');

  beforeAll(async () => {
    ({ ha, discord } = await startFakes());
    ha.setCommandHandler('homeassistant/expose_entity/list', () => exposedList(exposed));
    bot = BotProcess.start(botEnv(ha, discord, { CONFIG_FILE: config }));
    await bot.waitForMilestone('bridge.ready');
    await bot.waitForMilestone('ha.connected');
  });
  afterAll(async () => {
    await bot.stop();
    await Promise.all([ha.stop(), discord.stop()]);
  });
  afterEach(() => expectDiscordRulesKept(discord));

  const suggestions = async (value: string) =>
    (
      await (await suggestHa(discord, 'toggle', 'target', { target: value })).waitForAutocomplete()
    ).map((c) => c.value);

  it('acts on exposed entities and refuses the rest, even to a server manager', async () => {
    const ok = await (
      await sendHa(discord, 'on', { target: 'light.kitchen_light' })
    ).waitForReply();
    expect(ok.embeds[0].title).toBe('Kitchen Light is on');
    const no = await (await sendHa(discord, 'on', { target: 'switch.kettle' })).waitForReply();
    expect(no.content).toContain('`switch.kettle` is not exposed to voice assistants');
    expect(ha.states.get('switch.kettle')!.state).toBe('off');
    const read = await (
      await sendHa(discord, 'state', { entity: 'sensor.humidity' })
    ).waitForReply();
    expect(read.content).toContain('not exposed');
  });

  it('hides /ha from members when the policy grants them nothing', () => {
    const [ha] = [...discord.commands.guild.values()].flat();
    expect(ha!.default_member_permissions).toBe('32'); // Manage Server
  });

  it('offers only exposed entities in autocomplete', async () => {
    // The area for its one exposed entity, then that entity.
    expect(await suggestions('kitchen')).toEqual(['area:kitchen', 'light.kitchen_light']);
  });

  it('follows HA when an entity is exposed later', async () => {
    exposed.add('switch.kettle');
    // HA fires entity_registry_updated when an entity's expose setting changes.
    ha.setRegistry([
      ...HOME.registry,
      { entity_id: 'switch.kettle', area_id: 'kitchen', name: 'K' },
    ]);
    for (let i = 0; i < 100 && !(await suggestions('kettle')).includes('switch.kettle'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await suggestions('kettle')).toEqual(['switch.kettle']);
  });

  it('turns off and on again with a config reload, loading only the exposure list', async () => {
    exposed.delete('switch.kettle');
    const reload = async (yaml: string) => {
      writeFileSync(config, yaml);
      const from = bot.logs.length;
      bot.kill('SIGHUP');
      await bot.waitForMilestone('config.reloaded', 5_000, from);
    };
    await reload('access:\n  exposed_only: false\n');
    expect(await suggestions('kettle')).toEqual(['switch.kettle']);

    const registryLoads = () =>
      ha.received.filter((m: { type: string }) => m.type === 'config/area_registry/list').length;
    const loadsBefore = registryLoads();
    await reload('access:\n  exposed_only: true\n');
    for (let i = 0; i < 100 && (await suggestions('kitchen')).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await suggestions('kitchen')).toEqual(['area:kitchen', 'light.kitchen_light']);
    expect(await suggestions('kettle')).toEqual([]);
    expect(registryLoads()).toBe(loadsBefore);
  });
});
