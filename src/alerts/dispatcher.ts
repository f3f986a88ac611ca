import { randomBytes } from 'node:crypto';
import type { EntityCatalog } from '../entities/catalog.js';
import type { EntityStore } from '../ha/entity-store.js';
import type { StateChange } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import type { AlertSink } from './types.js';
import { compileWatchList, isAlertWorthy } from './watch.js';

export interface AlertDispatcherOptions {
  store: Pick<EntityStore, 'onChange'>;
  catalog: Pick<EntityCatalog, 'get'>;
  watch: readonly string[];
  isHaRunning: () => boolean;
  sink: AlertSink;
  log: Logger;
}

/** Discord nonces are at most 25 characters. */
export const newAlertId = (): string => randomBytes(12).toString('base64url');

/**
 * Turns live state changes of watched entities into alerts. The matching is the seam the
 * rule engine replaces: today a watch list of ids and globs.
 */
export function startAlertDispatcher(opts: AlertDispatcherOptions): () => void {
  const watched = compileWatchList(opts.watch);
  const onChange = (change: StateChange): void => {
    if (!watched(change.entityId) || !isAlertWorthy(change, opts.isHaRunning())) return;
    const entry = opts.catalog.get(change.entityId);
    const unit = change.newState!.attributes.unit_of_measurement;
    opts.sink.enqueue({
      id: newAlertId(),
      entityId: change.entityId,
      name: entry?.name ?? change.entityId,
      areaName: entry?.areaName,
      from: change.oldState!.state,
      to: change.newState!.state,
      unit: typeof unit === 'string' ? unit : undefined,
      at: change.newState!.lastChanged,
    });
    opts.log.debug({ entityId: change.entityId, to: change.newState!.state }, 'alert queued');
  };
  return opts.store.onChange(onChange);
}
