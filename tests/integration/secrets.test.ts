import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { FakeDiscord, type InteractionHandle } from '../fakes/discord/fake-discord.js';
import { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { waitFor } from '../helpers/wait.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  CHANNEL_ID,
  DISCORD_TOKEN,
  EPHEMERAL,
  expectDiscordRulesKept,
  fakeDiscord,
  GUILD_ID,
  HA_TOKEN,
  REVOKED_HA_TOKEN,
  sendHa,
  startFakes,
  startWorld,
} from './world.js';

const TRACE = { LOG_LEVEL: 'trace' };
const SECRETS = { HA_TOKEN, DISCORD_TOKEN };

/** Where each secret shows up in `text`, with a little context: empty when it does not. */
function leaks(where: string, text: string, secrets: Record<string, string> = SECRETS): string[] {
  return Object.entries(secrets).flatMap(([name, secret]) => {
    const at = text.indexOf(secret);
    return at === -1
      ? []
      : [`${name} in ${where}: …${text.slice(Math.max(0, at - 80), at + secret.length + 40)}…`];
  });
}

/** Everything the bot sent Discord: paths and bodies of every REST request. */
function sentToDiscord(discord: FakeDiscord): string {
  return JSON.stringify(discord.requests.map((r) => [r.method, r.path, r.body]));
}

function bodyOf(value: unknown): string {
  return JSON.stringify(value);
}

describe('secrets', () => {
  it('never shows either token at trace level, in replies or to Discord, on HA and Discord errors', async () => {
    const world = await startWorld({ env: TRACE });
    // HA can only echo what it knows (its own token); Discord its own and what the bot sent.
    const haEcho = `token ${HA_TOKEN} was refused`;
    const discordEcho = `token ${DISCORD_TOKEN} was refused (and ${HA_TOKEN})`;
    try {
      // HA's error echoes its token, in its message and its code; answered at once...
      world.ha.failNextServiceCall({ code: `bad_${HA_TOKEN}`, message: haEcho });
      const quick = await (
        await sendHa(world.discord, 'toggle', { target: 'switch.kettle' })
      ).waitForReply();
      expect(quick.content).toMatch(/^Home Assistant reported an error/);
      // ...and after a deferred reply, when HA takes longer than the bot waits to defer.
      // HA answers only once the bot has deferred its reply, whatever the machine's speed.
      const sent: { slow?: InteractionHandle } = {};
      world.ha.setServiceHandler(async () => {
        await waitFor(
          () => sent.slow?.replies.some((r) => r.type === 'callback' && r.status < 300),
          10_000,
          'the deferred reply',
        );
        return { error: { code: 'home_assistant_error', message: haEcho } };
      });
      const slow = await sendHa(world.discord, 'toggle', { target: 'switch.kettle' });
      sent.slow = slow;
      const late = await slow.waitForReply(10_000);
      expect(late.content).toMatch(/^Home Assistant reported an error: token/);
      expect(late.flags & EPHEMERAL).toBe(EPHEMERAL);
      world.ha.setServiceHandler(null);

      // Discord refuses a reply, with an error body that echoes the tokens.
      world.discord.setRestFailure({
        status: 400,
        count: 1,
        routeIncludes: '/callback',
        message: discordEcho,
      });
      const refused = await (
        await sendHa(world.discord, 'state', { entity: 'sensor.temp' })
      ).waitForReply();
      expect(refused.content).toMatch(/^Something went wrong/);
      // ...and an alert, which the outbox retries.
      world.discord.setRestFailure({
        status: 400,
        count: 1,
        routeIncludes: `/channels/${ALERT_CHANNEL_ID}/messages`,
        message: discordEcho,
      });
      world.ha.setState('binary_sensor.front_door', 'on');
      await world.discord.waitForMessage((m) => bodyOf(m.body).includes('Front Door'), 10_000);
      await world.bot.waitForMilestone('outbox.delivery-failed');

      // A reconnect authenticates again.
      const from = world.bot.logs.length;
      await world.ha.restart({ downMs: 100 });
      await world.bot.waitForMilestone('ha.connected', 20_000, from);
    } finally {
      await world.stop();
    }
    expect(world.bot.output).toContain('[REDACTED]');
    expect([
      ...leaks('the output', world.bot.output),
      ...leaks('a request to Discord', sentToDiscord(world.discord)),
      ...leaks('what HA received', bodyOf(world.ha.received), { DISCORD_TOKEN }),
    ]).toEqual([]);
    expectDiscordRulesKept(world.discord);
  }, 60_000);

  it('does not show a token HA rejects, even when HA echoes it back', async () => {
    // HA's auth_invalid message is shown in the log and posted to the alert channel.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify({ type: 'auth_required', ha_version: '2024.3.3' }));
      ws.on('message', (raw) => {
        const token = (JSON.parse((raw as Buffer).toString('utf8')) as { access_token?: string })
          .access_token;
        ws.send(JSON.stringify({ type: 'auth_invalid', message: `Invalid access token ${token}` }));
        ws.close();
      });
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    const discord = fakeDiscord();
    await discord.start();
    const { port } = wss.address() as AddressInfo;
    const bot = BotProcess.start(
      botEnv(new FakeHomeAssistant(), discord, { ...TRACE, HA_URL: `http://127.0.0.1:${port}` }),
    );
    try {
      await bot.waitForMilestone('ha.token-rejected');
      await discord.waitForMessage(
        (m) => m.channelId === ALERT_CHANNEL_ID && bodyOf(m.body).includes('rejected the token'),
        10_000,
      );
    } finally {
      await bot.stop();
      await discord.stop();
      await new Promise((resolve) => wss.close(resolve));
    }
    expect([
      ...leaks('the output', bot.output),
      ...leaks('a request to Discord', sentToDiscord(discord)),
    ]).toEqual([]);
  }, 30_000);

  it('does not show a revoked HA token in the output or the alert channel notice', async () => {
    const revoked = REVOKED_HA_TOKEN;
    const world = await startWorld({ env: { ...TRACE, HA_TOKEN: revoked }, waitHa: false });
    try {
      await world.discord.waitForMessage(
        (m) => m.channelId === ALERT_CHANNEL_ID && bodyOf(m.body).includes('rejected the token'),
        10_000,
      );
    } finally {
      await world.stop();
    }
    const secrets = { HA_TOKEN: revoked, DISCORD_TOKEN };
    expect([
      ...leaks('the output', world.bot.output, secrets),
      ...leaks('a request to Discord', sentToDiscord(world.discord), secrets),
    ]).toEqual([]);
  }, 30_000);

  describe('Discord rejecting the token (or failing) at login', () => {
    const home = [{ id: GUILD_ID, name: 'Home', channels: [{ id: CHANNEL_ID, name: 'general' }] }];
    const cases: {
      name: string;
      token: string;
      discord: () => FakeDiscord;
      failing?: (discord: FakeDiscord) => void;
      says: RegExp;
      /** Only a rejected token ends the process; anything else is retried. */
      retried?: true;
    }[] = [
      {
        name: 'REST 401 on GET /gateway/bot',
        token: 'wrong-discord-token-0123456789',
        discord: fakeDiscord,
        says: /Discord rejected DISCORD_TOKEN/,
      },
      {
        name: 'the gateway closing with 4004 after REST accepted it',
        token: DISCORD_TOKEN,
        discord: () =>
          new FakeDiscord({
            token: DISCORD_TOKEN,
            gatewayToken: 'a-reset-token-0123',
            guilds: home,
          }),
        says: /Discord rejected DISCORD_TOKEN/,
      },
      {
        name: 'an error body that echoes the token',
        token: DISCORD_TOKEN,
        discord: fakeDiscord,
        failing: (discord) =>
          discord.setRestFailure({
            status: 400,
            routeIncludes: '/gateway/bot',
            message: `bad token ${DISCORD_TOKEN} (and ${HA_TOKEN})`,
          }),
        says: /Discord unreachable, retrying/,
        retried: true,
      },
    ];

    it.each(cases)('says so clearly and shows no token: $name', async (c) => {
      const ha = new FakeHomeAssistant({ token: HA_TOKEN });
      const discord = c.discord();
      await Promise.all([ha.start(), discord.start()]);
      c.failing?.(discord);
      try {
        const bot = BotProcess.start(botEnv(ha, discord, { ...TRACE, DISCORD_TOKEN: c.token }));
        if (c.retried) {
          await bot.waitForMessage(c.says);
          await bot.stop();
        } else {
          expect((await bot.exited).code).toBe(1);
        }
        expect(bot.output).toMatch(c.says);
        expect(leaks('the output', bot.output, { DISCORD_TOKEN: c.token, HA_TOKEN })).toEqual([]);
      } finally {
        await Promise.all([ha.stop(), discord.stop()]);
      }
    });
  });

  it('reads the HA token from HA_TOKEN_FILE (a Docker secret with a trailing newline)', async () => {
    const { ha, discord } = await startFakes();
    const secret = join(mkdtempSync(join(tmpdir(), 'hdb-secrets-')), 'ha_token');
    writeFileSync(secret, `${HA_TOKEN}\n`, { mode: 0o400 });
    const env = botEnv(ha, discord, { ...TRACE, HA_TOKEN_FILE: secret });
    delete env.HA_TOKEN;
    const bot = BotProcess.start(env);
    try {
      await bot.waitForMilestone('ha.connected');
      await bot.waitForMilestone('bridge.ready');
      const reply = await (
        await sendHa(discord, 'state', { entity: 'sensor.temp' })
      ).waitForReply();
      expect(reply.embeds[0].description).toBe('21.5 °C');
      expect(ha.authFailures).toBe(0);
    } finally {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    }
    expect(leaks('the output', bot.output)).toEqual([]);
  });
});
