import { waitFor } from '../helpers/wait.js';
import { ALERT_CHANNEL_ID, EPHEMERAL, freshWorld } from './world.js';

describe('connections that heal themselves', () => {
  const world = freshWorld();

  it('reconnects after HA restarts, then commands and alerts work', async () => {
    const from = world().bot.logs.length;
    await world().ha.restart({ downMs: 500 });
    await world().bot.waitForMilestone('ha.connected', 20_000, from);
    const reply = await (
      await world().command('on', { target: 'light.kitchen_light' })
    ).waitForReply();
    expect(reply.embeds[0].title).toBe('Kitchen Light is on');
    world().ha.setState('binary_sensor.front_door', 'on');
    await world().discord.waitForMessage(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Front Door'),
    );
  });

  it('does not alert for the unavailable/restored states HA passes through while starting', async () => {
    const from = world().bot.logs.length;
    await world().ha.restart({ downMs: 200, startingMs: 2500 });
    await world().bot.waitForMilestone('ha.started', 20_000, from);
    const before = world().discord.messages.length;
    world().ha.setState('binary_sensor.front_door', 'on');
    await world().discord.waitForMessage(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Front Door'),
    );
    const alerts = world().discord.messages.slice(before);
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(world().discord.messages)).not.toContain('unavailable');
  });

  it('answers promptly that HA is unreachable while it is down', async () => {
    await world().ha.stop();
    await world().bot.waitForMilestone('ha.connection-lost');
    const reply = await (
      await world().command('toggle', { target: 'light.kitchen_light' })
    ).waitForReply();
    expect(reply.content).toBe(
      'Home Assistant is unreachable, reconnecting. Try again in a moment.',
    );
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const before = world().bot.logs.length;
    await world().ha.start();
    await world().bot.waitForMilestone('ha.connected', 20_000, before);
  });

  it('detects a half-open connection by ping and reconnects', async () => {
    const connectsBefore = world().ha.authSuccesses;
    const from = world().bot.logs.length;
    world().ha.freeze();
    await world().bot.waitForMilestone('ha.ping-timeout', 15_000, from);
    world().ha.unfreeze();
    await waitFor(() => world().ha.authSuccesses > connectsBefore, 15_000, 'a new HA login');
    await world().bot.waitForMilestone('ha.connected', 15_000, from);
  });

  it('survives garbage and invalid frames from HA', async () => {
    const before = world().bot.logs.length;
    world().ha.sendRaw(Buffer.from([0xff, 0xfe, 0x00]));
    world().ha.sendRaw('this is not json');
    // The invalid frame ends that connection; the bot connects again (and other lines, such as
    // the catalog's, may follow, so wait from before the garbage, not from the last line).
    const lost = await world().bot.waitForMilestone('ha.connection-lost', 20_000, before);
    await world().bot.waitForMilestone('ha.connected', 20_000, world().bot.logs.indexOf(lost));
    expect(world().bot.running).toBe(true);
    const reply = await (await world().command('state', { entity: 'sensor.temp' })).waitForReply();
    expect(reply.embeds[0].title).toBe('Temperature');
  });

  it('reports a token rejected on reconnect in the log and the alert channel', async () => {
    const from = world().bot.mark();
    const failures = world().ha.authFailures;
    world().ha.token = 'a-different-token';
    await world().ha.restart({ downMs: 200 });
    const line = await world().bot.waitForMilestone('ha.token-rejected', 20_000, from);
    expect(line.msg).toContain('revoked');
    const notice = await world().discord.waitForMessage(
      (m) =>
        m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('rejected the token'),
    );
    expect(JSON.stringify(notice.body)).toContain('Long-lived access tokens');
    const reply = await (
      await world().command('toggle', { target: 'light.kitchen_light' })
    ).waitForReply();
    expect(reply.content).toContain("rejected the bot's access token");
    // No login retry before a later command was answered (the marker): one failed login at
    // HA, and one rejection in the bot's log (the login guard holds the token back from then
    // on, so a retry would not reach HA but would log another rejection). A retry on a timer
    // is ruled out by the code, not by this check: haws ends its reconnect loop on
    // ERR_INVALID_AUTH (it fires 'reconnect-error' and schedules nothing), and the bot calls
    // retryLogin() only when it takes over a new token (TokenManager.takeOver).
    expect(world().ha.authFailures).toBe(failures + 1);
    const rejections = world()
      .bot.logs.slice(from)
      .filter((l) => l.msg === 'Home Assistant rejected the access token');
    expect(rejections).toHaveLength(1);
  });

  it('resumes the Discord gateway after a drop and keeps answering', async () => {
    const resumes = world().discord.resumes;
    world().discord.dropGateway();
    await waitFor(
      () => world().discord.resumes > resumes && world().discord.connected,
      15_000,
      'gateway resume',
    );
    const reply = await (await world().command('state', { entity: 'sensor.temp' })).waitForReply();
    expect(reply.embeds[0].title).toBe('Temperature');
  });
});
