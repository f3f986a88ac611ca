import { AUTH_SCHEMAS, runAuthCommand } from './auth.js';
import { MATCH_ALL, type BusEvent } from './bus.js';
import { compressedSnapshotJson, entitiesEvent } from './compressed.js';
import type { HaConnection } from './connection.js';
import type { HaCore } from './core.js';
import type { JoinedJson } from './json-fragments.js';
import { idList, releaseAtLeast } from './registries.js';
import { validate, type Schema } from './schema.js';
import type { CallServiceMessage, ServiceCalls } from './service-calls.js';
import { describeServices } from './services.js';
import { domainOf } from './state-machine.js';
import type { CommandHandler } from './types.js';

/** HA's SUBSCRIBE_ALLOWLIST (auth/permissions/events.py, 2024.3): what non-admins may hear. */
const NON_ADMIN_EVENTS = new Set([
  'area_registry_updated',
  'component_loaded',
  'core_config_updated',
  'device_registry_updated',
  'entity_registry_updated',
  'lovelace_updated',
  'panels_updated',
  'recorder_5min_statistics_generated',
  'repairs_issue_registry_updated',
  'recorder_hourly_statistics_generated',
  'service_registered',
  'service_removed',
  'shopping_list_updated',
  'state_changed',
  'themes_updated',
]);
/** Added to the allowlist in 2024.4. */
const NON_ADMIN_EVENTS_2024_4 = new Set(['floor_registry_updated', 'label_registry_updated']);

export interface CommandContext {
  core: HaCore;
  calls: ServiceCalls;
  conn: HaConnection;
  id: number;
  msg: Record<string, unknown>;
}

interface Command {
  /** Keys besides `id` and `type`; anything else is rejected, as HA's schemas do. */
  schema: Schema;
  run(ctx: CommandContext): void | Promise<void>;
  /** The HA release that brought the command ("2024.3"); older fakes answer unknown_command. */
  since?: string;
}

const simple = (result: (ctx: CommandContext) => unknown): Command => ({
  schema: { required: {} },
  run: (ctx) => ctx.conn.sendResult(ctx.id, result(ctx)),
});

/** A command answering a large result joined from cached JSON, as HA answers those. */
const simpleJson = (result: (ctx: CommandContext) => JoinedJson): Command => ({
  schema: { required: {} },
  run: (ctx) => ctx.conn.sendResultJoined(ctx.id, result(ctx)),
});

/** `subscribe_entities` filters: entity_ids plus the include/exclude domain and entity lists. */
function entityFilter(msg: Record<string, unknown>): (entityId: string) => boolean {
  const ids = new Set(idList(msg.entity_ids));
  const list = (key: string) => new Set(idList(msg[key]));
  const [inDomains, inEntities] = [list('include_domains'), list('include_entities')];
  const [exDomains, exEntities] = [list('exclude_domains'), list('exclude_entities')];
  const includes = inDomains.size + inEntities.size > 0;
  return (entityId) => {
    if (ids.size > 0 && !ids.has(entityId)) return false;
    if (exEntities.has(entityId) || exDomains.has(domainOf(entityId))) return false;
    return !includes || inEntities.has(entityId) || inDomains.has(domainOf(entityId));
  };
}

const FILTER_KEYS = [
  'include_domains',
  'include_entity_globs',
  'include_entities',
  'exclude_domains',
  'exclude_entity_globs',
  'exclude_entities',
];

function authCommands(): Record<string, Command> {
  return Object.fromEntries(
    Object.entries(AUTH_SCHEMAS).map(([type, schema]): [string, Command] => [
      type,
      {
        schema,
        run: ({ core, conn, id, msg }) => {
          const outcome = runAuthCommand(core.auth, conn, msg);
          if ('error' in outcome) conn.sendError(id, outcome.error);
          else conn.sendResult(id, outcome.result);
        },
      },
    ]),
  );
}

export const COMMANDS: Record<string, Command> = {
  ping: { schema: { required: {} }, run: ({ conn, id }) => conn.send({ id, type: 'pong' }) },
  supported_features: {
    schema: { required: { features: 'dict' } },
    run: ({ conn, id }) => {
      conn.enableCoalescing();
      conn.sendResult(id);
    },
  },
  get_states: simpleJson(({ core }) => core.machine.statesJson()),
  get_config: simple(({ core }) => core.config()),
  get_services: simple(({ core }) => describeServices(core.machine.states)),
  'auth/current_user': simple(({ core }) => core.currentUser()),
  ...authCommands(),
  subscribe_events: {
    schema: { required: {}, optional: { event_type: 'str' } },
    run: ({ core, conn, id, msg }) => {
      const eventType = (msg.event_type as string | undefined) ?? MATCH_ALL;
      const allowed =
        NON_ADMIN_EVENTS.has(eventType) ||
        (NON_ADMIN_EVENTS_2024_4.has(eventType) && releaseAtLeast(core.haVersion, '2024.4'));
      if (!core.isAdmin && !allowed) {
        conn.sendError(id, { code: 'unauthorized', message: 'Unauthorized' });
        return;
      }
      const forward = ({ event }: BusEvent) => conn.sendEvent(id, event);
      conn.subscriptions.set(id, core.bus.listen(eventType, forward));
      conn.sendResult(id);
    },
  },
  unsubscribe_events: {
    schema: { required: { subscription: 'int' } },
    run: ({ conn, id, msg }) => {
      const subscription = msg.subscription as number;
      const unsubscribe = conn.subscriptions.get(subscription);
      if (unsubscribe === undefined) {
        conn.sendError(id, { code: 'not_found', message: 'Subscription not found.' });
        return;
      }
      unsubscribe();
      conn.subscriptions.delete(subscription);
      conn.sendResult(id);
    },
  },
  subscribe_entities: {
    schema: {
      required: {},
      optional: {
        entity_ids: 'entity_ids',
        ...Object.fromEntries(FILTER_KEYS.map((key) => [key, 'entity_ids' as const])),
      },
    },
    run: ({ core, conn, id, msg }) => {
      const wanted = entityFilter(msg);
      // As HA: listen before the snapshot, with no await between, so no change is missed.
      const forward = ({ change }: BusEvent) => {
        if (change !== undefined && wanted(change.entityId)) {
          conn.sendEvent(id, entitiesEvent(change));
        }
      };
      conn.subscriptions.set(id, core.bus.listen('state_changed', forward));
      conn.sendResult(id);
      const snapshot = compressedSnapshotJson(core.machine.all(), wanted);
      conn.sendEventJoined(id, {
        ...snapshot,
        open: `{"a":${snapshot.open}`,
        close: `${snapshot.close}}`,
      });
    },
  },
  fire_event: {
    schema: { required: { event_type: 'str' }, optional: { event_data: 'dict' } },
    run: ({ core, conn, id, msg }) => {
      // @require_admin in HA.
      if (!core.isAdmin) {
        conn.sendError(id, { code: 'unauthorized', message: 'Unauthorized' });
        return;
      }
      const context = core.userContext();
      const data = (msg.event_data as Record<string, unknown> | undefined) ?? {};
      core.fireEvent(msg.event_type as string, data, context);
      conn.sendResult(id, { context });
    },
  },
  call_service: {
    schema: {
      required: { domain: 'str', service: 'str' },
      optional: { target: 'dict', service_data: 'dict', return_response: 'bool' },
    },
    run: async ({ calls, conn, id, msg }) => {
      const outcome = await calls.call(msg as unknown as CallServiceMessage);
      if ('error' in outcome) conn.sendError(id, outcome.error);
      else conn.sendResult(id, outcome.result);
    },
  },
  'history/history_during_period': {
    schema: {
      required: { start_time: 'str', entity_ids: 'entity_ids' },
      optional: {
        end_time: 'str',
        include_start_time_state: 'bool',
        significant_changes_only: 'bool',
        minimal_response: 'bool',
        no_attributes: 'bool',
      },
    },
    run: ({ core, conn, id, msg }) => {
      // Registered by HA's history integration, which needs the recorder.
      if (core.recorder === undefined) {
        conn.sendError(id, { code: 'unknown_command', message: 'Unknown command.' });
        return;
      }
      const result = core.recorder.historyDuringPeriod(msg, idList(msg.entity_ids));
      if (typeof result === 'string')
        conn.sendError(id, { code: 'invalid_start_time', message: result });
      else conn.sendResult(id, result);
    },
  },
  'recorder/statistics_during_period': {
    schema: {
      required: { start_time: 'str', statistic_ids: 'entity_ids', period: 'str' },
      optional: { end_time: 'str', units: 'dict', types: 'any' },
    },
    run: ({ core, conn, id, msg }) => {
      if (core.recorder === undefined) {
        conn.sendError(id, { code: 'unknown_command', message: 'Unknown command.' });
        return;
      }
      const answer = core.recorder.statisticsDuringPeriod(msg, idList(msg.statistic_ids));
      if ('error' in answer) conn.sendError(id, answer.error);
      else conn.sendResult(id, answer.result);
    },
  },
  'logbook/get_events': {
    schema: {
      required: { start_time: 'str' },
      optional: { end_time: 'str', entity_ids: 'any', device_ids: 'any', context_id: 'str' },
    },
    run: ({ core, conn, id, msg }) => {
      // The logbook integration loads with the recorder (default_config:).
      if (core.recorder === undefined) {
        conn.sendError(id, { code: 'unknown_command', message: 'Unknown command.' });
        return;
      }
      const answer = core.recorder.logbookEvents(msg);
      if ('error' in answer) conn.sendError(id, answer.error);
      else conn.sendResult(id, answer.result);
    },
  },
  'config/area_registry/list': simple(({ core }) => core.registries.areaList()),
  'config/device_registry/list': simple(({ core }) => core.registries.deviceList()),
  'config/floor_registry/list': {
    ...simple(({ core }) => core.registries.floorList()),
    since: '2024.3',
  },
  'config/label_registry/list': {
    ...simple(({ core }) => core.registries.labelList()),
    since: '2024.3',
  },
  'config/entity_registry/list': simpleJson(({ core }) => core.registries.entityListJson()),
  'config/entity_registry/list_for_display': simpleJson(({ core }) =>
    core.registries.entityDisplayListJson(),
  ),
  'config/entity_registry/get_entries': {
    schema: { required: { entity_ids: 'entity_ids' } },
    run: ({ core, conn, id, msg }) =>
      conn.sendResultJoined(id, core.registries.entityEntriesJson(idList(msg.entity_ids))),
  },
  'config/entity_registry/get': {
    schema: { required: { entity_id: 'str' } },
    run: ({ core, conn, id, msg }) => {
      const entry = core.registries.entityEntryJson(msg.entity_id as string);
      if (entry === undefined) {
        conn.sendError(id, { code: 'not_found', message: 'Entity not found' });
      } else {
        conn.sendResultJoined(id, entry);
      }
    },
  },
};

/**
 * Runs one command; false when the type is unknown (the connection answers
 * `unknown_command`). Handlers added by tests win over built-in commands.
 */
export function dispatch(
  base: Omit<CommandContext, 'id' | 'msg'>,
  extra: ReadonlyMap<string, CommandHandler>,
  msg: Record<string, unknown>,
): boolean {
  const ctx: CommandContext = { ...base, id: msg.id as number, msg };
  const type = msg.type as string;
  const custom = extra.get(type);
  if (custom !== undefined) {
    void runCustom(ctx, custom);
    return true;
  }
  const command = COMMANDS[type];
  if (command === undefined) return false;
  if (command.since !== undefined && !releaseAtLeast(ctx.core.haVersion, command.since)) {
    return false;
  }
  const schema = {
    required: { id: 'int', type: { literal: type }, ...command.schema.required },
    optional: command.schema.optional,
  } satisfies Schema;
  const problem = validate(schema, msg);
  if (problem !== undefined) {
    ctx.conn.sendError(ctx.id, { code: 'invalid_format', message: problem });
    return true;
  }
  const fail = (error: unknown) => ctx.conn.sendError(ctx.id, unknownError(error));
  try {
    // Synchronous handlers run at once, as HA's @callback handlers do.
    void command.run(ctx)?.catch(fail);
  } catch (error) {
    fail(error);
  }
  return true;
}

async function runCustom(ctx: CommandContext, handler: CommandHandler): Promise<void> {
  try {
    const outcome = await handler(ctx.msg);
    if (outcome.error !== undefined) ctx.conn.sendError(ctx.id, outcome.error);
    else ctx.conn.sendResult(ctx.id, outcome.result ?? null);
  } catch (error) {
    ctx.conn.sendError(ctx.id, unknownError(error));
  }
}

const unknownError = (error: unknown) => ({
  code: 'unknown_error',
  message: error instanceof Error && error.message !== '' ? error.message : 'Unknown error',
});
