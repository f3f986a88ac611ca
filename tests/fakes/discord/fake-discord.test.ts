import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  SlashCommandBuilder,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { WebSocket } from 'ws';
import { waitFor } from '../../helpers/wait.js';
import { FakeDiscord } from './fake-discord.js';
import { validateBody } from './schemas.js';

const GUILD_ID = '811111111111111111';
const CHANNEL_ID = '822222222222222222';
const ADMIN_ROLE_ID = '833333333333333333';

const command = new SlashCommandBuilder()
  .setName('ha')
  .setDescription('Home Assistant')
  .addSubcommand((s) =>
    s
      .setName('state')
      .setDescription('Show a state')
      .addStringOption((o) => o.setName('entity').setDescription('Entity').setAutocomplete(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Set a number')
      .addNumberOption((o) => o.setName('value').setDescription('Value')),
  );

type Handler = (interaction: Interaction) => Promise<unknown>;

/** The real discord.js client, logged in to `discord`; `handler` answers its interactions. */
async function connectBot(discord: FakeDiscord, token = discord.token) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  const bot = { client, handler: null as Handler | null, errors: [] as unknown[] };
  client.on(Events.InteractionCreate, (interaction) => {
    bot.handler?.(interaction).catch((error: unknown) => bot.errors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login(token); // on failure, login() destroys the client itself
  await ready;
  return bot;
}

type Bot = Awaited<ReturnType<typeof connectBot>>;

/** Runs `test` with a client logged in to `discord`, destroyed after it whatever happens. */
async function withBot(discord: FakeDiscord, test: (bot: Bot) => Promise<void>): Promise<void> {
  const bot = await connectBot(discord);
  try {
    await test(bot);
  } finally {
    await bot.client.destroy();
  }
}

/**
 * Starts `discord` and logs a client in to it before a describe block's tests, and ends both
 * after them. Returns an accessor for the logged-in client.
 */
function connectedThroughout(discord: FakeDiscord): () => Bot {
  let bot: Bot | undefined;
  beforeAll(async () => {
    await discord.start();
    bot = await connectBot(discord);
  });
  afterAll(async () => {
    await bot?.client.destroy();
    await discord.stop();
  });
  return () => bot!;
}

function textChannel(client: Client): TextChannel {
  return client.channels.cache.get(CHANNEL_ID) as TextChannel;
}

describe('FakeDiscord with the real discord.js client', () => {
  const discord = new FakeDiscord({
    token: 'test-token',
    guilds: [
      {
        id: GUILD_ID,
        name: 'Home',
        channels: [{ id: CHANNEL_ID, name: 'general' }],
        roles: [{ id: ADMIN_ROLE_ID, name: 'Admins', permissions: '8' }],
      },
    ],
  });
  const bot = connectedThroughout(discord);
  beforeAll(() => bot().client.application!.commands.set([command.toJSON()], GUILD_ID));
  afterEach(() => {
    bot().handler = null;
    expect(bot().errors).toEqual([]);
  });

  it('logs in: ready fires with the guild, its channel and roles cached', () => {
    const guild = bot().client.guilds.cache.get(GUILD_ID)!;
    expect(guild.name).toBe('Home');
    expect(guild.roles.everyone.id).toBe(GUILD_ID);
    expect(guild.roles.cache.get(ADMIN_ROLE_ID)?.name).toBe('Admins');
    expect(textChannel(bot().client).name).toBe('general');
    expect(guild.members.me?.id).toBe(discord.botUserId);
    expect(bot().client.application!.id).toBe(discord.applicationId);
    expect(discord.identifies).toBe(1);
    expect(discord.connected).toBe(true);
    expect(discord.requests[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', status: 200 });
  });

  it('registers guild commands and returns them with ids', async () => {
    await discord.waitForCommands();
    const [registered] = discord.commands.guild.get(GUILD_ID)!;
    expect(registered).toMatchObject({ name: 'ha', application_id: discord.applicationId });
    expect(registered!.id).toMatch(/^\d{17,19}$/);
    expect(discord.schemaErrors).toEqual([]);
  });

  it('delivers a slash command and records the reply', async () => {
    let seen: Record<string, unknown> = {};
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      seen = {
        sub: i.options.getSubcommand(),
        entity: i.options.getString('entity'),
        guildId: i.guildId,
        isAdmin: i.memberPermissions?.has('Administrator'),
      };
      await i.reply({ content: 'Kitchen is on', flags: MessageFlags.Ephemeral });
    };
    const handle = await discord.sendSlashCommand({
      name: 'ha',
      subcommand: 'state',
      options: [{ name: 'entity', value: 'light.kitchen' }],
      user: { roles: ['Admins'] },
    });
    const reply = await handle.waitForReply();
    expect(reply).toMatchObject({ content: 'Kitchen is on', flags: MessageFlags.Ephemeral });
    expect(seen).toEqual({
      sub: 'state',
      entity: 'light.kitchen',
      guildId: GUILD_ID,
      isAdmin: true,
    });
    expect(handle.replies.map((r) => [r.type, r.status])).toEqual([['callback', 204]]);
  });

  it('answers withResponse: true with the callback response and its message', async () => {
    let content: string | undefined;
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'with response', withResponse: true });
      content = response.resource?.message?.content;
    };
    await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' });
    expect(await waitFor(() => content)).toBe('with response');
  });

  it('types options from the registered command, so getNumber works on whole numbers', async () => {
    bot().handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply(`value ${i.options.getNumber('value')}`);
    };
    const handle = await discord.sendSlashCommand({
      name: 'ha',
      subcommand: 'set',
      options: [{ name: 'value', value: 2 }],
    });
    expect((await handle.waitForReply()).content).toBe('value 2');
  });

  it('sends an option with the type a test gives, whatever the registered one', async () => {
    let error: unknown;
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      try {
        i.options.getNumber('value');
      } catch (e) {
        error = e;
      }
      await i.reply('checked');
    };
    const handle = await discord.sendSlashCommand({
      name: 'ha',
      subcommand: 'set',
      options: [{ name: 'value', value: 'two', type: 3 }],
    });
    await handle.waitForReply();
    expect(error).toMatchObject({ code: 'CommandInteractionOptionType' });
  });

  it('records every request body and the allowed_mentions it carried', async () => {
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: '@everyone', allowedMentions: { parse: [] } });
      await i.followUp({ content: 'more', allowedMentions: { parse: ['users'] } });
    };
    const handle = await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' });
    await waitFor(() => handle.replies.some((r) => r.type === 'followup'));
    const mine = discord.requests.filter(
      (r) => r.path.includes(handle.id) || r.path.includes(handle.token),
    );
    expect(mine.map((r) => r.allowedMentions)).toEqual([{ parse: [] }, { parse: ['users'] }]);
    expect(mine[0]!.body).toMatchObject({ type: 4, data: { content: '@everyone' } });
  });

  it('records deferReply + editReply, with the defer flags on the visible reply', async () => {
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'done', embeds: [{ title: 'Kitchen' }] });
    };
    const handle = await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' });
    const reply = await handle.waitForReply();
    expect(reply).toMatchObject({ content: 'done', embeds: [{ title: 'Kitchen' }] });
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(handle.replies.map((r) => r.type)).toEqual(['callback', 'edit']);
    await waitFor(() => discord.requests.find((r) => r.path.endsWith('/messages/@original')));
  });

  it('records follow-ups and deleted replies', async () => {
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.deleteReply();
      await i.followUp({ content: 'refused', flags: MessageFlags.Ephemeral });
    };
    const handle = await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' });
    expect((await handle.waitForReply()).content).toBe('refused');
    expect(handle.replies.map((r) => r.type)).toEqual(['callback', 'delete', 'followup']);
  });

  it('answers autocomplete with the choices the bot responds', async () => {
    let focused: unknown;
    bot().handler = async (i) => {
      if (!i.isAutocomplete()) return;
      focused = i.options.getFocused(true);
      await i.respond([{ name: 'Kitchen Light', value: 'light.kitchen' }]);
    };
    const handle = await discord.sendAutocomplete({
      name: 'ha',
      subcommand: 'state',
      options: [{ name: 'entity', value: 'kitch' }],
      focused: 'entity',
    });
    expect(await handle.waitForAutocomplete()).toEqual([
      { name: 'Kitchen Light', value: 'light.kitchen' },
    ]);
    expect(focused).toMatchObject({ name: 'entity', value: 'kitch' });
  });

  it('delivers a button click on the message that carries it, and records update()', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('confirm').setLabel('Confirm').setStyle(ButtonStyle.Primary),
    );
    const sent = await textChannel(bot().client).send({ content: 'Unlock?', components: [row] });
    let messageId: string | undefined;
    bot().handler = async (i) => {
      if (!i.isButton()) return;
      messageId = i.message.id;
      await i.update({ content: 'Unlocked', components: [] });
    };
    const handle = await discord.sendComponent({ customId: 'confirm' });
    expect(await handle.waitForReply()).toMatchObject({ content: 'Unlocked', components: [] });
    expect(messageId).toBe(sent.id);
  });

  it('delivers interactions from DMs with a user and no guild', async () => {
    let where: unknown;
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      where = { guildId: i.guildId, userId: i.user.id, inGuild: i.inGuild() };
      await i.reply('hi');
    };
    const handle = await discord.sendSlashCommand({
      name: 'ha',
      dm: true,
      user: { id: '123456789012345678' },
    });
    await handle.waitForReply();
    expect(where).toEqual({ guildId: null, userId: '123456789012345678', inGuild: false });
  });

  it('refuses 26 autocomplete choices against the published schema and records it', async () => {
    let error: unknown;
    bot().handler = async (i) => {
      if (!i.isAutocomplete()) return;
      const choices = Array.from({ length: 26 }, (_, n) => ({ name: `c${n}`, value: `${n}` }));
      await i.respond(choices).catch((e: unknown) => (error = e));
    };
    const handle = await discord.sendAutocomplete({
      name: 'ha',
      subcommand: 'state',
      focused: 'entity',
      options: [{ name: 'entity', value: '' }],
    });
    await waitFor(() => error);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect(discord.schemaErrors.splice(0)).toEqual([
      expect.objectContaining({ route: 'POST /interactions/:id/:token/callback' }),
    ]);
    expect(handle.replies[0]!.status).toBe(400);
  });

  it('refuses a 300-character embed title in a channel message', async () => {
    const send = textChannel(bot().client).send({ embeds: [{ title: 'x'.repeat(300) }] });
    await expect(send).rejects.toMatchObject({
      code: 50035,
      rawError: {
        errors: { embeds: { '0': { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } },
      },
    });
    expect(discord.schemaErrors.splice(0)).toHaveLength(1);
  });

  it('refuses a second callback for the same interaction with 40060', async () => {
    let second: unknown;
    bot().handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('first');
      const body = { type: 4, data: { content: 'second' } };
      await bot()
        .client.rest.post(Routes.interactionCallback(i.id, i.token), { body, auth: false })
        .catch((e: unknown) => (second = e));
    };
    await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' });
    await waitFor(() => second);
    expect(second).toMatchObject({ code: 40060 });
  });

  it('creates a message once for a repeated nonce with enforce_nonce', async () => {
    const before = discord.messages.length;
    const options = { content: 'Front door open', nonce: 'alert-42', enforceNonce: true };
    const first = await textChannel(bot().client).send(options);
    const again = await textChannel(bot().client).send(options);
    expect(again.id).toBe(first.id);
    expect(discord.messages.length).toBe(before + 1);
    expect(await discord.waitForMessage((m) => m.body.nonce === 'alert-42')).toMatchObject({
      channelId: CHANNEL_ID,
      id: first.id,
    });
  });

  it('parses multipart bodies with attachments', async () => {
    await textChannel(bot().client).send({
      content: 'snapshot',
      files: [{ attachment: Buffer.from('jpeg bytes'), name: 'camera.jpg' }],
    });
    const message = await discord.waitForMessage((m) => m.body.content === 'snapshot');
    expect(message.files?.[0]).toMatchObject({ name: 'camera.jpg', size: 10 });
  });

  it('fails REST as told; discord.js retries 5xx and 429 and gets through', async () => {
    discord.setRestFailure({ status: 503, count: 2, routeIncludes: '/messages' });
    await textChannel(bot().client).send('after a 503');
    discord.setRestFailure({ status: 429, count: 1, retryAfter: 0.1 });
    await textChannel(bot().client).send('after a 429');
    const statuses = discord.requests
      .filter((r) => r.path.endsWith('/messages'))
      .map((r) => r.status);
    expect(statuses.slice(-5)).toEqual([503, 503, 200, 429, 200]);
  });

  it('fails REST with the error message a test gives', async () => {
    discord.setRestFailure({
      status: 400,
      count: 1,
      message: 'Bad thing',
      routeIncludes: '/messages',
    });
    await expect(textChannel(bot().client).send('refused')).rejects.toMatchObject({
      status: 400,
      message: 'Bad thing',
    });
  });

  it('answers unknown routes with 404 JSON', async () => {
    await expect(bot().client.rest.get('/voice/regions/nope')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('lets discord.js resume after a dropped gateway and replays what it missed', async () => {
    const resumed = once(bot().client, Events.ShardResume);
    discord.dropGateway();
    bot().handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply('still here');
    };
    // Sent while the connection is down: Discord keeps it for the resumed session.
    const handle = await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' });
    await resumed;
    expect(discord.resumes).toBe(1);
    expect(discord.identifies).toBe(1);
    expect((await handle.waitForReply()).content).toBe('still here');
    expect(discord.connected).toBe(true);
  });
});

describe('request body validation', () => {
  const choices = (n: number, name = 'x') =>
    Array.from({ length: n }, (_, i) => ({ name, value: `${i}` }));
  const autocomplete = (c: unknown[]) => ({ type: 8, data: { choices: c } });
  const paths = (issues: { path: unknown[] }[]) => issues.map((i) => i.path.join('.'));

  it('rejects what the published schema forbids', () => {
    expect(validateBody('interactionCallback', autocomplete(choices(25)))).toEqual([]);
    expect(paths(validateBody('interactionCallback', autocomplete(choices(26))))).toEqual([
      'data.choices',
    ]);
    expect(
      paths(validateBody('interactionCallback', autocomplete(choices(1, 'n'.repeat(101))))),
    ).toEqual(['data.choices.0.name']);
    expect(paths(validateBody('messageCreate', { embeds: [{ title: 't'.repeat(300) }] }))).toEqual([
      'embeds.0.title',
    ]);
  });

  it('adds the limits Discord enforces but the schema does not encode', () => {
    expect(paths(validateBody('messageCreate', { content: 'c'.repeat(2001) }))).toEqual([
      'content',
    ]);
    const big = { description: 'd'.repeat(4000) };
    expect(paths(validateBody('webhookEdit', { embeds: [big, big] }))).toEqual(['embeds']);
    expect(
      paths(validateBody('messageCreate', { embeds: [{ fields: [{ name: ' ', value: '' }] }] })),
    ).toEqual(['embeds.0.fields.0.name', 'embeds.0.fields.0.value']);
    const value = 'v'.repeat(101);
    expect(
      paths(validateBody('interactionCallback', autocomplete([{ name: 'a', value }]))),
    ).toEqual(['data.choices.0.value']);
    const cmd = {
      name: 'HA',
      description: 'x',
      options: [{ type: 3, name: 'a b', description: '' }],
    };
    expect(paths(validateBody('commandBulkOverwrite', [cmd])).sort()).toEqual([
      '0.name',
      '0.options.0.description',
      '0.options.0.name',
    ]);
  });
});

describe('FakeDiscord refusals', () => {
  const discord = new FakeDiscord({ interactionDeadlineMs: 100, interactionTokenTtlMs: 300 });
  beforeAll(() => discord.start());
  afterAll(() => discord.stop());

  it('makes login reject with TokenInvalid for a wrong token', async () => {
    await expect(connectBot(discord, 'wrong-token')).rejects.toMatchObject({
      code: 'TokenInvalid',
    });
    expect(discord.requests.at(-1)).toMatchObject({ path: '/gateway/bot', status: 401 });
  });

  it('closes the gateway with 4004 on IDENTIFY with a wrong token', async () => {
    const ws = new WebSocket(
      `${discord.apiUrl.replace('http', 'ws').replace('/api', '')}/gateway?v=10&encoding=json`,
    );
    await once(ws, 'message');
    ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('rejects a token at IDENTIFY (4004) that REST accepted, when told to', async () => {
    const strict = new FakeDiscord({ gatewayToken: 'another-token' });
    await strict.start();
    try {
      await expect(connectBot(strict)).rejects.toThrow(/Authentication failed/);
      expect(strict.requests.find((r) => r.path === '/gateway/bot')?.status).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it('lists interactions left without an answer past the deadline', async () => {
    await withBot(discord, async (bot) => {
      bot.handler = async () => undefined;
      const handle = await discord.sendSlashCommand({ name: 'ha' });
      expect(handle.createdAt).toBeLessThanOrEqual(Date.now());
      await waitFor(() => discord.unanswered.includes(handle.id), 1000);
    });
  });

  it('rejects a callback after the deadline with 10062 and records it', async () => {
    await withBot(discord, async (bot) => {
      let error: unknown;
      bot.handler = async (i) => {
        if (!i.isChatInputCommand()) return;
        await new Promise((r) => setTimeout(r, 300));
        await i.reply('too late').catch((e: unknown) => (error = e));
      };
      const handle = await discord.sendSlashCommand({ name: 'ha' });
      await waitFor(() => error);
      expect(error).toMatchObject({ code: 10062 });
      expect(discord.lateCallbacks).toEqual([handle.id]);
      await expect(handle.waitForReply(200)).rejects.toThrow(/callback 404/);
    });
  });

  it('refuses edits once the interaction token has expired (50027)', async () => {
    await withBot(discord, async (bot) => {
      let error: unknown;
      bot.handler = async (i) => {
        if (!i.isChatInputCommand()) return;
        await i.deferReply();
        await new Promise((r) => setTimeout(r, 400));
        await i.editReply('much later').catch((e: unknown) => (error = e));
      };
      await discord.sendSlashCommand({ name: 'ha' });
      await waitFor(() => error);
      expect(error).toMatchObject({ code: 50027 });
    });
  });

  it('closes the gateway with 4014 for privileged intents the bot has not been granted', async () => {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
      rest: { api: discord.apiUrl },
    });
    await expect(client.login(discord.token)).rejects.toThrow(/disallowed intents/i);
    await client.destroy();
  });
});

describe("FakeDiscord enforces the bot's permissions in a channel, like Discord", () => {
  const ATTACH_FILES = String(1n << 15n);
  const SEND_MESSAGES = String(1n << 11n);
  const VIEW_CHANNEL = String(1n << 10n);
  const NO_FILES = '822222222222222223';
  const READ_ONLY = '822222222222222224';
  const HIDDEN = '822222222222222225';
  const FILES_BY_ROLE = '822222222222222226';
  const CAMERA_ROLE = '833333333333333334';
  const discord = new FakeDiscord({
    token: 'test-token',
    guilds: [
      {
        id: GUILD_ID,
        name: 'Home',
        roles: [{ id: CAMERA_ROLE, name: 'Cameras', permissions: '0' }],
        botRoles: [CAMERA_ROLE],
        channels: [
          { id: CHANNEL_ID, name: 'general' },
          {
            id: NO_FILES,
            name: 'alerts',
            overwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: ATTACH_FILES }],
          },
          {
            id: READ_ONLY,
            name: 'news',
            overwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: SEND_MESSAGES }],
          },
          {
            id: HIDDEN,
            name: 'secret',
            overwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: VIEW_CHANNEL }],
          },
          {
            id: FILES_BY_ROLE,
            name: 'cameras',
            overwrites: [
              { id: GUILD_ID, type: 0, allow: '0', deny: ATTACH_FILES },
              { id: CAMERA_ROLE, type: 0, allow: ATTACH_FILES, deny: '0' },
            ],
          },
        ],
      },
    ],
  });
  const bot = connectedThroughout(discord);
  const post = (channelId: string, files: boolean) =>
    bot().client.rest.post(Routes.channelMessages(channelId), {
      body: { content: `to ${channelId}` },
      ...(files ? { files: [{ name: 'camera.jpg', data: Buffer.from('jpeg bytes') }] } : {}),
    });

  it('refuses files without Attach Files (50013) but takes the text alone', async () => {
    await expect(post(NO_FILES, true)).rejects.toMatchObject({
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    await post(NO_FILES, false);
    expect(discord.messages.filter((m) => m.channelId === NO_FILES)).toEqual([
      expect.objectContaining({ body: { content: `to ${NO_FILES}` } }),
    ]);
    expect(discord.messages.find((m) => m.channelId === NO_FILES)?.files).toBeUndefined();
  });

  it('refuses files in an edit without Attach Files', async () => {
    const message = (await post(NO_FILES, false)) as { id: string };
    await expect(
      bot().client.rest.patch(Routes.channelMessage(NO_FILES, message.id), {
        body: { content: 'with a picture' },
        files: [{ name: 'camera.jpg', data: Buffer.from('jpeg bytes') }],
      }),
    ).rejects.toMatchObject({ code: 50013 });
  });

  it('takes files where a role overwrite of the bot allows them, and by default', async () => {
    await post(FILES_BY_ROLE, true);
    await post(CHANNEL_ID, true);
    expect(discord.messages.find((m) => m.channelId === FILES_BY_ROLE)?.files).toHaveLength(1);
    expect(discord.messages.find((m) => m.channelId === CHANNEL_ID)?.files).toHaveLength(1);
  });

  it('refuses a message without Send Messages (50013) or View Channel (50001)', async () => {
    await expect(post(READ_ONLY, false)).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(post(HIDDEN, false)).rejects.toMatchObject({ status: 403, code: 50001 });
  });
});

describe('FakeDiscord models threads, forum posts and DMs like Discord', () => {
  const FORUM_ID = '844444444444444444';
  const discord = new FakeDiscord({
    token: 'test-token',
    guilds: [
      {
        id: GUILD_ID,
        name: 'Home',
        channels: [
          { id: CHANNEL_ID, name: 'general' },
          { id: FORUM_ID, name: 'incidents', type: 15 },
        ],
      },
    ],
  });

  const bot = connectedThroughout(discord);

  const rest = () => bot().client.rest;

  it('makes a private thread unless asked for a public one, and posts in it', async () => {
    const privateOne = (await rest().post(Routes.threads(CHANNEL_ID), {
      body: { name: 'Quiet' },
    })) as { type: number };
    expect(privateOne.type).toBe(12);
    const thread = (await rest().post(Routes.threads(CHANNEL_ID), {
      body: { name: 'Front door', type: 11, auto_archive_duration: 10080 },
    })) as { id: string; parent_id: string; thread_metadata: { archived: boolean } };
    expect(thread).toMatchObject({ parent_id: CHANNEL_ID, thread_metadata: { archived: false } });
    await rest().post(Routes.channelMessages(thread.id), { body: { content: 'in the thread' } });
    expect(discord.messages.at(-1)).toMatchObject({ channelId: thread.id });
    const fetched = await bot().client.channels.fetch(thread.id, { force: true });
    expect(fetched?.isThread() && fetched.parentId).toBe(CHANNEL_ID);
    expect(discord.schemaErrors).toEqual([]);
  });

  it('unarchives a thread on a post, and refuses one a moderator locked (50083)', async () => {
    const thread = (await rest().post(Routes.threads(CHANNEL_ID), {
      body: { name: 'Archived', type: 11 },
    })) as { id: string };
    discord.archiveThread(thread.id);
    await rest().post(Routes.channelMessages(thread.id), { body: { content: 'wake up' } });
    expect(discord.threads.find((t) => t.id === thread.id)!.archived).toBe(false);
    discord.archiveThread(thread.id, { locked: true });
    await expect(
      rest().post(Routes.channelMessages(thread.id), { body: { content: 'no' } }),
    ).rejects.toMatchObject({ code: 50083 });
  });

  it('answers Unknown Channel (10003) for a deleted thread', async () => {
    const thread = (await rest().post(Routes.threads(CHANNEL_ID), {
      body: { name: 'Gone', type: 11 },
    })) as { id: string };
    discord.deleteThread(thread.id);
    await expect(
      rest().post(Routes.channelMessages(thread.id), { body: { content: 'x' } }),
    ).rejects.toMatchObject({ code: 10003 });
  });

  it('makes a forum post with its first message in one request, the message id the thread id', async () => {
    await expect(
      rest().post(Routes.threads(FORUM_ID), { body: { name: 'No message' } }),
    ).rejects.toMatchObject({ status: 400 });
    expect(discord.schemaErrors.at(-1)?.route).toBe('POST /channels/:channelId/threads');
    discord.schemaErrors.length = 0;
    const post = (await rest().post(Routes.threads(FORUM_ID), {
      body: { name: 'Leak', message: { embeds: [{ description: 'Water!' }] } },
    })) as { id: string; message: { id: string; channel_id: string } };
    expect(post.message).toMatchObject({ id: post.id, channel_id: post.id });
    // A forum takes no messages of its own.
    await expect(
      rest().post(Routes.channelMessages(FORUM_ID), { body: { content: 'x' } }),
    ).rejects.toMatchObject({ status: 400 });
    expect(discord.schemaErrors).toHaveLength(0);
  });

  it('starts a thread from a message, once, with the message id', async () => {
    const message = (await rest().post(Routes.channelMessages(CHANNEL_ID), {
      body: { content: 'start here' },
    })) as { id: string };
    const thread = (await rest().post(Routes.threads(CHANNEL_ID, message.id), {
      body: { name: 'Replies' },
    })) as { id: string; type: number };
    expect(thread).toMatchObject({ id: message.id, type: 11 });
    await expect(
      rest().post(Routes.threads(CHANNEL_ID, message.id), { body: { name: 'Again' } }),
    ).rejects.toMatchObject({ code: 160004 });
  });

  it('opens one DM channel per user, where messages are edited and deleted', async () => {
    const USER = '855555555555555555';
    const dm = (await rest().post(Routes.userChannels(), { body: { recipient_id: USER } })) as {
      id: string;
      type: number;
    };
    const again = (await rest().post(Routes.userChannels(), { body: { recipient_id: USER } })) as {
      id: string;
    };
    expect(again.id).toBe(dm.id);
    expect(dm.type).toBe(1);
    const m = (await rest().post(Routes.channelMessages(dm.id), { body: { content: 'hi' } })) as {
      id: string;
    };
    await rest().patch(Routes.channelMessage(dm.id, m.id), { body: { content: 'hello' } });
    expect(discord.messages.find((x) => x.id === m.id)!.body.content).toBe('hello');
    await rest().delete(Routes.channelMessage(dm.id, m.id));
    expect(discord.messages.find((x) => x.id === m.id)!.deletedAt).toEqual(expect.any(Number));
  });
});

describe('FakeDiscord refuses a DM to a user who accepts none', () => {
  const discord = new FakeDiscord({ token: 'test-token' });
  const bot = connectedThroughout(discord);

  it('opens the DM channel, then refuses the message with 50007', async () => {
    const USER = '866666666666666666';
    discord.closeDms(USER);
    const dm = (await bot().client.rest.post(Routes.userChannels(), {
      body: { recipient_id: USER },
    })) as { id: string };
    await expect(
      bot().client.rest.post(Routes.channelMessages(dm.id), { body: { content: 'hi' } }),
    ).rejects.toMatchObject({ code: 50007, status: 403 });
  });
});
