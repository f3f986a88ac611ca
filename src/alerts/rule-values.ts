import type { EntityState } from '../ha/types.js';
import type { Rule } from './rule-schema.js';

/** The value a rule watches: the state, or its `attribute:` as text. */
export function valueOf(rule: Rule, state: EntityState | undefined): string | undefined {
  if (state === undefined) return undefined;
  if (rule.attribute === undefined) return state.state;
  const v = state.attributes[rule.attribute];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Whether a value is in a threshold rule's zone (undefined: not a number). */
export function inZone(rule: Rule, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) return undefined;
  return (
    (rule.above === undefined || n > rule.above) && (rule.below === undefined || n < rule.below)
  );
}

/** Out of the zone by more than the hysteresis margin: only then may the rule fire again. */
export function clearOfZone(rule: Rule, value: string | undefined): boolean {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n)) return false;
  const h = rule.hysteresis;
  const belowOk = rule.above === undefined || n <= rule.above - h;
  const aboveOk = rule.below === undefined || n >= rule.below + h;
  return (rule.above !== undefined && belowOk) || (rule.below !== undefined && aboveOk);
}
