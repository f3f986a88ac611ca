import type { EntityState } from '../ha/types.js';
import type { Rule } from './rule-schema.js';

/** The value a rule watches: the state, or its `attribute:` as text. */
export function valueOf(
  rule: Pick<Rule, 'attribute'>,
  state: EntityState | undefined,
): string | undefined {
  if (state === undefined) return undefined;
  if (rule.attribute === undefined) return state.state;
  const v = state.attributes[rule.attribute];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Whether `n`, `Number(value)`, is a number the value spells: Number('') and Number(' ') are 0. */
function isNumber(value: string | undefined, n: number): value is string {
  return value !== undefined && Number.isFinite(n) && !(n === 0 && value.trim() === '');
}

/** A threshold rule's zone. */
type Zone = Pick<Rule, 'above' | 'below' | 'hysteresis'>;

/**
 * Whether a value is in a threshold rule's zone (undefined: not a number). `n` is
 * `Number(value)`, given when the caller parsed it already (once per change, for its rules).
 */
export function inZone(
  rule: Omit<Zone, 'hysteresis'>,
  value: string | undefined,
  n = Number(value),
): boolean | undefined {
  if (!isNumber(value, n)) return undefined;
  // Both read whatever the first test says: code optimized while every value was on one side
  // is not undone by the first one on the other.
  const { above, below } = rule;
  return (above === undefined || n > above) && (below === undefined || n < below);
}

/** Out of the zone by more than the hysteresis margin: only then may the rule fire again. */
export function clearOfZone(rule: Zone, value: string | undefined, n = Number(value)): boolean {
  // As in inZone: a blank value is no number, not 0, so it does not re-arm a fired rule.
  if (!isNumber(value, n)) return false;
  const h = rule.hysteresis;
  const belowOk = rule.above === undefined || n <= rule.above - h;
  const aboveOk = rule.below === undefined || n >= rule.below + h;
  return (rule.above !== undefined && belowOk) || (rule.below !== undefined && aboveOk);
}

/**
 * `Number(value)` of the last two values asked: the rules judging one change ask about its
 * value before and after, each rule (40 threshold rules select a sensor at the bench's 2,000):
 * parsed once per change, not once per rule.
 */
export class NumberMemo {
  private textA: string | undefined;
  private numberA = NaN;
  private textB: string | undefined;
  private numberB = NaN;

  of(value: string | undefined): number {
    if (value === undefined) return NaN;
    if (value === this.textA) return this.numberA;
    if (value === this.textB) return this.numberB;
    this.textB = this.textA;
    this.numberB = this.numberA;
    this.textA = value;
    this.numberA = Number(value);
    return this.numberA;
  }
}
