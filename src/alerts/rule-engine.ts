import type { EntityState } from '../ha/types.js';
import { compile, type Compiled, type RuleSubject, type Track } from './compiled-rule.js';
import { DueQueue } from './due-queue.js';
import { fire, LIVE, type Firing, type Observation } from './rule-firing.js';
import { RuleMatches, trackOf, type Matched } from './rule-matches.js';
import { clearOfZone, inZone, NumberMemo, valueOf } from './rule-values.js';
import type { Rule } from './rule-schema.js';

export type { Firing, Observation, RuleSubject };

/** HA's values for no value: compared as strings (a Set would hash each value first). */
const isUnavailable = (value: string): boolean => value === 'unavailable' || value === 'unknown';

const NO_FIRINGS: readonly Firing[] = [];

/** The test of whether `rule` selects an entity (its selectors alone): the naive matcher. */
export function ruleSelector(rule: Rule): (subject: RuleSubject) => boolean {
  return compile(rule).selects;
}

/**
 * Decides which changes are worth an alert. Pure: time comes in as arguments, and the only
 * state is per (rule, entity): threshold arming, a pending `for`, and the last firing (cooldown).
 * The rules an entity matches are cached, so a change costs only the rules that select it.
 */
export class RuleEngine {
  private readonly compiled: Compiled[];
  /** Which rules select each entity (cached), and their tracks for it. */
  private readonly matches: RuleMatches;
  /** The attributes rules watch instead of the state (`attribute:`), each once. */
  readonly attributes: readonly string[];
  /** The tracks with a pending `for`, earliest first: a change asks for the next one. */
  private readonly waiting = new DueQueue<Track>();
  /** Threshold rules' values as numbers: a change's before and after, parsed once. */
  private readonly numbers = new NumberMemo();

  constructor(rules: readonly Rule[], subjectOf: (entityId: string) => RuleSubject | undefined) {
    this.compiled = rules.map((rule) => compile(rule));
    this.matches = new RuleMatches(this.compiled, subjectOf);
    this.attributes = [
      ...new Set(this.compiled.map((c) => c.rule.attribute).filter((a) => a !== undefined)),
    ];
  }

  get rules(): readonly Rule[] {
    return this.compiled.map((c) => c.rule);
  }

  /**
   * Whether any rule selects this entity (cached, like the matching itself). Given its
   * current state from the store, a "no rule" is kept with it (STATE_MEMO): the next
   * change's state brings it along.
   */
  watches(entityId: string, state?: EntityState): boolean {
    return this.matches.matchFor(entityId, state).rules.length > 0;
  }

  /**
   * Takes over what `previous` knew about the rules the two engines share (the same name and
   * the same definition): pending `for`s, threshold arming and cooldowns. Adding a watch or
   * reloading the config then neither restarts "door open for 10 min" nor repeats an alert
   * inside its cooldown. A rule that changed starts afresh.
   */
  adopt(previous: RuleEngine): void {
    const byDefinition = new Map<string, Compiled[]>();
    for (const c of previous.compiled) {
      const key = JSON.stringify(c.rule);
      byDefinition.set(key, [...(byDefinition.get(key) ?? []), c]);
    }
    for (const c of this.compiled) {
      const old = byDefinition.get(JSON.stringify(c.rule))?.shift();
      if (old === undefined) continue;
      for (const [entityId, known] of old.tracks) {
        const track: Track = { ...known, rule: c };
        c.tracks.set(entityId, track);
        if (track.pending !== undefined) this.waiting.add(track, track.pending);
      }
    }
  }

  /**
   * Names, areas or device classes changed: recompute which rules select these entities
   * (all of them when none are named).
   */
  invalidate(entityIds?: Iterable<string>): void {
    this.matches.invalidate(entityIds);
  }

  /** The rules that select an entity, in the order they were given. */
  rulesSelecting(entityId: string): Rule[] {
    return this.matches.matchFor(entityId).rules.map((c) => c.rule);
  }

  observe(o: Observation, now: number): readonly Firing[] {
    let firings: Firing[] | undefined;
    const match = this.matches.matchFor(o.entityId, o.newState);
    const rules = match.rules;
    for (let i = 0; i < rules.length; i++) {
      const f = this.observeRule(match, i, o, now);
      if (f) (firings ??= []).push(f);
    }
    // Most changes fire nothing: no array each.
    return firings ?? NO_FIRINGS;
  }

  /** Fires the `for` rules whose time has come, given the entity's current state. */
  due(now: number, stateOf: (entityId: string) => EntityState | undefined): Firing[] {
    const firings: Firing[] = [];
    for (let track = this.waiting.peek(); track !== undefined; track = this.waiting.peek()) {
      const pending = track.pending!;
      if (pending.due > now) break;
      const state = stateOf(track.entityId);
      this.cancel(track);
      if (state === undefined) continue;
      const f = fire(track.rule, track, track.entityId, pending.from, state, now, LIVE);
      if (f) firings.push(f);
    }
    return firings;
  }

  /** The earliest pending `for` deadline, for the caller's timer. */
  nextDue(): number | undefined {
    return this.waiting.peek()?.pending?.due;
  }

  /**
   * Judges a change by `match.rules[i]`. The rule's track for the entity is looked up (and
   * made, on the first change) only when the rule needs what it keeps: threshold arming, a
   * pending `for`, a cooldown. A `to: on` rule seeing `off`, or a rule without a cooldown
   * firing, does not touch it: at 100,000 entities each track is a cache miss, and cold,
   * an object and two lookups in the rule's map of tracks.
   */
  private observeRule(match: Matched, i: number, o: Observation, now: number): Firing | undefined {
    const c = match.rules[i]!;
    const before = c.attribute === undefined ? o.oldState?.state : valueOf(c, o.oldState);
    const after = c.attribute === undefined ? o.newState.state : valueOf(c, o.newState);
    const changedAndBack = o.missed === true && before === after && o.changedBetween === true;
    if (after === undefined || (before === after && !changedAndBack)) return undefined;

    if (
      !c.includeUnavailable &&
      (isUnavailable(after) || (before !== undefined && isUnavailable(before)))
    ) {
      if (c.threshold) {
        this.track(match, i, o.entityId).armed ??= !inZone(c, before, this.numbers.of(before));
      }
      this.cancelPending(match, i, o.entityId);
      return undefined;
    }

    let matches: boolean;
    if (c.threshold) {
      const track = this.track(match, i, o.entityId);
      const n = this.numbers.of(after);
      const zone = inZone(c, after, n);
      if (track.armed === undefined) {
        track.armed = inZone(c, before, this.numbers.of(before)) !== true;
      }
      if (zone === true && track.armed) {
        track.armed = false;
        matches = true;
      } else {
        if (zone !== true && clearOfZone(c, after, n)) track.armed = true;
        if (zone !== true) this.cancel(track);
        matches = false;
      }
    } else if (changedAndBack) {
      // It changed back into `after`, so `to` is known to hold; `from` only when the value it
      // came back from is known.
      const cameFrom = o.via?.at(-1);
      matches =
        (c.to === undefined || c.to.includes(after)) &&
        (c.from === undefined || (cameFrom !== undefined && c.from.includes(cameFrom)));
    } else {
      matches =
        (c.to === undefined || c.to.includes(after)) &&
        (c.from === undefined || (before !== undefined && c.from.includes(before)));
      // A `for` waits for the state to hold: any other change cancels it.
      if (!matches) this.cancelPending(match, i, o.entityId);
    }
    if (!matches) return undefined;

    if (c.holdMs !== undefined && o.missed !== true) {
      const track = this.track(match, i, o.entityId);
      if (track.pending === undefined) {
        track.pending = { due: now + c.holdMs, from: before ?? '' };
        this.waiting.add(track, track.pending);
      }
      return undefined;
    }
    // Without a cooldown the last firing gates nothing: no track to keep it in.
    const track = c.cooldown > 0 ? this.track(match, i, o.entityId) : undefined;
    return fire(
      c,
      track,
      o.entityId,
      before ?? '',
      o.newState,
      now,
      o.missed === true
        ? {
            missed: true,
            missedWhile: o.missedWhile,
            changedAndBack,
            via: changedAndBack ? o.via : undefined,
          }
        : LIVE,
    );
  }

  /** The rule's track for the entity, from the match or else made (`trackOf`). */
  private track(match: Matched, i: number, entityId: string): Track {
    return match.tracks[i] ?? trackOf(match, i, entityId);
  }

  /** Cancels the rule's pending `for` for the entity; only a rule with `for` has one. */
  private cancelPending(match: Matched, i: number, entityId: string): void {
    if (match.rules[i]!.holdMs !== undefined) this.cancel(this.track(match, i, entityId));
  }

  private cancel(track: Track): void {
    if (track.pending === undefined) return;
    track.pending = undefined;
    this.waiting.ended();
  }
}
