/**
 * The README picture's story, told by the bot's own code: a small home (a kitchen with two
 * lights and a thermometer, a front door), Alice's `/ha toggle kitchen` and
 * `/ha state kitchen temperature` run through the real subcommands, and a door opening run
 * through the real alert rules and outbox composer. Only Discord and Home Assistant are
 * stand-ins: the command's reply is rendered as the bot would send it, and a service call
 * flips the entity in the bot's real entity store as HA's state stream would.
 */
import pino from 'pino';
import { AlertService } from '../../src/alerts/alert-service.js';
import { RuleSchema } from '../../src/alerts/rule-schema.js';
import type { Alert } from '../../src/alerts/types.js';
import { subcommands } from '../../src/commands/registry.js';
import type { Reply } from '../../src/commands/reply.js';
import { runCommand } from '../../src/commands/runner.js';
import type { Caller, CommandContext, HomeAssistantPort } from '../../src/commands/types.js';
import type { AccessControl } from '../../src/discord/access.js';
import { renderAlerts } from '../../src/discord/alert-format.js';
import { renderMessage } from '../../src/discord/interactions/render.js';
import { EntityCatalog } from '../../src/entities/catalog.js';
import { EntityStore } from '../../src/ha/entity-store.js';
import { Registry } from '../../src/ha/registry.js';
import type { HaStatus } from '../../src/ha/types.js';
import type { MuteStore } from '../../src/storage/mutes.js';
import type { WatchStore } from '../../src/storage/watches.js';
import type { Author, Chat, MessageBody } from './render.js';

/** The picture's "now": Saturday 14 March 2026, 18:42 UTC. Every time in it is relative to this. */
export const NOW = Date.UTC(2026, 2, 14, 18, 42) / 1000;
const MINUTE = 60;

const GUILD_ID = '112233445566778899';
const HOME_CHANNEL_ID = '223344556677889900';
const ALERTS_CHANNEL_ID = '334455667788990011';

const BOT: Author = { name: 'HA Bridge', avatar: 'bot', bot: true };
const ALICE: Author = { name: 'Alice', avatar: { color: '#eb459e', letter: 'A' } };
const ALICE_CALLER: Caller = {
  userId: '445566778899001122',
  userName: 'alice',
  guildId: GUILD_ID,
  channelId: HOME_CHANNEL_ID,
  roleIds: [],
  roleNames: [],
  isManager: false,
};

/** The alert rule from bridge.example.yaml: a door opening, as a warning. */
const DOOR_RULE = {
  name: 'doors',
  device_classes: ['door'],
  to: 'on',
  severity: 'warning',
  template: '{name} opened ({area})',
};

interface SampleEntity {
  id: string;
  name: string;
  area: string;
  state: string;
  attributes?: Record<string, unknown>;
  changed: number;
}

const AREAS = [
  { area_id: 'kitchen', name: 'Kitchen' },
  { area_id: 'hallway', name: 'Hallway' },
];

const ENTITIES: SampleEntity[] = [
  { id: 'light.kitchen', name: 'Kitchen Light', area: 'kitchen', state: 'off', changed: 95 },
  {
    id: 'light.kitchen_counter',
    name: 'Kitchen Counter Light',
    area: 'kitchen',
    state: 'off',
    changed: 95,
  },
  {
    id: 'sensor.kitchen_temp',
    name: 'Kitchen Temperature',
    area: 'kitchen',
    state: '21.5',
    attributes: {
      unit_of_measurement: '°C',
      device_class: 'temperature',
      state_class: 'measurement',
    },
    changed: 14,
  },
  {
    id: 'binary_sensor.front_door',
    name: 'Front Door',
    area: 'hallway',
    state: 'off',
    attributes: { device_class: 'door' },
    changed: 48,
  },
];

/** The bot's store, registry and catalog, filled the way HA's messages fill them. */
function sampleHome() {
  const store = new EntityStore();
  store.apply({
    a: Object.fromEntries(
      ENTITIES.map((e) => [
        e.id,
        {
          s: e.state,
          a: { friendly_name: e.name, ...e.attributes },
          c: `ctx-${e.id}`,
          lc: NOW - e.changed * MINUTE,
          lu: NOW - e.changed * MINUTE,
        },
      ]),
    ),
  });
  const registry = new Registry();
  registry.setAreas(AREAS);
  registry.setDevices([]);
  registry.setEntities({ entities: ENTITIES.map((e) => ({ ei: e.id, ai: e.area })) });
  return { store, registry, catalog: new EntityCatalog(store, registry) };
}

const CONNECTED: HaStatus = {
  kind: 'connected',
  haVersion: '2025.4.4',
  coreState: 'RUNNING',
  restarted: false,
};

/** Any part of the context the picture's commands should not need: using it fails loudly. */
function unused<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      throw new Error(`the README picture does not set up ${what} (asked for ${String(key)})`);
    },
  });
}

const ALLOW_ALL: AccessControl = {
  serves: () => true,
  check: () => ({ allowed: true }),
  filter: () => () => true,
  confirmation: () => undefined,
};

/**
 * Home Assistant as far as the commands see it: toggling flips on/off in the store, with the
 * call's context id, as HA's `subscribe_entities` stream reports a change the call caused.
 */
function fakeHa(store: EntityStore, clock: { now: number }): HomeAssistantPort {
  let calls = 0;
  return {
    status: CONNECTED,
    callService(domain, service, _data, target) {
      if (service !== 'toggle')
        return Promise.reject(new Error(`the picture only toggles (asked ${domain}.${service})`));
      const contextId = `picture-call-${++calls}`;
      const ids = target?.entity_id;
      for (const id of typeof ids === 'string' ? [ids] : (ids ?? [])) {
        const s = store.get(id)?.state === 'on' ? 'off' : 'on';
        store.apply({ c: { [id]: { '+': { s, c: contextId, lc: clock.now, lu: clock.now } } } });
      }
      return Promise.resolve({ contextId });
    },
    fireEvent: () => Promise.reject(new Error('the picture fires no events')),
    converse: () => Promise.reject(new Error('the picture asks Assist nothing')),
  };
}

/** The message a command's reply puts in the channel (after its slow work, if any). */
async function sent(reply: Reply): Promise<MessageBody> {
  const done = reply.kind === 'slow' ? await reply.run() : reply;
  if (done.kind !== 'show') throw new Error(`the command answered "${done.kind}", not a message`);
  return renderMessage(done.message);
}

/** Runs `/ha <name>` with these options at `at` and returns the message it replied with. */
async function run(
  name: string,
  options: Record<string, string>,
  ctx: CommandContext,
  clock: { now: number },
  at: number,
): Promise<MessageBody> {
  const command = subcommands.find((s) => s.name === name && s.group === undefined);
  if (command === undefined) throw new Error(`no /ha ${name} subcommand`);
  clock.now = at;
  return sent(await runCommand(command, { caller: ALICE_CALLER, options, via: 'command' }, ctx));
}

/** The door opens: the real rules judge the change and the outbox composer builds the message. */
function doorAlert(home: ReturnType<typeof sampleHome>, at: number): MessageBody {
  const log = pino({ level: 'silent' });
  const alerts: Alert[] = [];
  const service = new AlertService({
    store: home.store,
    catalog: home.catalog,
    configuredRules: [RuleSchema.parse(DOOR_RULE)],
    watches: { list: () => [] } as unknown as WatchStore,
    mutes: { list: () => [] } as unknown as MuteStore,
    defaultChannelId: ALERTS_CHANNEL_ID,
    enqueue: (_channel, entry) => {
      if (entry.kind === 'alert') alerts.push(entry.payload);
    },
    log,
  });
  service.onHaStatus(CONNECTED);
  home.store.apply({
    c: { 'binary_sensor.front_door': { '+': { s: 'on', c: 'ctx-door', lc: at, lu: at } } },
  });
  service.stop();
  if (alerts.length !== 1) throw new Error(`the door made ${alerts.length} alerts, not 1`);
  const { body } = renderAlerts([
    {
      id: 1,
      channelId: ALERTS_CHANNEL_ID,
      kind: 'alert',
      payload: alerts[0]!,
      statusKey: null,
      createdAt: at * 1000,
      batch: null,
      attempts: 0,
    },
  ]).request();
  // The alert's message as the outbox sends it: a message about one entity gets its Mute button.
  const message = body as MessageBody;
  return { embeds: message.embeds, components: message.components ?? [] };
}

/** The picture's conversation, every message as the bot builds it. */
export async function buildScene(): Promise<Chat> {
  const home = sampleHome();
  const clock = { now: NOW };
  const ctx: CommandContext = {
    ha: fakeHa(home.store, clock),
    history: unused('history charts'),
    images: unused('camera images'),
    catalog: home.catalog,
    store: home.store,
    log: pino({ level: 'silent' }),
    stateWaitMs: 2000,
    alerts: unused('alert controls'),
    access: ALLOW_ALL,
    confirmations: unused('confirmations'),
    audit: { record: () => undefined },
    services: unused("HA's service list"),
    conversations: unused('Assist conversations'),
    ownEvents: [],
    reloadConfig: () => {
      throw new Error('the picture reloads nothing');
    },
    runtime: unused('the runtime status'),
  };
  const toggledAt = NOW - 6 * MINUTE;
  const askedAt = NOW - 5 * MINUTE;
  const doorAt = NOW - 2 * MINUTE;
  const toggle = await run('toggle', { target: 'kitchen' }, ctx, clock, toggledAt);
  const state = await run('state', { entity: 'kitchen temperature' }, ctx, clock, askedAt);
  const alert = doorAlert(home, doorAt);
  return {
    now: NOW,
    channels: [
      {
        name: 'home',
        messages: [
          {
            author: BOT,
            at: toggledAt,
            command: { user: ALICE, text: '/ha toggle kitchen' },
            body: toggle,
          },
          {
            author: BOT,
            at: askedAt,
            command: { user: ALICE, text: '/ha state kitchen temperature' },
            body: state,
          },
        ],
      },
      { name: 'alerts', messages: [{ author: BOT, at: doorAt, body: alert }] },
    ],
  };
}
