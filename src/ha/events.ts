import type { Logger } from '../logging/logger.js';
import { subscribeOn, type Collection } from './collection.js';
import type { HaConnection, Link } from './connection.js';
import { toHaError } from './errors.js';
import type { RawEvent } from './handover.js';
import type { HaEvent } from './types.js';

export type EventListener = (event: HaEvent) => void;

// HA fires this when it begins to stop or restart: what follows is a restart, not a blip.
export const STOP_EVENT = 'homeassistant_stop';

/**
 * HA fires this as it starts and again the moment it is RUNNING (and when its config is
 * edited); any user may hear it. Heard first on every connection, so the end of HA's start-up
 * is noticed at once, in order with the state changes around it.
 */
export const CORE_CONFIG_EVENT = 'core_config_updated';

/**
 * HA's event bus, one subscription per event type anyone listens for, made afresh on every
 * (re)connect; events fired while the bot is disconnected are not replayed by HA.
 */
export class EventCollection implements Collection {
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly refused = new Set<string>();

  constructor(
    private readonly connection: Pick<HaConnection, 'current' | 'generation' | 'hears'>,
    private readonly log: Logger,
  ) {}

  /** Listens for one type of HA event. A listener that throws is logged, nothing more. */
  on(eventType: string, listener: EventListener): () => void {
    let set = this.listeners.get(eventType);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(eventType, set);
      const conn = this.connection.current;
      if (conn !== undefined) {
        const link = { conn, generation: this.connection.generation, handover: false };
        this.subscribe(link, eventType).catch((error: unknown) =>
          this.log.warn(
            { eventType, err: toHaError(error).message },
            'could not subscribe to a Home Assistant event; retried on the next reconnect',
          ),
        );
      }
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Every event type listened for but `except` (subscribed earlier in the setup). Includes
   * HA's stop event. HA lets only administrators subscribe to it; without it a restart is
   * still recognised by HA's start-up state and the snapshot on reconnect.
   */
  async sync(link: Link, except?: string): Promise<void> {
    for (const eventType of this.listeners.keys()) {
      if (eventType !== except) await this.subscribe(link, eventType);
    }
  }

  /** Releases every listener (the bot is stopping). */
  clear(): void {
    this.listeners.clear();
  }

  /**
   * HA lets only administrators subscribe to events outside its small allowlist: with a
   * non-admin token the listener stays quiet and the log says why, once, instead of
   * breaking the connection.
   */
  async subscribe(link: Link, eventType: string): Promise<void> {
    try {
      await subscribeOn<RawEvent>(
        link,
        { type: 'subscribe_events', event_type: eventType },
        (raw) => {
          if (this.connection.hears(link.generation, raw)) this.dispatch(eventType, raw);
        },
      );
      this.refused.delete(eventType);
    } catch (error) {
      const haError = toHaError(error);
      if (haError.code !== 'unauthorized') throw haError;
      if (this.refused.has(eventType)) return;
      this.refused.add(eventType);
      if (eventType === STOP_EVENT) {
        this.log.info(
          "Home Assistant lets only administrators hear its stop event; the bot tells restarts by HA's start-up state instead",
        );
        return;
      }
      this.log.warn(
        { eventType },
        `Home Assistant refused to send ${eventType} events to the bot: only administrators may subscribe to them. Use a token of an administrator, or leave the feature unused.`,
      );
    }
  }

  private dispatch(eventType: string, raw: RawEvent): void {
    const time = Date.parse(raw.time_fired ?? '');
    const event: HaEvent = {
      eventType: raw.event_type ?? eventType,
      data: raw.data !== null && typeof raw.data === 'object' ? raw.data : {},
      timeFired: Number.isFinite(time) ? time / 1000 : Date.now() / 1000,
      contextId: raw.context?.id ?? '',
      userId: raw.context?.user_id ?? null,
    };
    for (const listener of this.listeners.get(eventType) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ eventType, err: error }, 'Home Assistant event listener failed');
      }
    }
  }
}
