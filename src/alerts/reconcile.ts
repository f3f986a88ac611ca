import type { EntityState } from '../ha/types.js';

/**
 * Reconciling what the bot knew before a gap (HA away, HA restarting, the bot not running)
 * with what HA says after it. Pure: the pipeline feeds it states and what it saw meanwhile.
 *
 * HA keeps only each entity's latest state and `last_changed`. A different state is a change.
 * An equal state with a newer `last_changed` changed and came back, unless HA restarted in the
 * gap: a restart gives every entity a new `last_changed` (restored states are written anew),
 * so then only what the bot saw during HA's start-up, or HA's recorded history, can tell.
 */

/** The states HA writes while an entity is not there yet (start-up placeholders) or lost. */
const PLACEHOLDERS = new Set(['unavailable', 'unknown']);

export const isPlaceholder = (state: string): boolean => PLACEHOLDERS.has(state);

/** How many values in between a change and back keeps (the latest ones). */
export const MAX_VIA = 5;

/** What the bot saw of one entity while alerts were held (HA away or starting). */
export interface Observed {
  /** A real value changed into another real value (placeholders do not count). */
  changed: boolean;
  /** The real values it took, in order, consecutive repeats dropped (the latest MAX_VIA + 2). */
  values: string[];
  /** `last_changed` of the last state seen. */
  lastChanged: number;
}

/** Notes one change seen while alerts were held. */
export function observe(
  previous: Observed | undefined,
  oldState: EntityState | undefined,
  newState: EntityState,
): Observed {
  const seen = previous ?? { changed: false, values: [], lastChanged: newState.lastChanged };
  const before = oldState?.state;
  const after = newState.state;
  if (before !== undefined && before !== after && !isPlaceholder(before) && !isPlaceholder(after))
    seen.changed = true;
  // The value it changed from counts too: it may be one the bot never saw arrive (a stale
  // state HA restored before the bot connected).
  if (before !== undefined) note(seen.values, before);
  note(seen.values, after);
  seen.lastChanged = newState.lastChanged;
  return seen;
}

function note(values: string[], value: string): void {
  if (isPlaceholder(value) || values.at(-1) === value) return;
  values.push(value);
  if (values.length > MAX_VIA + 2) values.shift();
}

/** The values between `before` and `after` in a sequence of values (bounded, latest kept). */
export function between(before: string, values: readonly string[], after: string): string[] {
  const chain: string[] = [];
  for (const v of values) if (!isPlaceholder(v) && chain.at(-1) !== v) chain.push(v);
  if (chain[0] === before) chain.shift();
  if (chain.at(-1) === after) chain.pop();
  return chain.slice(-MAX_VIA);
}

/** An entity to run through the rules as a change found across the gap. */
export interface Finding {
  entityId: string;
  before: EntityState;
  after: EntityState;
  /** The state is equal but the entity changed meanwhile (a change and back). */
  changedBetween: boolean;
  via?: string[];
}

/** Equal state, newer `last_changed`, HA restarted meanwhile: HA's history may tell. */
export interface Unsure {
  entityId: string;
  before: EntityState;
  after: EntityState;
}

export interface Reconciled {
  findings: Finding[];
  unsure: Unsure[];
}

/**
 * Compares the states from before the gap with the states now. Entities only in `before`
 * (removed from HA) or only now (new, or newly watched) are not reported.
 */
export function reconcile(
  before: ReadonlyMap<string, EntityState>,
  current: (entityId: string) => EntityState | undefined,
  observed: ReadonlyMap<string, Observed>,
  haRestarted: boolean,
): Reconciled {
  const findings: Finding[] = [];
  const unsure: Unsure[] = [];
  for (const [entityId, was] of before) {
    const now = current(entityId);
    if (now === undefined) continue;
    const seen = observed.get(entityId);
    if (was.state !== now.state) {
      findings.push({ entityId, before: was, after: now, changedBetween: false });
    } else if (was.lastChanged === now.lastChanged) {
      // Unchanged; an attribute may have (rules on `attribute:` compare it themselves).
      if (was.lastUpdated !== now.lastUpdated)
        findings.push({ entityId, before: was, after: now, changedBetween: false });
    } else if (seen?.changed === true) {
      const via = between(was.state, seen.values, now.state);
      findings.push({ entityId, before: was, after: now, changedBetween: true, via });
    } else if (seen !== undefined && seen.lastChanged === now.lastChanged) {
      // The bot saw its current state arrive, from a placeholder: a restore, not a change.
      findings.push({ entityId, before: was, after: now, changedBetween: false });
    } else if (!haRestarted) {
      findings.push({ entityId, before: was, after: now, changedBetween: true });
    } else {
      unsure.push({ entityId, before: was, after: now });
    }
  }
  return { findings, unsure };
}

/** One recorded state in HA's history: the state and when (epoch seconds). */
export interface HistoryPoint {
  state: string;
  at: number;
}

export type HistoryVerdict =
  | { kind: 'changed'; via: string[] }
  | { kind: 'unchanged' }
  /** HA's recorder has not written the current state yet (it commits every few seconds). */
  | { kind: 'incomplete' }
  /** HA records nothing for this entity (excluded from the recorder, or no history). */
  | { kind: 'unrecorded' };

/** HA's times and ours may differ in the last digits; a millisecond is plenty. */
const SAME_TIME_S = 0.001;

/**
 * What HA's history from before the gap until now says of an entity whose state is equal and
 * whose `last_changed` is newer: did it take another real value meanwhile?
 */
export function readHistory(
  points: readonly HistoryPoint[] | undefined,
  before: EntityState,
  after: EntityState,
): HistoryVerdict {
  if (points === undefined || points.length === 0) return { kind: 'unrecorded' };
  const values = points.map((p) => p.state);
  if (values.some((v) => !isPlaceholder(v) && v !== after.state))
    return { kind: 'changed', via: between(before.state, values, after.state) };
  const complete = points.some(
    (p) => p.state === after.state && Math.abs(p.at - after.lastChanged) < SAME_TIME_S,
  );
  return complete ? { kind: 'unchanged' } : { kind: 'incomplete' };
}
