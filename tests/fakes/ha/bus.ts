import type { FakeContext } from './types.js';
import type { StateChange } from './state-machine.js';

/** HA's `Event.as_dict()`: what subscribe_events subscribers receive. */
export interface HaEvent {
  event_type: string;
  data: Record<string, unknown>;
  origin: 'LOCAL' | 'REMOTE';
  time_fired: string;
  context: FakeContext;
}

/** An event on the bus; state_changed events also carry the change for subscribe_entities. */
export interface BusEvent {
  event: HaEvent;
  change?: StateChange;
}

export type BusListener = (busEvent: BusEvent) => void;

export const MATCH_ALL = '*';

/** HA's event bus: listeners for one type run before match-all listeners, in order. */
export class EventBus {
  private readonly listeners = new Map<string, Set<BusListener>>();

  listen(eventType: string, listener: BusListener): () => void {
    let set = this.listeners.get(eventType);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(eventType, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  fire(busEvent: BusEvent): void {
    const type = busEvent.event.event_type;
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(busEvent);
    for (const listener of [...(this.listeners.get(MATCH_ALL) ?? [])]) listener(busEvent);
  }

  clear(): void {
    this.listeners.clear();
  }
}
