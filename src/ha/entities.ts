import type { Collection } from './collection.js';
import { subscribeOn, type Timers } from './collection.js';
import type { HaConnection, Link } from './connection.js';
import type { EntitiesMessage } from './compressed-state.js';
import type { EntityStore } from './entity-store.js';
import { HaError, toHaError } from './errors.js';

/**
 * HA's entity states (`subscribe_entities`): its first message is a full snapshot, compared
 * with the store's copy, the rest are changes. A snapshot that does not come in time fails the
 * setup, so the bot reconnects rather than running blind.
 */
export class EntityCollection implements Collection {
  constructor(
    private readonly store: EntityStore,
    private readonly connection: Pick<HaConnection, 'generation'>,
    private readonly timers: Timers,
    private readonly snapshotTimeoutMs = 20_000,
  ) {}

  async sync(link: Link): Promise<void> {
    // After a token switch the old connection was live until now: what the new snapshot
    // shows differently happened meanwhile, and is judged as live changes.
    if (link.handover) this.store.expectResync();
    else this.store.expectSnapshot();
    let snapshotSeen = false;
    await new Promise<void>((resolve, reject) => {
      const timer = this.timers.later(() => {
        if (!snapshotSeen) reject(new HaError('timeout', 'no entity snapshot from Home Assistant'));
      }, this.snapshotTimeoutMs);
      subscribeOn<EntitiesMessage>(link, { type: 'subscribe_entities' }, (message) => {
        if (link.generation !== this.connection.generation) return;
        this.store.apply(message);
        if (!snapshotSeen) {
          snapshotSeen = true;
          clearTimeout(timer);
          resolve();
        }
      }).catch((error: unknown) => reject(toHaError(error)));
    });
  }
}
