import type { MessageBase } from 'home-assistant-js-websocket';
import type { Logger } from '../logging/logger.js';
import { subscribeOn, type Collection, type Timers } from './collection.js';
import type { HaConnection, Link } from './connection.js';
import { toHaError } from './errors.js';
import { loadExposed, refreshRegistry } from './registry-sync.js';
import type { Registry } from './registry.js';

const REGISTRY_EVENTS = [
  'area_registry_updated',
  'device_registry_updated',
  'entity_registry_updated',
];
/**
 * Floors and labels (HA 2024.3+). HA lets non-administrators hear these only from 2024.4 on
 * (its SUBSCRIBE_ALLOWLIST); before that, when HA refuses, renames of floors and labels wait for
 * the next other registry change or reconnect.
 */
const OPTIONAL_REGISTRY_EVENTS = ['floor_registry_updated', 'label_registry_updated'];

export interface RegistryCollectionOptions {
  registry: Registry;
  connection: Pick<HaConnection, 'hears'>;
  command: <T>(message: MessageBase) => Promise<T>;
  timers: Timers;
  log: Logger;
  /** Load which entities HA exposes to Assist (for `access.exposed_only`). */
  loadExposure?: boolean;
}

/**
 * HA's areas, floors, labels, devices, entity registry entries and, with `access.exposed_only`,
 * which entities it exposes to Assist: fetched on every connection, and again (half a second
 * after the first of a burst) whenever HA says a registry changed.
 */
export class RegistryCollection implements Collection {
  private loadExposure: boolean;

  constructor(private readonly opts: RegistryCollectionOptions) {
    this.loadExposure = opts.loadExposure ?? false;
  }

  async sync(link: Link): Promise<void> {
    await this.fetch();
    for (const eventType of [...REGISTRY_EVENTS, ...OPTIONAL_REGISTRY_EVENTS]) {
      try {
        await subscribeOn(link, { type: 'subscribe_events', event_type: eventType }, () => {
          if (this.opts.connection.hears(link.generation))
            this.opts.timers.debounce('registry', () => void this.refresh(), 500);
        });
      } catch (error) {
        const haError = toHaError(error);
        if (!OPTIONAL_REGISTRY_EVENTS.includes(eventType) || haError.code !== 'unauthorized')
          throw haError;
        this.opts.log.debug(
          { eventType },
          'Home Assistant sends this event to administrators only',
        );
      }
    }
  }

  async refresh(): Promise<void> {
    try {
      await this.fetch();
    } catch (error) {
      this.opts.log.warn({ err: toHaError(error).message }, 'could not refresh HA registries');
    }
  }

  /** A config reload turned `access.exposed_only` on or off: load (or drop) the list now. */
  setLoadExposure(load: boolean): void {
    this.loadExposure = load;
    if (!load) {
      this.opts.registry.setExposed(undefined);
      return;
    }
    // Only the exposure list: areas, devices and entities have not changed. (loadExposed
    // never throws; it logs and leaves nothing usable when HA will not say.)
    void loadExposed(this.opts, this.opts.log).then((exposed) => {
      if (this.loadExposure) this.opts.registry.setExposed(exposed);
    });
  }

  private fetch(): Promise<void> {
    return refreshRegistry(this.opts, this.opts.registry, this.opts.log, this.loadExposure);
  }
}
