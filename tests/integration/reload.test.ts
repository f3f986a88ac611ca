import { writeFileSync } from 'node:fs';
import { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  EPHEMERAL,
  fakeDiscordNotYetUp,
  HA_TOKEN,
  HOME,
  sendHa,
  sharedWorld,
  configFile,
  HOUSEMATE,
  MEMBER,
} from './world.js';

const kitchenOnly = `access:
  grants:
    - everyone: true
      allow: [read]
    - roles: ["Home Control"]
      allow: [control]
      areas: [kitchen]
`;
const everywhere = `alerts:
  rules:
    - name: humidity
      entities: [sensor.humidity]
      above: 60
access:
  grants:
    - everyone: true
      allow: [read]
    - roles: ["Home Control"]
      allow: [control]
`;

describe('reloading the config file without a restart', () => {
  const path = configFile(kitchenOnly);
  const world = sharedWorld({ env: { CONFIG_FILE: path } });
  const asHousemate = (target: string) =>
    sendHa(world().discord, 'on', { target }, { user: HOUSEMATE });

  it('changes rules and policy on SIGHUP, with both connections kept', async () => {
    const refused = await (await asHousemate('light.bedroom_left')).waitForReply();
    expect(refused.content).toContain('to control `light.bedroom_left`');
    const haLogins = world().ha.authSuccesses;

    writeFileSync(path, everywhere);
    const from = world().bot.logs.length;
    world().bot.kill('SIGHUP');
    await world().bot.waitForMilestone('config.reloaded', 5_000, from);

    const allowed = await (await asHousemate('light.bedroom_left')).waitForReply();
    expect(allowed.embeds[0].title).toBe('Bedroom Left is on');
    world().ha.setState('sensor.humidity', '75');
    await world().discord.waitForMessage(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Humidity'),
    );
    expect(world().ha.authSuccesses).toBe(haLogins);
    expect(world().bot.running).toBe(true);
  });

  it('keeps the running config when the new file is invalid, and says why', async () => {
    writeFileSync(path, 'access:\n  grants:\n    - roles: [x]\n      allow: [fly]\n');
    const reply = await (await sendHa(world().discord, 'reload')).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toContain('The config was not reloaded');
    expect(reply.content).toContain(':4: access.grants.0.allow.0');
    const still = await (await asHousemate('light.bedroom_right')).waitForReply();
    expect(still.embeds[0].title).toBe('Bedroom Right is on');
  });

  it('is for server admins only', async () => {
    writeFileSync(path, kitchenOnly);
    const reply = await (
      await sendHa(world().discord, 'reload', {}, { user: MEMBER })
    ).waitForReply();
    expect(reply.content).toBe('You need the Manage Server permission to reload the config.');
    const ok = await (await sendHa(world().discord, 'reload')).waitForReply();
    expect(ok.content).toBe(
      'Config reloaded. 0 alert rule(s) from the file. The access policy from the file.',
    );
  });
});

describe('reloading before Discord is first ready', () => {
  it('registers /ha with the visibility of the reloaded policy', async () => {
    // Members may read: every member sees /ha.
    const path = configFile(kitchenOnly);
    const ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME });
    await ha.start();
    // Nothing listens on Discord's port yet: the bot retries, and its first READY comes later.
    const discord = await fakeDiscordNotYetUp();
    const bot = BotProcess.start(botEnv(ha, discord, { CONFIG_FILE: path }));
    try {
      await bot.waitForMessage('Discord unreachable, retrying');
      // No grants: /ha is for server managers only (Manage Server).
      writeFileSync(path, 'access:\n  grants: []\n');
      const from = bot.logs.length;
      bot.kill('SIGHUP');
      await bot.waitForMessage('config reloaded', 5_000, from);
      await discord.start();
      await bot.waitForMessage(/^slash commands registered/, 30_000);
      const [command] = [...discord.commands.guild.values()].flat();
      // Registered with the reloaded policy, not the one the bot started with.
      expect(command!.default_member_permissions).toBe('32');
    } finally {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    }
  }, 45_000);
});
