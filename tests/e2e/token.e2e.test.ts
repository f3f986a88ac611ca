/**
 * The bot's Home Assistant token end to end, against a real Home Assistant with its login ban
 * on (`http: login_attempts_threshold: 3`): a new token in HA_TOKEN_FILE taken over with
 * subscriptions and alerts going on, a bad new token refused while the old keeps working,
 * self-rotation leaving exactly one valid bot token, the expiry warning, and repeated starts
 * (and doctor runs) with a rejected token never getting 127.0.0.1 banned.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';
import { BotProcess } from '../integration/harness.js';
import {
  ALERT_CHANNEL_ID,
  baseBotEnv,
  DISCORD_TOKEN,
  fakeDiscord,
  sendHa,
} from '../integration/world.js';
import { setTemperature } from './ha/home.js';
import { refreshTokenIdOf, startRealHa, type RealHa } from './ha/real-ha.js';

const THRESHOLD = 3;

let ha: RealHa;
let discord: FakeDiscord;
const bots: BotProcess[] = [];

interface RefreshToken {
  id: string;
  client_name: string | null;
  type: string;
}

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `hdb-e2e-${name}-`));

/** A long-lived token of the owner, made over the websocket as HA's UI makes it. */
const llat = (name: string, lifespan = 3650) =>
  ha.ws<string>({ type: 'auth/long_lived_access_token', client_name: name, lifespan });

function tokenFile(token: string): string {
  const path = join(tempDir('secret'), 'ha_token');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return path;
}

function start(env: Record<string, string>): BotProcess {
  // No HA_TOKEN: each test gives its token (mostly as HA_TOKEN_FILE) in `env`.
  const bot = BotProcess.start(
    baseBotEnv({ url: ha.url }, discord, { ALERT_ENTITIES: 'sensor.temp', ...env }),
  );
  bots.push(bot);
  return bot;
}

async function doctor(env: Record<string, string>): Promise<string> {
  const run = BotProcess.start(
    { DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl, HA_URL: ha.url, ...env },
    { entry: 'dist/doctor.js' },
  );
  await run.exited;
  return run.output;
}

const inAlerts = (text: string, from = 0) =>
  discord.messages
    .slice(from)
    .filter((m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(text));

const waitAlert = (text: string, from = 0) =>
  waitFor(() => inAlerts(text, from).length > 0, 20_000, `"${text}" in the alert channel`);

/** A temperature change the bot must post: proof that its subscriptions are alive. */
async function alertGoesThrough(value: number): Promise<void> {
  const from = discord.messages.length;
  await setTemperature(ha, value);
  await waitAlert(`${value} °C`, from);
}

beforeAll(async () => {
  // HA reads it when it starts: failed logins from 127.0.0.1 get it banned at the third.
  process.env.HA_E2E_LOGIN_ATTEMPTS_THRESHOLD = String(THRESHOLD);
  ha = await startRealHa();
  discord = fakeDiscord();
  await discord.start();
}, 15 * 60_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await discord?.stop();
  await ha?.stop();
  delete process.env.HA_E2E_LOGIN_ATTEMPTS_THRESHOLD;
}, 60_000);

afterEach(() => {
  expect(discord.schemaErrors).toEqual([]);
});

describe("the bot's Home Assistant token against real Home Assistant", () => {
  let bot: BotProcess;
  let file: string;
  // One after the other, the bots share a database: a fresh one would number its outbox rows
  // (and so its message nonces) from 1 again, and Discord drops a repeated nonce.
  const dataDir = join(tempDir('data'), 'data');

  it('takes over a new token written to HA_TOKEN_FILE; subscriptions, alerts and commands go on', async () => {
    const first = await llat('bot first');
    file = tokenFile(first);
    bot = start({ HA_TOKEN_FILE: file, DATA_DIR: dataDir });
    await bot.waitForMilestone('bridge.ready', 30_000);
    await bot.waitForMessage(/^Home Assistant token: user "E2E Owner" .*"bot first"/, 15_000);
    const from = bot.logs.length;
    writeFileSync(file, `${await llat('bot second')}\n`);
    await bot.waitForMilestone('ha.token-switched', 20_000, from);
    await bot.waitForMessage(/^Home Assistant token: .*"bot second"/, 15_000, from);
    // The bot no longer needs the first token: deleting it changes nothing for it.
    await ha.revokeToken(first);
    await alertGoesThrough(24.5);
    const reply = await (
      await sendHa(discord, 'state', { entity: 'sensor.temp' })
    ).waitForReply(10_000);
    expect(reply.embeds[0].description).toMatch(/^24\.5 °C$/);
    expect(bot.logs.slice(from).map((l) => l.msg)).not.toContain(
      'Home Assistant connection lost, reconnecting',
    );
  });

  it('refuses a new token HA rejects, and keeps working with the old one', async () => {
    const doomed = await llat('bot doomed');
    await ha.revokeToken(doomed);
    const from = bot.logs.length;
    const alertsFrom = discord.messages.length;
    writeFileSync(file, `${doomed}\n`);
    const refused = await bot.waitForMessage(
      /^Home Assistant rejected the new token in HA_TOKEN_FILE/,
      20_000,
      from,
    );
    expect(refused.msg).toMatch(/keeps using the current one, which still works/);
    await waitAlert('Home Assistant token not changed', alertsFrom);
    await alertGoesThrough(25.5);
    const reply = await (
      await sendHa(discord, 'toggle', { target: 'kitchen light' })
    ).waitForReply(10_000);
    expect(reply.embeds[0].title).toMatch(/^Kitchen Light is (on|off)$/);
    await bot.stop();
  });

  it('rotates its own token: exactly one valid bot token is left in auth/refresh_tokens', async () => {
    const before = await llat('bot before rotation', 1);
    const beforeId = refreshTokenIdOf(before);
    file = tokenFile(before);
    bot = start({
      HA_TOKEN_FILE: file,
      HA_TOKEN_ROTATE_DAYS: '30',
      DATA_DIR: dataDir,
    });
    await bot.waitForMessage(/^rotated the Home Assistant token: the new one is in use/, 30_000);
    const now = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const tokens = await ha.ws<RefreshToken[]>({ type: 'auth/refresh_tokens' });
    const rotated = tokens.filter((t) =>
      /^ha-discord-bridge \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(t.client_name ?? ''),
    );
    expect(rotated.map((t) => t.id)).toEqual([refreshTokenIdOf(now)]);
    expect(rotated[0]!.type).toBe('long_lived_access_token');
    expect(tokens.some((t) => t.id === beforeId)).toBe(false);
    await alertGoesThrough(26.5);
    expect(bot.output).not.toContain(now);
    await bot.stop();
  });

  it('warns of a token about to expire: in the log at each start, once in the alert channel', async () => {
    const short = await llat('bot short-lived', 3);
    const env = { HA_TOKEN: short, DATA_DIR: dataDir };
    const alertsFrom = discord.messages.length;
    bot = start(env);
    await bot.waitForMessage(/^the Home Assistant token expires in 2 days/, 30_000);
    await waitAlert('Home Assistant token expires in a week or less', alertsFrom);
    await bot.stop();
    bot = start(env);
    await bot.waitForMessage(/^the Home Assistant token expires in 2 days/, 30_000);
    await bot.waitForMilestone('bridge.ready', 30_000);
    await alertGoesThrough(27.5);
    expect(inAlerts('Home Assistant token expires', alertsFrom)).toHaveLength(1);
    await bot.stop();
  });

  it(`never gets 127.0.0.1 banned (login_attempts_threshold: ${THRESHOLD}): repeated starts and doctor runs with bad tokens`, async () => {
    const revoked = await llat('bot revoked');
    await ha.revokeToken(revoked);
    // Well-formed tokens HA never issued (unknown issuer).
    const stranger = (n: number) => {
      const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const iat = Math.floor(Date.now() / 1000);
      const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: `stranger${n}`, iat, exp: iat + 86_400 })}`;
      return `${body}.${createHmac('sha256', randomBytes(32)).update(body).digest('base64url')}`;
    };
    const failedLogins = () =>
      (
        readFileSync(ha.logFile, 'utf8').match(
          /Login attempt or request with invalid authentication/g,
        ) ?? []
      ).length;
    const failedBefore = failedLogins();
    const guardDir = join(tempDir('data'), 'data');
    const says = /rejected the bot's access token|did not log in to Home Assistant/;
    const run = async (token: string) => {
      const b = start({ HA_TOKEN: token, DATA_DIR: guardDir });
      const line = await b.waitForMessage(says, 30_000);
      await b.stop();
      return line.msg;
    };
    // No websocket login succeeds from here to the end: HA's count only grows.
    expect(await run(revoked)).toMatch(/rejected the bot's access token/);
    for (let i = 0; i < THRESHOLD + 1; i++) {
      expect(await run(revoked)).toMatch(/did not log in .*already rejected/);
    }
    expect(await doctor({ HA_TOKEN: revoked, DATA_DIR: guardDir })).toMatch(
      /\[FAIL\] Home Assistant token +not sent to Home Assistant/,
    );
    expect(await run(stranger(1))).toMatch(/rejected the bot's access token/);
    expect(await run(stranger(2))).toMatch(/rejected 2 tokens in a row/);
    expect(await doctor({ HA_TOKEN: stranger(3), DATA_DIR: guardDir })).toMatch(
      /rejected 2 tokens in a row/,
    );
    await waitFor(() => failedLogins() - failedBefore >= 2, 10_000, "HA's log of failed logins");
    expect(failedLogins() - failedBefore).toBe(2);
    expect(existsSync(join(ha.configDir, 'ip_bans.yaml'))).toBe(false);
    // Not banned: a login from 127.0.0.1 still works.
    await expect(ha.ws({ type: 'get_config' })).resolves.toMatchObject({ state: 'RUNNING' });
  });
});
