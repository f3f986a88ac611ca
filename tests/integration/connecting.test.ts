import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { BotProcess, type LogLine } from './harness.js';
import {
  botEnv,
  DISCORD_TOKEN,
  fakeDiscordNotYetUp,
  HA_TOKEN,
  HOME,
  HOME_GUILD,
  REVOKED_HA_TOKEN,
  sendHa,
  startFakes,
  startWorld,
} from './world.js';

const index = (bot: BotProcess, line: LogLine) => bot.logs.indexOf(line);

async function healthz(bot: BotProcess) {
  const base = (await bot.waitForMilestone('health.listening')).url as string;
  const res = await fetch(`${base}/healthz`);
  return {
    code: res.status,
    body: (await res.json()) as {
      homeAssistant: { connected: boolean; state: string; lastError?: string };
      discord: { connected: boolean; state: string; lastError?: string };
    },
  };
}

describe('connecting to Discord and Home Assistant, and saying why not', () => {
  it('retries Discord when it cannot be reached at start, shows why, and comes up once it can', async () => {
    const ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME });
    await ha.start();
    // Nothing listens on Discord's port yet: connecting is refused.
    const discord = await fakeDiscordNotYetUp();
    const bot = BotProcess.start(botEnv(ha, discord, { HEALTH_PORT: '0' }));
    try {
      const retry = await bot.waitForMilestone('discord.unreachable');
      expect(retry).toMatchObject({ level: 40, apiUrl: discord.apiUrl });
      expect(retry.cause).toMatch(/connection refused/);
      expect(retry.retryInMs).toBeGreaterThan(0);
      const { code, body } = await healthz(bot);
      expect(code).toBe(503);
      expect(body.discord).toMatchObject({ connected: false, state: 'unreachable' });
      expect(body.discord.lastError).toMatch(/connection refused/);

      await discord.start();
      await bot.waitForMilestone('bridge.ready', 30_000);
      const reply = await (
        await sendHa(discord, 'state', { entity: 'sensor.temp' })
      ).waitForReply();
      expect(reply.embeds[0].description).toBe('21.5 °C');
      expect((await healthz(bot)).body.discord).toMatchObject({
        connected: true,
        state: 'connected',
      });
    } finally {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    }
  }, 45_000);

  it('exits with a clear message when the gateway refuses the token (close 4004)', async () => {
    const ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME });
    const discord = new FakeDiscord({
      token: DISCORD_TOKEN,
      guilds: [HOME_GUILD],
      gatewayToken: 'a-token-reset-since',
    });
    await Promise.all([ha.start(), discord.start()]);
    try {
      const bot = BotProcess.start(botEnv(ha, discord));
      const { code } = await bot.exited;
      expect(code).toBe(1);
      expect(bot.output).toContain('Discord rejected DISCORD_TOKEN');
      expect(bot.output).not.toContain('Discord unreachable, retrying');
    } finally {
      await Promise.all([ha.stop(), discord.stop()]);
    }
  });

  it('logs bridge ready only once HA is connected; until then, what is missing and why', async () => {
    const { ha, discord } = await startFakes();
    await ha.stop();
    const bot = BotProcess.start(botEnv(ha, discord));
    try {
      const unreachable = await bot.waitForMilestone('ha.unreachable');
      expect(unreachable).toMatchObject({
        level: 40,
        url: `ws://127.0.0.1:${new URL(ha.url).port}/api/websocket`,
      });
      expect(unreachable.cause).toMatch(/connection refused/);
      // Said once Discord is ready (where `bridge ready` used to be logged): only HA is missing.
      const waiting = await bot.waitForMessage(/^bridge not ready: Home Assistant[^;]*$/);
      expect(waiting.msg).toContain(ha.url);
      expect(waiting.msg).toMatch(/unreachable \(connection refused: .*\), retrying$/);
      await bot.waitForMilestone('discord.commands-registered');
      expect(bot.logs.filter((l) => l.msg === 'bridge ready')).toEqual([]);

      await ha.start();
      const ready = await bot.waitForMilestone('bridge.ready', 20_000);
      const connected = await bot.waitForMilestone('ha.connected');
      expect(index(bot, connected)).toBeLessThan(index(bot, ready));
    } finally {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    }
  }, 30_000);

  it('does not log bridge ready when HA rejects the token, and says so', async () => {
    const { ha, discord } = await startFakes();
    const bot = BotProcess.start(botEnv(ha, discord, { HA_TOKEN: REVOKED_HA_TOKEN }));
    try {
      const waiting = await bot.waitForMessage(/^bridge not ready: Home Assistant[^;]*;[^;]*$/);
      expect(waiting.msg).toMatch(/rejected the access token; put a new token in HA_TOKEN/);
      await bot.waitForMilestone('discord.commands-registered');
      expect(bot.logs.filter((l) => l.msg === 'bridge ready')).toEqual([]);
      expect(bot.running).toBe(true);
    } finally {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    }
  });

  it('/ha state after HA rejected the token says so, not that it is reconnecting', async () => {
    const world = await startWorld();
    try {
      world.ha.token = 'a-different-token';
      await world.bot.waitForMilestone('ha.token-rejected', 20_000);
      const reply = await (await world.command('state', { entity: 'sensor.temp' })).waitForReply();
      expect(reply.embeds[0].description).toBe('21.5 °C');
      expect(reply.content).toContain("rejected the bot's access token");
      expect(reply.content).toContain('last known state');
      expect(reply.content).not.toMatch(/reconnecting/i);
    } finally {
      await world.stop();
    }
  }, 30_000);

  it('logs no reconnect when stopped normally', async () => {
    const world = await startWorld();
    const { code } = await world.bot.stop('SIGTERM');
    await world.stop();
    expect(code).toBe(0);
    const stopping = world.bot.logs.findIndex((l) => l.msg === 'shutting down');
    expect(stopping).toBeGreaterThan(0);
    expect(world.bot.logs.slice(stopping).map((l) => l.msg)).not.toContainEqual(
      expect.stringMatching(/reconnect/i),
    );
  });
});
