import type { EntityState } from '../ha/types.js';
import type { Compiled, Track } from './compiled-rule.js';
import type { Rule } from './rule-schema.js';
import { valueOf } from './rule-values.js';
import type { MissedWhile } from './types.js';

/**
 * What the rule engine is given and what it gives back: a change of one entity's state
 * (Observation), and an alert it is worth (Firing), made by `fire` once the rule's cooldown
 * allows it. Split out of rule-engine.ts; pure like it.
 */

export interface Observation {
  entityId: string;
  oldState: EntityState | undefined;
  newState: EntityState;
  /** Found by comparing states after the bot was disconnected or HA restarted. */
  missed?: boolean;
  /** Why it was missed (with `missed`). */
  missedWhile?: MissedWhile;
  /**
   * The entity changed while the bot could not see it (with `missed`): an equal value before
   * and after is then a change and back, not "no change".
   */
  changedBetween?: boolean;
  /** A change and back's values in between, when known. */
  via?: readonly string[];
}

export interface Firing {
  rule: Rule;
  entityId: string;
  from: string;
  to: string;
  /** Epoch ms when the rule fired. */
  at: number;
  state: EntityState;
  missed: boolean;
  missedWhile: MissedWhile | undefined;
  /** The value is back where it was, but it changed (and back) while the bot was away. */
  changedAndBack: boolean;
  via: readonly string[] | undefined;
}

/** How a firing was seen: live, or found across a gap. */
export type How = Pick<Firing, 'missed' | 'missedWhile' | 'changedAndBack' | 'via'>;

export const LIVE: How = {
  missed: false,
  missedWhile: undefined,
  changedAndBack: false,
  via: undefined,
};

/**
 * The firing of rule `c` for the entity, or undefined inside its cooldown (kept in `track`,
 * the rule's track for the entity; a rule without a cooldown has none to keep).
 */
export function fire(
  c: Compiled,
  track: Track | undefined,
  entityId: string,
  from: string,
  state: EntityState,
  now: number,
  how: How,
): Firing | undefined {
  if (track !== undefined && c.cooldown > 0) {
    // A clock set back (now before the last firing) ends the cooldown: one alert too many
    // rather than a rule silent for as long as the clock stepped back.
    // Subtracted even before the first firing (no cooldown to wait then: -Infinity), so the
    // code optimized on first firings is not undone by the first repeat.
    const since = now - (track.lastFired ?? -Infinity);
    if (since >= 0 && since < c.cooldown) return undefined;
    track.lastFired = now;
  }
  // Every field written at once (no spread of `how`): one object of one shape per firing.
  return {
    rule: c.rule,
    entityId,
    from,
    to: (c.attribute === undefined ? state.state : valueOf(c, state)) ?? state.state,
    at: now,
    state,
    missed: how.missed,
    missedWhile: how.missedWhile,
    changedAndBack: how.changedAndBack,
    via: how.via,
  };
}
