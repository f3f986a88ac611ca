import type { Logger } from '../logging/logger.js';
import type { MessageBase } from 'home-assistant-js-websocket';
import { toHaError } from './errors.js';
import type {
  RawArea,
  RawDevice,
  RawDisplayList,
  RawExposedList,
  RawFloor,
  RawLabel,
  Registry,
} from './registry.js';

interface Commander {
  command<T>(message: MessageBase, timeoutMs?: number): Promise<T>;
}

const ALIAS_BATCH = 500;
/**
 * `get_entries` batches asked at once: HA answers one while the bot reads the last, rather
 * than each side waiting for the other (200 batches at 100,000 entities). A few: HA answers
 * a connection's commands one by one anyway, and each answer holds 500 entries.
 */
const ALIAS_BATCHES_IN_FLIGHT = 4;

/** HA's own name for its voice assistant in the expose settings. */
const ASSIST = 'conversation';

/**
 * Reloads areas, floors, labels, devices and entity registry entries (with their aliases)
 * from HA, and, when `exposure` is set, which entities HA exposes to its voice assistant.
 */
export async function refreshRegistry(
  ha: Commander,
  registry: Registry,
  log: Logger,
  exposure = false,
): Promise<void> {
  const [areas, floors, labels, devices, entities, exposed] = await Promise.all([
    ha.command<RawArea[]>({ type: 'config/area_registry/list' }),
    optionalList<RawFloor>(ha, 'config/floor_registry/list', log),
    optionalList<RawLabel>(ha, 'config/label_registry/list', log),
    ha.command<RawDevice[]>({ type: 'config/device_registry/list' }),
    ha.command<RawDisplayList>({ type: 'config/entity_registry/list_for_display' }),
    exposure ? loadExposed(ha, log) : undefined,
  ]);
  const aliases = await loadAliases(
    ha,
    entities.entities.map((e) => e.ei),
    log,
  );
  registry.setAreas(areas);
  registry.setFloors(floors);
  registry.setLabels(labels);
  registry.setDevices(devices);
  registry.setEntities(entities, aliases);
  if (exposure) registry.setExposed(exposed);
  log.debug(
    {
      areas: areas.length,
      floors: floors.length,
      labels: labels.length,
      devices: devices.length,
      entities: entities.entities.length,
    },
    'registries loaded',
  );
}

/**
 * A registry HA has only since 2024.3 (floors, labels): an older HA answers `unknown_command`,
 * which means "none" and is no news to anyone.
 */
async function optionalList<T>(ha: Commander, type: string, log: Logger): Promise<T[]> {
  try {
    return await ha.command<T[]>({ type });
  } catch (error) {
    const haError = toHaError(error);
    if (haError.code !== 'unknown_command') throw haError;
    log.debug({ type }, 'Home Assistant has no such registry (it came in 2024.3): none');
    return [];
  }
}

/** Aliases are only in the full entries (`get_entries`); without them, names still work. */
async function loadAliases(
  ha: Commander,
  entityIds: string[],
  log: Logger,
): Promise<Map<string, string[]>> {
  const aliases = new Map<string, string[]>();
  let next = 0;
  let failed = false;
  // Each worker asks for the next batch until none is left; the first failure ends them all
  // (and a batch answered after it is not taken: the aliases are returned by then).
  const worker = async () => {
    while (next < entityIds.length && !failed) {
      const batch = entityIds.slice(next, next + ALIAS_BATCH);
      next += ALIAS_BATCH;
      let entries: Record<string, { aliases?: string[] } | null>;
      try {
        entries = await ha.command({
          type: 'config/entity_registry/get_entries',
          entity_ids: batch,
        });
      } catch (error) {
        failed = true;
        throw error;
      }
      if (failed) return;
      // for...in, not entries(): no (id, entry) pair per entity (100,000 at start-up).
      for (const entityId in entries) {
        if (!Object.hasOwn(entries, entityId)) continue;
        const entry = entries[entityId];
        if (entry?.aliases && entry.aliases.length > 0) aliases.set(entityId, entry.aliases);
      }
    }
  };
  try {
    const workers = Math.min(ALIAS_BATCHES_IN_FLIGHT, Math.ceil(entityIds.length / ALIAS_BATCH));
    await Promise.all(Array.from({ length: workers }, worker));
  } catch (error) {
    log.debug({ err: (error as Error).message }, 'entity aliases unavailable');
  }
  return aliases;
}

/** The entities exposed to Assist; undefined (so nothing is usable) when HA will not say. */
export async function loadExposed(ha: Commander, log: Logger): Promise<Set<string> | undefined> {
  try {
    const list = await ha.command<RawExposedList>({ type: 'homeassistant/expose_entity/list' });
    return new Set(
      Object.entries(list.exposed_entities)
        .filter(([, assistants]) => assistants[ASSIST] === true)
        .map(([entityId]) => entityId),
    );
  } catch (error) {
    log.error(
      { err: (error as Error).message },
      "access.exposed_only is set but Home Assistant would not list exposed entities (the bot's HA user must be an administrator): no entity is usable until it can",
    );
    return undefined;
  }
}
