import { HaCore } from './core.js';
import type { FakeState } from './types.js';

/** Attributes HA's `write_unavailable_state` keeps on an entity that is not loaded yet. */
const RESTORED_KEYS = ['friendly_name', 'device_class', 'icon', 'unit_of_measurement'];

/**
 * HA start-up as clients see it: the API is up while the core is NOT_RUNNING and entities
 * are 'unavailable' placeholders (`restored: true`); then the real states come back and
 * `homeassistant_started` fires.
 */
export class StartupSimulation {
  private saved: Map<string, FakeState> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly core: HaCore) {}

  begin(): void {
    const { machine } = this.core;
    // A restart during start-up must not take the placeholders for the real states.
    this.saved ??= new Map(machine.states);
    this.core.coreState = 'NOT_RUNNING';
    for (const [entityId, state] of this.saved) {
      const kept = RESTORED_KEYS.filter((key) => key in state.attributes);
      const attributes = Object.fromEntries(kept.map((key) => [key, state.attributes[key]]));
      machine.set(entityId, 'unavailable', { restored: true, ...attributes }, HaCore.context());
    }
  }

  finishAfter(ms: number): void {
    this.timer = setTimeout(() => this.finish(), ms);
  }

  /** Stops the clock (the server went down); the saved states wait for the next begin(). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private finish(): void {
    const saved = this.saved ?? new Map<string, FakeState>();
    this.saved = undefined;
    this.timer = undefined;
    this.core.coreState = 'STARTING';
    this.core.fireEvent('homeassistant_start', {});
    for (const [entityId, state] of saved) {
      const current = this.core.machine.states.get(entityId);
      // Entities a test changed meanwhile keep their new state.
      if (current?.state !== 'unavailable' || current.attributes.restored !== true) continue;
      this.core.machine.set(entityId, state.state, state.attributes, HaCore.context());
    }
    this.core.coreState = 'RUNNING';
    this.core.fireEvent('homeassistant_started', {});
  }
}
