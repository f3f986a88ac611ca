import { HaCore } from './core.js';
import type { FakeState } from './types.js';

/** Attributes HA's `write_unavailable_state` keeps on an entity that is not loaded yet. */
const RESTORED_KEYS = ['friendly_name', 'device_class', 'icon', 'unit_of_measurement'];

/**
 * HA start-up as clients see it: the API is up while the core is NOT_RUNNING; every entity is
 * written anew, so each gets a new `last_changed` (as in HA, which restores states into a fresh
 * state machine): an 'unavailable' placeholder (`restored: true`) until its integration is set
 * up, or a stale value restored from an old save (after a crash). Then the real states come
 * back, and HA is RUNNING. `core_config_updated` is fired as HA starts and as it runs, as HA's
 * core does (and `homeassistant_start`/`homeassistant_started`).
 */
export class StartupSimulation {
  private saved: Map<string, FakeState> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly core: HaCore) {}

  /** `stale`: entities restored with this (old) state rather than a placeholder. */
  begin(stale: Readonly<Record<string, string>> = {}): void {
    const { machine } = this.core;
    // A restart during start-up must not take the placeholders for the real states.
    this.saved ??= new Map(machine.states);
    this.core.coreState = 'NOT_RUNNING';
    for (const [entityId, state] of this.saved) {
      const kept = RESTORED_KEYS.filter((key) => key in state.attributes);
      const attributes = Object.fromEntries(kept.map((key) => [key, state.attributes[key]]));
      machine.set(entityId, 'unavailable', { restored: true, ...attributes }, HaCore.context());
      const restored = stale[entityId];
      if (restored !== undefined)
        machine.set(entityId, restored, state.attributes, HaCore.context());
    }
  }

  /** `onRunning` runs right after HA is RUNNING and has said so (a change "right at RUNNING"). */
  finishAfter(ms: number, onRunning?: () => void): void {
    this.timer = setTimeout(() => this.finish(onRunning), ms);
  }

  /** Stops the clock (the server went down); the saved states wait for the next begin(). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  finish(onRunning?: () => void): void {
    const saved = this.saved ?? new Map<string, FakeState>();
    this.saved = undefined;
    this.timer = undefined;
    this.core.coreState = 'STARTING';
    this.core.fireEvent('core_config_updated', {});
    this.core.fireEvent('homeassistant_start', {});
    for (const [entityId, state] of saved) {
      const current = this.core.machine.states.get(entityId);
      // Entities a test changed meanwhile, and stale restores, keep their state.
      if (current?.state !== 'unavailable' || current.attributes.restored !== true) continue;
      this.core.machine.set(entityId, state.state, state.attributes, HaCore.context());
    }
    this.core.coreState = 'RUNNING';
    this.core.fireEvent('core_config_updated', {});
    onRunning?.();
    this.core.fireEvent('homeassistant_started', {});
  }
}
