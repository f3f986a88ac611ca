import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  DISCORD_TOKEN,
  HA_TOKEN,
  REVOKED_HA_TOKEN,
  startFakes,
  startWorld,
} from './world.js';

describe('start-up and shutdown', () => {
  it('lists every configuration problem and exits non-zero', async () => {
    const bot = BotProcess.start({ HA_URL: 'not-a-url', LOG_LEVEL: 'loud' });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    for (const name of ['DISCORD_TOKEN', 'HA_URL', 'HA_TOKEN', 'LOG_LEVEL'])
      expect(bot.output).toContain(name);
  });

  it('exits with a clear message when Discord rejects the token', async () => {
    const { ha, discord } = await startFakes();
    try {
      const bot = BotProcess.start(
        botEnv(ha, discord, { DISCORD_TOKEN: 'wrong-discord-token-000000' }),
      );
      const { code } = await bot.exited;
      expect(code).toBe(1);
      expect(bot.output).toContain('Discord rejected DISCORD_TOKEN');
      expect(bot.output).not.toContain('wrong-discord-token-000000');
    } finally {
      await Promise.all([ha.stop(), discord.stop()]);
    }
  });

  it('reports a HA token rejected at start, keeps Discord up, and does not retry it', async () => {
    const world = await startWorld({
      env: { HA_TOKEN: REVOKED_HA_TOKEN },
      waitHa: false,
    });
    try {
      await world.bot.waitForMilestone('ha.token-rejected');
      await world.discord.waitForMessage(
        (m) =>
          m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('rejected the token'),
      );
      expect(world.ha.authFailures).toBe(1);
      expect(world.bot.running).toBe(true);
    } finally {
      await world.stop();
    }
  });

  it('never writes either token to its output, even at debug level and on errors', async () => {
    const world = await startWorld();
    try {
      await (await world.command('toggle', { target: 'light.kitchen_light' })).waitForReply();
      world.ha.failNextServiceCall({
        code: 'home_assistant_error',
        message: `bad token ${HA_TOKEN}`,
      });
      const failed = await world.command('toggle', { target: 'light.kitchen_light' });
      const shown = await failed.waitForReply();
      // HA's own error text reaches the user, but never the token inside it.
      expect(shown.content).toContain('Home Assistant reported an error: bad token');
      expect(JSON.stringify(failed.replies)).not.toContain(HA_TOKEN);
      const before = world.bot.logs.length;
      await world.ha.restart({ downMs: 100 });
      await world.bot.waitForMilestone('ha.connected', 20_000, before);
    } finally {
      await world.stop();
    }
    expect(world.bot.output.length).toBeGreaterThan(1000);
    expect(world.bot.output).not.toContain(HA_TOKEN);
    expect(world.bot.output).not.toContain(DISCORD_TOKEN);
    expect(JSON.stringify(world.discord.messages)).not.toContain(HA_TOKEN);
  });

  it('shuts down cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const world = await startWorld();
      const { code } = await world.bot.stop(signal);
      expect(code).toBe(0);
      await world.stop();
    }
  });

  it('keeps Discord up and connects once HA becomes reachable', async () => {
    const { ha, discord } = await startFakes();
    await ha.stop();
    const bot = BotProcess.start(botEnv(ha, discord));
    try {
      await bot.waitForMilestone('bridge.not-ready');
      await bot.waitForMilestone('ha.unreachable');
      await ha.start();
      await bot.waitForMilestone('ha.connected', 20_000);
    } finally {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    }
  });
});
