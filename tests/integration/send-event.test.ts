import { CAMERA_PNG } from '../fakes/ha/fake-ha.js';
import { waitFor } from '../helpers/wait.js';
import { CAMERA_HOME, expectFrontDoorSnapshotFetched } from './camera-home.js';
import {
  ALERT_CHANNEL_ID,
  alertsDrained,
  CHANNEL_ID,
  expectDiscordRulesKept,
  GUILD_ID,
  MANAGER,
  sharedWorld,
  startWorld,
  HOME_CONTROL_ROLE_ID,
} from './world.js';

const SEND = 'discord_bridge_send';

describe('HA automations post to Discord with the discord_bridge_send event', () => {
  const world = sharedWorld({ env: { HA_SEND_CHANNELS: CHANNEL_ID }, ha: CAMERA_HOME });

  const posted = (text: string) =>
    world().discord.waitForMessage((m) => JSON.stringify(m.body).includes(text));

  it('posts the message with its title and colour in the alert channel', async () => {
    world().ha.fireEvent(SEND, {
      message: 'The washing machine is done',
      title: 'Laundry',
      color: 'green',
    });
    const message = await posted('washing machine is done');
    expect(message.channelId).toBe(ALERT_CHANNEL_ID);
    expect(message.body.embeds).toHaveLength(1);
    expect(message.body.embeds[0]).toMatchObject({
      title: 'Laundry',
      description: 'The washing machine is done',
      color: 0x2ecc71,
    });
    expect(Date.parse(message.body.embeds[0].timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(message.body.nonce).toEqual(expect.any(String));
    expect(message.body.enforce_nonce).toBe(true);
    expect(message.files).toBeUndefined();
    await world().bot.waitForMilestone('ha-send.queued');
  });

  it('takes #rrggbb, numbers and [r, g, b] as colours, and keeps the markdown', async () => {
    world().ha.fireEvent(SEND, { message: '**Hex** colour', color: '#FF8800' });
    world().ha.fireEvent(SEND, { message: 'Number colour', color: 255 });
    world().ha.fireEvent(SEND, { message: 'RGB colour', color: [0, 128, 0] });
    await posted('RGB colour');
    // Messages that arrive together may share one Discord message, an embed each.
    type Embed = { description?: string; color?: number };
    const embeds = world().discord.messages.flatMap((m) => (m.body.embeds ?? []) as Embed[]);
    const colourOf = (text: string) => embeds.find((e) => e.description === text)?.color;
    expect(colourOf('**Hex** colour')).toBe(0xff8800);
    expect(colourOf('Number colour')).toBe(255);
    expect(colourOf('RGB colour')).toBe(0x008000);
  });

  it('posts to channel_id when HA_SEND_CHANNELS allows it, and refuses other channels', async () => {
    world().ha.fireEvent(SEND, { message: 'Refused channel', channel_id: '899999999999999999' });
    world().ha.fireEvent(SEND, { message: 'To the general channel', channel_id: CHANNEL_ID });
    const message = await posted('To the general channel');
    expect(message.channelId).toBe(CHANNEL_ID);
    const refusal = await world().bot.waitForMessage(
      /event ignored: channel_id 899999999999999999/,
    );
    expect(refusal.level).toBe(40);
    expect(refusal.msg).toContain('HA_SEND_CHANNELS');
    expect(JSON.stringify(world().discord.messages)).not.toContain('Refused channel');
  });

  it('ignores invalid events, logging why at warn, and goes on with the next', async () => {
    const from = world().bot.logs.length;
    const ha = world().ha;
    ha.fireEvent(SEND, {});
    ha.fireEvent(SEND, { message: 'Bad colour', color: 'ultraviolet' });
    // An unquoted id in YAML: a number that has already lost its last digits.
    ha.fireEvent(SEND, { message: 'Number channel', channel_id: Number(ALERT_CHANNEL_ID) });
    ha.fireEvent(SEND, { message: 'Sensor picture', image_entity: 'sensor.temp' });
    ha.fireEvent(SEND, { message: 'x'.repeat(4001) });
    ha.fireEvent(SEND, { message: 'After the invalid ones' });
    await posted('After the invalid ones');
    const warnings = world()
      .bot.logs.slice(from)
      .filter((l) => l.level === 40 && l.msg.startsWith(`${SEND} event ignored`))
      .map((l) => l.msg);
    expect(warnings).toEqual([
      `${SEND} event ignored: message: is required`,
      expect.stringContaining('color: must be #rrggbb'),
      expect.stringContaining('channel_id: must be text: quote it in YAML'),
      expect.stringContaining('image_entity: must be a camera.* or image.* entity'),
      expect.stringContaining('message: must be at most 4000 characters'),
    ]);
    const text = JSON.stringify(world().discord.messages);
    for (const refused of ['Bad colour', 'Number channel', 'Sensor picture', 'xxxxxxxxxx'])
      expect(text).not.toContain(refused);
    expect(world().bot.running).toBe(true);
  });

  it('never pings: mentions in the message are shown, allowed_mentions parses nothing', async () => {
    world().ha.fireEvent(SEND, {
      message: `@everyone @here <@${MANAGER.id}> <@&${HOME_CONTROL_ROLE_ID}> the door is open`,
    });
    const message = await posted('the door is open');
    expect(message.body.allowed_mentions).toEqual({ parse: [] });
    expect(message.body.content).toBeUndefined();
    expect(message.body.embeds[0].description).toContain(`<@${MANAGER.id}>`);
  });

  it("attaches a camera snapshot fetched from HA's camera proxy, the token in the header", async () => {
    const from = world().ha.httpRequests.length;
    world().ha.fireEvent(SEND, {
      message: 'Someone is at the door',
      title: 'Doorbell',
      image_entity: 'camera.front_door',
    });
    const message = await posted('Someone is at the door');
    expect(message.files).toHaveLength(1);
    const [file] = message.files!;
    expect(file!.name).toMatch(/camera_front_door\.png$/);
    expect(file!.contentType).toBe('image/png');
    expect(file!.data.equals(CAMERA_PNG)).toBe(true);
    expect(message.body.embeds[0].image.url).toBe(`attachment://${file!.name}`);
    expect(message.body.embeds[0].footer).toBeUndefined();
    expectFrontDoorSnapshotFetched(world(), from);
  });

  it('posts without the picture, saying why, where the bot lacks Attach Files', async () => {
    const ATTACH_FILES = String(1 << 15);
    world().discord.setChannelOverwrites(CHANNEL_ID, [
      { id: GUILD_ID, type: 0, allow: '0', deny: ATTACH_FILES },
    ]);
    try {
      world().ha.fireEvent(SEND, {
        message: 'Snapshot without permission',
        image_entity: 'camera.front_door',
        channel_id: CHANNEL_ID,
      });
      const message = await posted('Snapshot without permission');
      expect(message.channelId).toBe(CHANNEL_ID);
      expect(message.files).toBeUndefined();
      expect(message.body.embeds[0].image).toBeUndefined();
      expect(message.body.embeds[0].footer.text).toBe(
        "Image from camera.front_door could not be attached: the bot lacks Attach Files in this channel (allow it in the channel's permissions)",
      );
      await world().bot.waitForMessage(/lacks Attach Files in the channel/);
    } finally {
      world().discord.setChannelOverwrites(CHANNEL_ID, []);
    }
  });

  it('attaches image entities (image proxy) and entity pictures on HA', async () => {
    world().ha.fireEvent(SEND, {
      message: 'Image entity',
      image_entity: 'image.doorbell_snapshot',
    });
    world().ha.fireEvent(SEND, { message: 'Person picture', image_entity: 'person.alice' });
    const image = await posted('Image entity');
    const person = await posted('Person picture');
    for (const m of [image, person]) {
      expect(m.files).toHaveLength(1);
      expect(m.files![0]!.data.equals(CAMERA_PNG)).toBe(true);
    }
    expect(world().ha.httpRequests.map((r) => r.path)).toContain(
      '/api/image_proxy/image.doorbell_snapshot',
    );
  });

  it('posts without the image, and says why in the footer, when HA cannot give it', async () => {
    world().ha.fireEvent(SEND, { message: 'Camera gone', image_entity: 'camera.attic' });
    const message = await posted('Camera gone');
    expect(message.files).toBeUndefined();
    expect(message.body.embeds[0].image).toBeUndefined();
    expect(message.body.embeds[0].footer.text).toBe(
      'Image from camera.attic could not be attached: Home Assistant has no camera or image camera.attic (HTTP 404). It may have been removed or renamed.',
    );
    world().ha.setImage('camera.front_door', { status: 500 });
    try {
      world().ha.fireEvent(SEND, { message: 'Camera broken', image_entity: 'camera.front_door' });
      const broken = await posted('Camera broken');
      expect(broken.body.embeds[0].footer.text).toContain('(HTTP 500)');
    } finally {
      world().ha.setImage('camera.front_door', null);
    }
  });
});

describe('listening across reconnects', () => {
  it('subscribes again after HA restarts: an event after the restart is posted', async () => {
    const world = await startWorld();
    try {
      const from = world.bot.logs.length;
      await world.ha.restart({ downMs: 300 });
      await world.bot.waitForMilestone('ha.connected', 15_000, from);
      world.ha.fireEvent(SEND, { message: 'After the restart' });
      const message = await world.discord.waitForMessage((m) =>
        JSON.stringify(m.body).includes('After the restart'),
      );
      expect(message.channelId).toBe(ALERT_CHANNEL_ID);
      const subscriptions = world.ha.received.filter(
        (m: { type?: string; event_type?: string }) =>
          m.type === 'subscribe_events' && m.event_type === SEND,
      );
      expect(subscriptions).toHaveLength(2);
      expectDiscordRulesKept(world.discord);
    } finally {
      await world.stop();
    }
  });
});

describe('a message from HA while Discord fails', () => {
  it('stays in the outbox and is delivered once when Discord recovers', async () => {
    const world = await startWorld();
    try {
      world.discord.setRestFailure({
        status: 503,
        routeIncludes: `/channels/${ALERT_CHANNEL_ID}/messages`,
      });
      world.ha.fireEvent(SEND, { message: 'Delivered after the outage', title: 'Outage' });
      await world.bot.waitForMilestone('outbox.delivery-failed', 15_000);
      expect(world.discord.messages).toHaveLength(0);
      world.discord.setRestFailure(null);
      await waitFor(
        () => world.discord.messages.length > 0,
        20_000,
        'delivery after Discord recovered',
      );
      // Retries after the recovery must not post it again: a second copy comes before this.
      await alertsDrained(world);
      const copies = world.discord.messages.filter((m) =>
        JSON.stringify(m.body).includes('Delivered after the outage'),
      );
      expect(copies).toHaveLength(1);
      expect(copies[0]!.channelId).toBe(ALERT_CHANNEL_ID);
      expectDiscordRulesKept(world.discord);
    } finally {
      await world.stop();
    }
  });
});
