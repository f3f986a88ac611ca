import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { FakeGuild } from '../fakes/discord/types.js';
import { FakeHomeAssistant, fixedFakeToken, type FakeHaOptions } from '../fakes/ha/fake-ha.js';
import type { FakeEntityInput } from '../fakes/ha/types.js';
import { freePort } from '../helpers/net.js';
import { BotProcess } from './harness.js';

export const GUILD_ID = '811111111111111111';
export const CHANNEL_ID = '822222222222222222';
export const ALERT_CHANNEL_ID = '833333333333333333';
/** A long-lived token as HA makes them (a JWT): the bot sends nothing else. */
export const HA_TOKEN = fixedFakeToken('integration');
/** A well-formed token the fake HA does not know: HA rejects it. */
export const REVOKED_HA_TOKEN = fixedFakeToken('revoked');
export const DISCORD_TOKEN = 'discord-bot-token-0123456789abcdef';

/** An entity of the fake HA: its id, state and friendly name, then any other attributes. */
export function fakeEntity(
  entityId: string,
  state: string,
  friendlyName: string,
  attributes: Record<string, unknown> = {},
): FakeEntityInput {
  return { entity_id: entityId, state, attributes: { friendly_name: friendlyName, ...attributes } };
}

/** The home the fake HA serves in integration tests. */
export const HOME: Required<Pick<FakeHaOptions, 'entities' | 'areas' | 'registry'>> = {
  entities: [
    fakeEntity('light.kitchen_light', 'off', 'Kitchen Light'),
    fakeEntity('switch.kettle', 'off', 'Kettle'),
    fakeEntity('sensor.temp', '21.5', 'Temperature', {
      unit_of_measurement: '°C',
      device_class: 'temperature',
    }),
    fakeEntity('sensor.humidity', '40', 'Humidity', { unit_of_measurement: '%' }),
    fakeEntity('binary_sensor.front_door', 'off', 'Front Door', { device_class: 'door' }),
    fakeEntity('binary_sensor.back_door', 'off', 'Back Door', { device_class: 'door' }),
    fakeEntity('lock.front_door_lock', 'locked', 'Front Door Lock'),
    fakeEntity('light.bedroom_left', 'off', 'Bedroom Left'),
    fakeEntity('light.bedroom_right', 'off', 'Bedroom Right'),
    fakeEntity('light.porch', 'off', 'Porch Lamp'),
    fakeEntity('switch.porch', 'off', 'Porch Heater'),
  ],
  areas: [
    { area_id: 'kitchen', name: 'Kitchen' },
    { area_id: 'bedroom', name: 'Bedroom' },
  ],
  registry: [
    { entity_id: 'light.kitchen_light', area_id: 'kitchen' },
    { entity_id: 'switch.kettle', area_id: 'kitchen' },
    { entity_id: 'sensor.temp', area_id: 'kitchen' },
    { entity_id: 'light.bedroom_left', area_id: 'bedroom' },
    { entity_id: 'light.bedroom_right', area_id: 'bedroom' },
  ],
};

export interface World {
  ha: FakeHomeAssistant;
  discord: FakeDiscord;
  bot: BotProcess;
  /** Sends `/ha <subcommand>` from a member in the test channel. */
  command(
    subcommand: string,
    options?: Record<string, string>,
  ): ReturnType<FakeDiscord['sendSlashCommand']>;
  autocomplete(
    subcommand: string,
    focused: string,
    value: string,
  ): ReturnType<FakeDiscord['sendAutocomplete']>;
  stop(): Promise<void>;
}

type InteractionUser = NonNullable<Parameters<FakeDiscord['sendSlashCommand']>[0]['user']>;

/** Sends `/ha [group] <subcommand>` in the test channel, as MANAGER unless told otherwise. */
export function sendHa(
  discord: FakeDiscord,
  subcommand: string,
  options: Record<string, string | number> = {},
  from: { user?: InteractionUser; group?: string } = {},
): ReturnType<FakeDiscord['sendSlashCommand']> {
  return discord.sendSlashCommand({
    guildId: GUILD_ID,
    channelId: CHANNEL_ID,
    user: from.user ?? MANAGER,
    name: 'ha',
    ...(from.group ? { subcommandGroup: from.group } : {}),
    subcommand,
    options: Object.entries(options).map(([name, value]) => ({ name, value })),
  });
}

/**
 * Sends what Discord sends while a member types `/ha <subcommand>` in the test channel:
 * `focused` is the option being typed, `options` what is typed so far (the focused one too).
 * As MANAGER unless told otherwise.
 */
export function suggestHa(
  discord: FakeDiscord,
  subcommand: string,
  focused: string,
  options: Record<string, string>,
  from: { user?: InteractionUser } = {},
): ReturnType<FakeDiscord['sendAutocomplete']> {
  return discord.sendAutocomplete({
    guildId: GUILD_ID,
    channelId: CHANNEL_ID,
    user: from.user ?? MANAGER,
    name: 'ha',
    subcommand,
    focused,
    options: Object.entries(options).map(([name, value]) => ({ name, value })),
  });
}

/** Picks `values` in the bot's select menu `customId` (its latest message with it), as MANAGER. */
export function pickInMenu(
  discord: FakeDiscord,
  customId: string,
  values: string[],
): ReturnType<FakeDiscord['sendComponent']> {
  return discord.sendComponent({ user: MANAGER, customId, componentType: 3, values });
}

/**
 * The settings every bot under test starts with, against fake or real HA alike: the fake
 * Discord and its test server, the HA at `ha.url` with `ha.token` (none when the test gives
 * HA_TOKEN_FILE instead), debug logs; then `extra`.
 */
export function baseBotEnv(
  ha: { url: string; token?: string },
  discord: FakeDiscord,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DISCORD_TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_ALERT_CHANNEL_ID: ALERT_CHANNEL_ID,
    HA_URL: ha.url,
    ...(ha.token === undefined ? {} : { HA_TOKEN: ha.token }),
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

/**
 * The bot against the fake HA: the base settings, alerts for the doors and sensor.temp, and
 * the short heartbeat and state wait the fake allows (a real HA gets the defaults).
 */
export function botEnv(
  ha: FakeHomeAssistant,
  discord: FakeDiscord,
  extra: Record<string, string> = {},
): Record<string, string> {
  return baseBotEnv({ url: ha.url, token: HA_TOKEN }, discord, {
    ALERT_ENTITIES: 'binary_sensor.*_door,sensor.temp',
    HA_PING_INTERVAL_MS: '1000',
    HA_PING_TIMEOUT_MS: '1000',
    HA_STATE_WAIT_MS: '1500',
    // Messages in one channel 100 ms apart instead of 1 s: tests of gathering set it back.
    OUTBOX_MIN_INTERVAL_MS: '100',
    ...extra,
  });
}

/** Writes `yaml` as the bot's CONFIG_FILE (bridge.yaml) in a fresh temp dir; returns its path. */
export function configFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'hdb-config-')), 'bridge.yaml');
  writeFileSync(path, yaml);
  return path;
}

export const EPHEMERAL = 1 << 6;
export const HOME_CONTROL_ROLE_ID = '700000000000000007';

/**
 * The member most tests act as: has Discord's Manage Server permission, which the default
 * access policy requires for control. Plain members are tested in access.test.ts.
 */
export const MANAGER = { id: '190000000000000002', username: 'owner', permissions: String(1 << 5) };

/** A member with the role Home Control and no permissions of their own. */
export const HOUSEMATE = {
  id: '190000000000000004',
  username: 'housemate',
  roles: [HOME_CONTROL_ROLE_ID],
};

/** A plain member: no permissions, no roles. */
export const MEMBER = { id: '190000000000000003', username: 'guest', permissions: '0' };

/** The Discord server of the tests: a general and an alert channel, and the role Home Control. */
export const HOME_GUILD: FakeGuild = {
  id: GUILD_ID,
  name: 'Home',
  channels: [
    { id: CHANNEL_ID, name: 'general' },
    { id: ALERT_CHANNEL_ID, name: 'alerts' },
  ],
  roles: [{ id: HOME_CONTROL_ROLE_ID, name: 'Home Control' }],
};

/** A fake Discord with the test server, and any other servers a test needs besides it. */
export function fakeDiscord(otherGuilds: readonly FakeGuild[] = []): FakeDiscord {
  return new FakeDiscord({ token: DISCORD_TOKEN, guilds: [HOME_GUILD, ...otherGuilds] });
}

/**
 * A fake Discord with the test server on a port nothing listens on until its start(): the bot
 * is refused there, as with a network still down.
 */
export async function fakeDiscordNotYetUp(): Promise<FakeDiscord> {
  return new FakeDiscord({ token: DISCORD_TOKEN, guilds: [HOME_GUILD], port: await freePort() });
}

export async function startFakes(haOptions: Partial<FakeHaOptions> = {}) {
  const ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME, ...haOptions });
  const discord = fakeDiscord();
  await Promise.all([ha.start(), discord.start()]);
  return { ha, discord };
}

/** Starts the fakes and the bot, and waits until both sides are connected (or only Discord). */
export async function startWorld(
  opts: { env?: Record<string, string>; ha?: Partial<FakeHaOptions>; waitHa?: boolean } = {},
): Promise<World> {
  const { ha, discord } = await startFakes(opts.ha);
  const bot = BotProcess.start(botEnv(ha, discord, opts.env));
  try {
    if (opts.waitHa === false) {
      // `bridge ready` needs HA connected too: Discord's side is ready once /ha is registered.
      await bot.waitForMilestone('discord.commands-registered');
    } else {
      await bot.waitForMilestone('bridge.ready');
      await bot.waitForMilestone('ha.connected');
    }
  } catch (error) {
    await bot.stop('SIGKILL');
    await Promise.all([ha.stop(), discord.stop()]);
    throw error;
  }
  return {
    ha,
    discord,
    bot,
    command: (subcommand, options = {}) => sendHa(discord, subcommand, options),
    autocomplete: (subcommand, focused, value) =>
      suggestHa(discord, subcommand, focused, { [focused]: value }),
    async stop() {
      await bot.stop();
      await Promise.all([ha.stop(), discord.stop()]);
    },
  };
}

/**
 * Sets a state in the fake HA and waits until the bot shows exactly `shown` for it, so the
 * next interaction sees the new state (the change and the interaction race otherwise).
 */
export async function settle(
  world: World,
  entityId: string,
  state: string,
  shown = state,
): Promise<void> {
  world.ha.setState(entityId, state);
  for (let i = 0; i < 50; i++) {
    const reply = await (await world.command('state', { entity: entityId })).waitForReply();
    if (reply.embeds?.[0]?.description === shown) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the bot never showed ${entityId} as ${shown}`);
}

let markers = 0;
/** The start of every alertsDrained() marker's text. */
export const DRAIN_MARKER = 'drain marker';

/** An HA that fires events: the fake's fireEvent, or a real HA's `fire_event` command. */
export interface EventSource {
  fireEvent(eventType: string, data: Record<string, unknown>): unknown;
}

/**
 * Waits until everything the bot has queued for the alert channel so far is posted: fires a
 * marker through HA's discord_bridge_send event (queued after any alert from an earlier state
 * change) and waits for it there. The outbox delivers a channel's messages in order, so an
 * alert the bot should not have sent is posted before the marker, where the test sees it; a
 * test that checks "nothing was posted" after this cannot pass just by looking too early.
 */
export async function alertsDrained(
  parts: { ha: EventSource; discord: FakeDiscord },
  timeoutMs = 15_000,
): Promise<void> {
  const marker = `${DRAIN_MARKER} ${++markers}`;
  await parts.ha.fireEvent('discord_bridge_send', { message: marker });
  await parts.discord.waitForMessage(
    (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(marker),
    timeoutMs,
  );
}

/** Discord rules the fake checks on every request: no malformed body, no late callback. */
export function expectDiscordRulesKept(discord: FakeDiscord): void {
  expect(discord.schemaErrors).toEqual([]);
  expect(discord.lateCallbacks).toEqual([]);
}

/**
 * One world for a whole describe block: started before its tests, stopped after them, and
 * Discord's rules checked after each test. Returns an accessor for the running world.
 */
export function sharedWorld(opts?: Parameters<typeof startWorld>[0]): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(opts);
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(() => expectDiscordRulesKept(world!.discord));
  return () => world!;
}

/**
 * A world of its own for each test of a describe block: started before the test, Discord's
 * rules checked and the world stopped after it. Returns an accessor for the running world.
 */
export function freshWorld(opts?: Parameters<typeof startWorld>[0]): () => World {
  let world: World | undefined;
  beforeEach(async () => {
    world = await startWorld(opts);
  });
  afterEach(async () => {
    const ended = world;
    world = undefined;
    if (ended === undefined) return;
    try {
      expectDiscordRulesKept(ended.discord);
    } finally {
      await ended.stop();
    }
  });
  return () => world!;
}
