import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { RecordedMessage } from '../fakes/discord/types.js';
import { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { waitFor } from '../helpers/wait.js';
import { CAMERA_HOME } from './camera-home.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  CHANNEL_ID,
  DISCORD_TOKEN,
  expectDiscordRulesKept,
  HA_TOKEN,
  HOME,
  HOME_GUILD,
} from './world.js';

const SEND = 'discord_bridge_send';
const FORUM_ID = '844444444444444444';
const ALICE = '855555555555555551';
const BOB = '855555555555555552';

/** The test server with a forum besides its channels; the bot on a data directory of its own. */
async function startPostingWorld() {
  const ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME, ...CAMERA_HOME });
  const discord = new FakeDiscord({
    token: DISCORD_TOKEN,
    guilds: [
      {
        ...HOME_GUILD,
        channels: [...HOME_GUILD.channels, { id: FORUM_ID, name: 'incidents', type: 15 }],
      },
    ],
  });
  await Promise.all([ha.start(), discord.start()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'hdb-posting-'));
  const env = {
    DATA_DIR: dataDir,
    HA_SEND_CHANNELS: `${CHANNEL_ID},${FORUM_ID}`,
    HA_SEND_USERS: ALICE,
    // A busy machine must not make the bot miss HA's pong (and an event while it reconnects).
    HA_PING_TIMEOUT_MS: '5000',
  };
  let bot: BotProcess | undefined;
  const world = {
    ha,
    discord,
    bot: () => bot!,
    async startBot() {
      bot = BotProcess.start(botEnv(ha, discord, env));
      await bot.waitForMessage('bridge ready');
      await bot.waitForMessage('Home Assistant connected');
    },
    async stopBot() {
      await bot?.stop();
      bot = undefined;
    },
    async stop() {
      await world.stopBot();
      await Promise.all([ha.stop(), discord.stop()]);
    },
    /** The bot's first message (not deleted) whose body contains `text`. */
    posted: (text: string, timeoutMs?: number) =>
      discord.waitForMessage(
        (m) => !m.deletedAt && JSON.stringify(m.body).includes(text),
        timeoutMs,
      ),
    /** Every message the bot posted whose body (as posted or edited) contains `text`. */
    all: (text: string): RecordedMessage[] =>
      discord.messages.filter((m) => JSON.stringify(m.body).includes(text)),
  };
  await world.startBot();
  return world;
}

type PostingWorld = Awaited<ReturnType<typeof startPostingWorld>>;

/**
 * One posting world for a whole describe block, Discord's rules checked after each test.
 * Returns an accessor for the running world.
 */
function sharedPostingWorld(): () => PostingWorld {
  let world: PostingWorld | undefined;
  beforeAll(async () => {
    world = await startPostingWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(() => expectDiscordRulesKept(world!.discord));
  return () => world!;
}

describe('where and how a discord_bridge_send message posts', () => {
  const world = sharedPostingWorld();

  it('edits the message of a tag instead of posting again, and removes it with delete', async () => {
    world().ha.fireEvent(SEND, { message: 'Washer: running', tag: 'washer', color: 'orange' });
    const first = await world().posted('Washer: running');
    world().ha.fireEvent(SEND, { message: 'Washer: done', tag: 'washer', color: 'green' });
    await world().discord.waitForMessage((m) => m.id === first.id && m.editedAt !== undefined);
    expect(first.body.embeds[0]).toMatchObject({ description: 'Washer: done', color: 0x2ecc71 });
    world().ha.fireEvent(SEND, { tag: 'washer', delete: true });
    await world().discord.waitForMessage((m) => m.id === first.id && m.deletedAt !== undefined);
    // Removed and forgotten: the tag's next message is a new one.
    world().ha.fireEvent(SEND, { message: 'Washer: running again', tag: 'washer' });
    const next = await world().posted('Washer: running again');
    expect(next.id).not.toBe(first.id);
    expect(world().all('Washer')).toHaveLength(2);
  });

  it('shows fields, url, thumbnail, author, footer and timestamp in the embed', async () => {
    world().ha.fireEvent(SEND, {
      message: 'Dishwasher finished',
      title: 'Kitchen',
      url: 'https://example.com/dishwasher',
      thumbnail: 'https://example.com/dw.png',
      footer: 'Appliances',
      timestamp: '2026-12-01T06:00:00+00:00',
      author: { name: 'Home Assistant', icon_url: 'https://example.com/ha.png' },
      fields: [
        { name: 'Program', value: 'Eco', inline: true },
        { name: 'Energy', value: '0.8 kWh', inline: true },
      ],
    });
    const message = await world().posted('Dishwasher finished');
    expect(message.body.embeds[0]).toMatchObject({
      title: 'Kitchen',
      url: 'https://example.com/dishwasher',
      thumbnail: { url: 'https://example.com/dw.png' },
      footer: { text: 'Appliances' },
      timestamp: '2026-12-01T06:00:00.000Z',
      author: { name: 'Home Assistant', icon_url: 'https://example.com/ha.png' },
      fields: [
        { name: 'Program', value: 'Eco', inline: true },
        { name: 'Energy', value: '0.8 kWh', inline: true },
      ],
    });
  });

  it('sends several pictures as a gallery, and replaces them when a tag is edited', async () => {
    /** The same two cameras' pictures under one tag: only the text changes. */
    const cameras = (message: string) => ({
      message,
      tag: 'cameras',
      url: 'https://example.com/cameras',
      image_entity: ['camera.front_door', 'camera.back_yard'],
    });
    world().ha.fireEvent(SEND, cameras('Cameras: before'));
    const message = await world().posted('Cameras: before');
    expect(message.files?.map((f) => f.name)).toEqual([
      '1-camera_front_door.png',
      '1-2-camera_back_yard.png',
    ]);
    expect(message.body.embeds).toHaveLength(2);
    expect(message.body.embeds[1]).toEqual({
      url: 'https://example.com/cameras',
      image: { url: 'attachment://1-2-camera_back_yard.png' },
    });
    world().ha.fireEvent(SEND, cameras('Cameras: after'));
    await world().discord.waitForMessage((m) => m.id === message.id && m.editedAt !== undefined);
    expect(message.body.embeds[0].description).toBe('Cameras: after');
    // The edit lists the new files as the message's attachments: the old ones go.
    expect(message.body.attachments).toEqual([
      { id: '0', filename: '1-camera_front_door.png' },
      { id: '1', filename: '1-2-camera_back_yard.png' },
    ]);
    expect(message.files).toHaveLength(2);
  });

  it('sends a DM to a user HA_SEND_USERS lists, and refuses others with the reason', async () => {
    world().ha.fireEvent(SEND, { message: 'For Bob only', user_id: BOB });
    world().ha.fireEvent(SEND, { message: 'For Alice only', user_id: ALICE });
    const dm = await world().posted('For Alice only');
    const channel = world().discord.dmChannels.find((c) => c.id === dm.channelId);
    expect(channel?.recipients[0].id).toBe(ALICE);
    const warning = await world()
      .bot()
      .waitForMessage(/user_id 855555555555555552 is not allowed/);
    expect(warning.msg).toContain('HA_SEND_USERS');
    // Events are handled in order: Bob's, refused, came before Alice's.
    expect(world().all('For Bob only')).toEqual([]);
  });

  it('says why Discord refuses a DM, and delivers it once the user accepts DMs', async () => {
    world().discord.closeDms(ALICE);
    const from = world().bot().logs.length;
    world().ha.fireEvent(SEND, { message: 'Alice, DMs closed', user_id: ALICE });
    const warning = await world()
      .bot()
      .waitForMessage(/could not deliver/, 15_000, from);
    expect(warning.err).toContain('Discord refuses a direct message to this user');
    // Other destinations go on meanwhile.
    world().ha.fireEvent(SEND, { message: 'Meanwhile in the alert channel' });
    await world().posted('Meanwhile in the alert channel');
    world().discord.closeDms(ALICE, false);
    await world().posted('Alice, DMs closed', 15_000);
  });

  it('makes a thread by name once, reuses it (archived too), and makes it again if deleted', async () => {
    world().ha.fireEvent(SEND, { message: 'Someone at the door', thread: 'Front door' });
    const first = await world().posted('Someone at the door');
    const threads = () => world().discord.threads.filter((t) => t.name === 'Front door');
    expect(threads()).toHaveLength(1);
    expect(threads()[0]).toMatchObject({
      parentId: ALERT_CHANNEL_ID,
      type: 11,
      id: first.channelId,
    });
    world().discord.archiveThread(first.channelId);
    world().ha.fireEvent(SEND, { message: 'Parcel left', thread: 'front door' });
    const second = await world().posted('Parcel left');
    expect(second.channelId).toBe(first.channelId);
    expect(threads()[0]!.archived).toBe(false);
    world().discord.deleteThread(first.channelId);
    world().ha.fireEvent(SEND, { message: 'Door closed', thread: 'Front door' });
    const third = await world().posted('Door closed');
    expect(third.channelId).not.toBe(first.channelId);
    expect(threads().filter((t) => !t.deletedAt)).toHaveLength(1);
  });

  it('posts in a thread by id, whose channel must be allowed', async () => {
    world().ha.fireEvent(SEND, {
      message: 'Opened the thread',
      thread: 'Garage',
      channel_id: CHANNEL_ID,
    });
    const opened = await world().posted('Opened the thread');
    world().ha.fireEvent(SEND, { message: 'By thread id', thread_id: opened.channelId });
    const byId = await world().posted('By thread id');
    expect(byId.channelId).toBe(opened.channelId);
  });

  it('makes a forum post with the first message, then posts in it', async () => {
    world().ha.fireEvent(SEND, {
      message: 'Water on the floor',
      thread: 'Leak',
      channel_id: FORUM_ID,
    });
    const post = await world().posted('Water on the floor');
    const thread = world().discord.threads.find((t) => t.id === post.channelId)!;
    expect(thread).toMatchObject({ parentId: FORUM_ID, name: 'Leak' });
    // The first message of a forum post has the thread's id.
    expect(post.id).toBe(thread.id);
    world().ha.fireEvent(SEND, { message: 'Water stopped', thread: 'Leak', channel_id: FORUM_ID });
    const reply = await world().posted('Water stopped');
    expect(reply.channelId).toBe(thread.id);
    expect(world().discord.threads.filter((t) => t.name === 'Leak')).toHaveLength(1);
  });
});

describe('tags across restarts and outages', () => {
  const world = sharedPostingWorld();

  it('edits the message a tag posted before the bot restarted', async () => {
    world().ha.fireEvent(SEND, { message: 'Board: all quiet', tag: 'board' });
    const first = await world().posted('Board: all quiet');
    await world().stopBot();
    await world().startBot();
    world().ha.fireEvent(SEND, { message: 'Board: door open', tag: 'board' });
    await world().discord.waitForMessage(
      (m) => m.id === first.id && m.editedAt !== undefined,
      15_000,
    );
    expect(first.body.embeds[0].description).toBe('Board: door open');
    expect(world().all('Board:')).toHaveLength(1);
  });

  it('collapses the edits of a tag queued while Discord is down into one post', async () => {
    world().discord.setRestFailure({
      status: 503,
      routeIncludes: `/channels/${ALERT_CHANNEL_ID}/messages`,
    });
    const from = world().bot().logs.length;
    const queued = () =>
      world()
        .bot()
        .logs.slice(from)
        .filter((l) => l.msg === 'message from Home Assistant queued' && l.tag === 'dryer');
    for (const [i, step] of ['1 of 3', '2 of 3', '3 of 3'].entries()) {
      world().ha.fireEvent(SEND, { message: `Dryer: step ${step}`, tag: 'dryer' });
      await waitFor(() => queued().length > i, 15_000, `step ${step} queued`);
    }
    await world()
      .bot()
      .waitForMessage(/could not deliver alerts to Discord/, 15_000, from);
    world().discord.setRestFailure(null);
    await world().posted('Dryer: step 3 of 3', 30_000);
    // Posted in order per channel: an earlier step would have come first.
    expect(world().all('Dryer:')).toHaveLength(1);
  });
});
