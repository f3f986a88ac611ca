/**
 * The HA token over its life, with the real bot against the fakes: a new token in
 * HA_TOKEN_FILE taken over with no downtime (or refused), SIGHUP, a rejection answered by
 * reading the file again, self-rotation, expiry warnings, the login guard across restarts and
 * doctor runs, a banned address, and /ha about for managers.
 */
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';
import { fixedFakeToken, type FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  EPHEMERAL,
  HA_TOKEN,
  REVOKED_HA_TOKEN,
  sendHa,
  startFakes,
} from './world.js';

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `hdb-${name}-`));

/** A token file as a person makes it: the token and a newline, mode 0600. */
function tokenFile(token: string, dir = tempDir('secret')): string {
  const path = join(dir, 'ha_token');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return path;
}

const fileEnv = (path: string, extra: Record<string, string> = {}) => ({
  HA_TOKEN: '',
  HA_TOKEN_FILE: path,
  ...extra,
});

const notices = (discord: FakeDiscord, title: string) =>
  discord.messages.filter(
    (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(title),
  );

const waitNotice = (discord: FakeDiscord, text: string) =>
  discord.waitForMessage(
    (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(text),
    10_000,
  );

/** A temperature alert as a marker: whatever the bot queued before it has been posted. */
async function alertMarker(ha: FakeHomeAssistant, discord: FakeDiscord, value: string) {
  ha.setState('sensor.temp', value);
  await waitNotice(discord, `${value} °C`);
}

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function fakes(opts: Parameters<typeof startFakes>[0] = {}) {
  const { ha, discord } = await startFakes(opts);
  cleanups.push(() => Promise.all([ha.stop(), discord.stop()]));
  return { ha, discord };
}

function bot(env: Record<string, string>, opts?: Parameters<typeof BotProcess.start>[1]) {
  const process = BotProcess.start(env, opts);
  cleanups.push(() => process.stop());
  return process;
}

/**
 * The fakes and a bot that has read HA_TOKEN from `file` and is ready. With `linked`, the bot
 * is given a link to `file` instead: a change there is one its file watch cannot see.
 */
async function botOnTokenFile(opts: { linked?: boolean } = {}) {
  const { ha, discord } = await fakes();
  const file = tokenFile(HA_TOKEN);
  let path = file;
  if (opts.linked) {
    path = join(tempDir('link'), 'ha_token');
    symlinkSync(file, path);
  }
  const b = bot(botEnv(ha, discord, fileEnv(path)));
  await b.waitForMilestone('bridge.ready');
  return { ha, discord, file, b };
}

async function doctor(env: Record<string, string>, args: string[] = []) {
  const run = BotProcess.start(env, { entry: 'dist/doctor.js', args });
  await run.exited;
  return run.output;
}

describe('a new token in HA_TOKEN_FILE', () => {
  it('is taken over with no downtime: alerts and commands go on, the old token can go', async () => {
    const { ha, discord, file, b } = await botOnTokenFile();
    await b.waitForMessage(/^Home Assistant token: user "Fake Owner"/);
    const from = b.logs.length;
    const next = ha.issueToken('second token');
    writeFileSync(file, `${next}\n`);
    await b.waitForMilestone('ha.token-switched', 10_000, from);
    await b.waitForMessage(/^Home Assistant token: .*"second token"/, 10_000, from);
    ha.revokeToken(HA_TOKEN);
    await alertMarker(ha, discord, '30');
    const reply = await (await sendHa(discord, 'state', { entity: 'sensor.temp' })).waitForReply();
    expect(reply.embeds[0].description).toBe('30 °C');
    expect(b.logs.slice(from).map((l) => l.msg)).not.toContain(
      'Home Assistant connection lost, reconnecting',
    );
    expect(ha.connections).toBe(1);
    expect(b.output).not.toContain(next);
    expect(b.output).not.toContain(next.split('.')[2]);
  });

  it('is refused when HA rejects it, with a notice; the old token keeps working', async () => {
    const { ha, discord, file, b } = await botOnTokenFile();
    writeFileSync(file, `${REVOKED_HA_TOKEN}\n`);
    const refused = await b.waitForMessage(
      /^Home Assistant rejected the new token in HA_TOKEN_FILE/,
    );
    expect(refused.msg).toMatch(/keeps using the current one, which still works/);
    await waitNotice(discord, 'Home Assistant token not changed');
    await alertMarker(ha, discord, '31');
    expect(ha.authFailures).toBe(1);
    // One login with the working token sets HA's count of failed logins back to 0.
    await waitFor(() => ha.failedLoginsInARow === 0, 5000, "HA's count reset");
    expect(ha.authSuccesses).toBe(2);
    expect(b.output).not.toContain(REVOKED_HA_TOKEN);
  });

  it('that looks truncated is named as such and never sent', async () => {
    const { ha, discord, file, b } = await botOnTokenFile();
    const cut = ha.issueToken('cut');
    writeFileSync(file, `${cut.slice(0, 60)}\n`);
    const refused = await b.waitForMessage(/^The new token in HA_TOKEN_FILE looks truncated/);
    expect(refused.msg).toMatch(/Nothing was sent to Home Assistant/);
    await alertMarker(ha, discord, '32');
    expect(ha.authFailures).toBe(0);
    expect(ha.authSuccesses).toBe(1);
  });

  it('is read again on SIGHUP (a change the watch cannot see: the file is a link elsewhere)', async () => {
    const { ha, file, b } = await botOnTokenFile({ linked: true });
    writeFileSync(file, `${ha.issueToken('by SIGHUP')}\n`);
    const from = b.logs.length;
    b.kill('SIGHUP');
    await b
      .waitForMessage('HA_TOKEN_FILE holds a new token', 10_000, from)
      .then((l) => expect(l.origin).toBe('SIGHUP'));
    await b.waitForMilestone('ha.token-switched', 10_000, from);
  });

  it('is read once more when HA rejects the token, before that is final', async () => {
    const { ha, discord, file, b } = await botOnTokenFile({ linked: true });
    // Rotated by hand, as the guide says, but the old one deleted before the bot noticed.
    writeFileSync(file, `${ha.issueToken('rotated by hand')}\n`);
    const from = b.logs.length;
    ha.revokeToken(HA_TOKEN);
    await b.waitForMessage(/HA_TOKEN_FILE holds another one: trying it/, 10_000, from);
    await b.waitForMilestone('ha.connected', 10_000, from);
    await alertMarker(ha, discord, '33');
    expect(notices(discord, 'rejected the token')).toEqual([]);
    expect(ha.authFailures).toBe(1);
  });
});

describe('self-rotation (HA_TOKEN_ROTATE_DAYS)', () => {
  it('makes a new token, writes it, logs in with it, then deletes the previous one', async () => {
    const { ha, discord } = await fakes();
    // A token that expires before the next rotation is due now.
    const first = ha.issueToken('bot before rotation', 1);
    const firstId = ha.refreshTokens.find((t) => t.clientName === 'bot before rotation')!.id;
    const file = tokenFile(first);
    const b = bot(botEnv(ha, discord, fileEnv(file, { HA_TOKEN_ROTATE_DAYS: '30' })));
    await b.waitForMessage('self-rotation of the Home Assistant token is on');
    await b.waitForMessage(/^rotated the Home Assistant token: the new one is in use/, 15_000);
    const now = readFileSync(file, 'utf8');
    expect(now).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const iss = JSON.parse(Buffer.from(now.split('.')[1]!, 'base64url').toString()) as {
      iss: string;
    };
    const botTokens = ha.refreshTokens.filter((t) =>
      /^ha-discord-bridge \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(t.clientName ?? ''),
    );
    expect(botTokens.map((t) => t.id)).toEqual([iss.iss]);
    expect(ha.refreshTokens.some((t) => t.id === firstId)).toBe(false);
    await alertMarker(ha, discord, '34');
    expect(b.output).not.toContain(now.trim());
    // Self-rotation looks after the expiry: no expiry notice for the token it replaced.
    expect(notices(discord, 'Home Assistant token expires')).toEqual([]);
  });

  it('leaves the working token in place when a step fails, and says so', async () => {
    const { ha, discord } = await fakes();
    const first = ha.issueToken('bot before rotation', 1);
    const file = tokenFile(first);
    // HA answers with a token it does not accept: logging in with it fails.
    const stranger = fixedFakeToken('never valid');
    ha.setCommandHandler('auth/long_lived_access_token', () => ({ result: stranger }));
    const b = bot(botEnv(ha, discord, fileEnv(file, { HA_TOKEN_ROTATE_DAYS: '30' })));
    const failed = await b.waitForMessage(
      /^Self-rotation of the Home Assistant token failed while trying to log in with the new token/,
      15_000,
    );
    expect(failed.msg).toMatch(/holds the previous token again/);
    expect(failed.msg).toMatch(/keeps using the current token, which still works/);
    await waitNotice(discord, 'Home Assistant token rotation failed');
    expect(readFileSync(file, 'utf8')).toBe(`${first}\n`);
    await alertMarker(ha, discord, '35');
  });
});

describe('expiry', () => {
  it('warns in the log at each start and once in the alert channel, across restarts', async () => {
    const { ha, discord } = await fakes();
    const short = ha.issueToken('short-lived', 5);
    const dataDir = join(tempDir('data'), 'data');
    const env = botEnv(ha, discord, { HA_TOKEN: short, DATA_DIR: dataDir });
    const first = bot(env);
    await first.waitForMessage(/^the Home Assistant token expires in 4 days/);
    await waitNotice(discord, 'Home Assistant token expires in a week or less');
    await first.stop();
    const second = bot(env);
    await second.waitForMessage(/^the Home Assistant token expires in 4 days/);
    await second.waitForMilestone('bridge.ready');
    await alertMarker(ha, discord, '36');
    expect(notices(discord, 'Home Assistant token expires')).toHaveLength(1);
  });
});

describe('never getting the address banned', () => {
  it('sends a rejected token no more, and stays under the threshold across starts and doctor runs', async () => {
    const { ha, discord } = await fakes({ loginAttemptsThreshold: 3 });
    const dataDir = join(tempDir('data'), 'data');
    const start = async (token: string, says: RegExp) => {
      const b = bot(botEnv(ha, discord, { HA_TOKEN: token, DATA_DIR: dataDir }));
      const line = await b.waitForMessage(says);
      await b.stop();
      return line.msg;
    };
    const rejected = /rejected the bot's access token|did not log in to Home Assistant/;
    expect(await start(REVOKED_HA_TOKEN, rejected)).toMatch(/rejected the bot's access token/);
    expect(ha.failedLoginsInARow).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(await start(REVOKED_HA_TOKEN, rejected)).toMatch(
        /did not log in to Home Assistant at .*: HA_TOKEN is one Home Assistant at .* already rejected/,
      );
    }
    const report = await doctor(
      botEnv(ha, discord, { HA_TOKEN: REVOKED_HA_TOKEN, DATA_DIR: dataDir }),
    );
    expect(report).toMatch(/\[FAIL\] Home Assistant token +not sent to Home Assistant/);
    expect(ha.failedLoginsInARow).toBe(1);
    // Another wrong token is tried once; a third is not tried at all.
    await start(fixedFakeToken('wrong 2'), /rejected the bot's access token/);
    expect(ha.failedLoginsInARow).toBe(2);
    expect(await start(fixedFakeToken('wrong 3'), rejected)).toMatch(
      /rejected 2 tokens in a row .* run npm run doctor -- --retry-token/,
    );
    expect(await doctor(botEnv(ha, discord, { DATA_DIR: dataDir }))).toMatch(
      /rejected 2 tokens in a row/,
    );
    expect(ha.failedLoginsInARow).toBe(2);
    expect(ha.banned).toBe(false);
    // A person checked the token: the doctor tries it once, and the login resets both counts.
    const retried = await doctor(botEnv(ha, discord, { DATA_DIR: dataDir }), ['--retry-token']);
    expect(retried).toMatch(/\[ ok \] Home Assistant websocket +logged in/);
    expect(ha.failedLoginsInARow).toBe(0);
    const b = bot(botEnv(ha, discord, { DATA_DIR: dataDir }));
    await b.waitForMilestone('bridge.ready');
  }, 60_000);

  it('says when HA has banned the address, naming ip_bans.yaml', async () => {
    const { ha, discord } = await fakes();
    ha.banned = true;
    const b = bot(botEnv(ha, discord));
    const line = await b.waitForMessage(/refuses this address/);
    expect(line.msg).toMatch(/ip_bans\.yaml in Home Assistant's config folder/);
    await waitNotice(discord, 'Home Assistant banned the bot');
    ha.banned = false;
    await b.waitForMilestone('bridge.ready', 15_000);
  });
});

describe('/ha about', () => {
  it("shows managers whose token the bot holds; others don't see it", async () => {
    const { ha, discord } = await fakes();
    const b = bot(botEnv(ha, discord));
    await b.waitForMilestone('bridge.ready');
    await b.waitForMessage(/^Home Assistant token:/);
    const manager = await (await sendHa(discord, 'about')).waitForReply();
    expect(manager.flags & EPHEMERAL).toBe(EPHEMERAL);
    const field = (manager.embeds[0].fields as { name: string; value: string }[]).find(
      (f) => f.name === 'Home Assistant token',
    );
    expect(field?.value).toMatch(
      /^user "Fake Owner" \(administrator, owner\) · .*expires in \d+ days/,
    );
    const member = { id: '190000000000000009', username: 'kid', permissions: '0' };
    const other = await (await sendHa(discord, 'about', {}, { user: member })).waitForReply();
    expect(JSON.stringify(other)).not.toContain('Home Assistant token');
  });
});
