import type { EntityState } from '../ha/types.js';
import { compile, type Compiled, type RuleSubject, type Track } from './compiled-rule.js';
import { DueQueue } from './due-queue.js';
import { RuleIndex } from './rule-index.js';
import { clearOfZone, inZone, NumberMemo, valueOf } from './rule-values.js';
import { STATE_MEMO as MEMO } from './state-memo.js';
import type { Rule } from './rule-schema.js';
import type { MissedWhile } from './types.js';

export type { RuleSubject };

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

/** HA's values for no value: compared as strings (a Set would hash each value first). */
const isUnavailable = (value: string): boolean => value === 'unavailable' || value === 'unknown';

/** How a firing was seen: live, or found across a gap. */
type How = Pick<Firing, 'missed' | 'missedWhile' | 'changedAndBack' | 'via'>;

const LIVE: How = { missed: false, missedWhile: undefined, changedAndBack: false, via: undefined };

/**
 * The rules that select one entity, and beside each its track for that entity once it has
 * one: a change looks the entity up once, not once per rule (a door matched by 400 rules
 * was 400 map lookups per change).
 */
interface Matched {
  rules: readonly Compiled[];
  /** `tracks[i]` is `rules[i]`'s track for the entity (also in that rule's `tracks`). */
  tracks: (Track | undefined)[];
}

const NO_RULES: readonly Compiled[] = Object.freeze([]);
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
  private readonly index: RuleIndex<Compiled>;
  private readonly matching = new Map<string, Matched>();
  /**
   * Most entities match no rule: they share this, also kept with their states (STATE_MEMO).
   * Replaced whenever matches are invalidated, so that one kept before is not taken for it.
   */
  private noMatch: Matched = { rules: NO_RULES, tracks: [] };
  /** The entities no rule selects, most: a set's entry is 2 words, a map's 3 (1 MB at 100k). */
  private readonly unmatched = new Set<string>();
  /** The latest entity looked up in `matching`, and its rules (two fields: no object each). */
  private recentId: string | undefined;
  private recentMatch: Matched = this.noMatch;
  /** The attributes rules watch instead of the state (`attribute:`), each once. */
  readonly attributes: readonly string[];
  /** The tracks with a pending `for`, earliest first: a change asks for the next one. */
  private readonly waiting = new DueQueue<Track>();
  /** Threshold rules' values as numbers: a change's before and after, parsed once. */
  private readonly numbers = new NumberMemo();

  constructor(
    rules: readonly Rule[],
    private readonly subjectOf: (entityId: string) => RuleSubject | undefined,
  ) {
    this.compiled = rules.map((rule) => compile(rule));
    this.index = new RuleIndex(
      this.compiled,
      (c) => c.rule,
      (c, subject) => c.selects(subject),
    );
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
    return this.matchFor(entityId, state).rules.length > 0;
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
    this.recentId = undefined;
    // Every "no rule" kept with a state is then stale: the next change of each looks again.
    this.noMatch = { rules: NO_RULES, tracks: [] };
    if (entityIds === undefined) {
      this.matching.clear();
      this.unmatched.clear();
    } else for (const id of entityIds) if (!this.matching.delete(id)) this.unmatched.delete(id);
  }

  /** The rules that select an entity, in the order they were given. */
  rulesSelecting(entityId: string): Rule[] {
    return this.matchFor(entityId).rules.map((c) => c.rule);
  }

  observe(o: Observation, now: number): readonly Firing[] {
    let firings: Firing[] | undefined;
    const match = this.matchFor(o.entityId, o.newState);
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
      const f = this.fire(track.rule, track, track.entityId, pending.from, state, now, LIVE);
      if (f) firings.push(f);
    }
    return firings;
  }

  /** The earliest pending `for` deadline, for the caller's timer. */
  nextDue(): number | undefined {
    return this.waiting.peek()?.pending?.due;
  }

  private matchFor(entityId: string, state?: EntityState): Matched {
    // Fields read before the branches: going live asks for every entity once, each without
    // a memo yet, and a read first made in a branch that never ran then would undo the code
    // optimized there on the first live change that takes it (and compile it again).
    const { recentMatch, noMatch } = this;
    // A live change asks twice in a row (watches, then observe): the second is not a lookup
    // in a map of every entity.
    if (entityId === this.recentId) return recentMatch;
    let match: Matched;
    if (state === undefined || state.entityId !== entityId) match = this.lookUp(entityId);
    // The store carries the memo from each of the entity's states to the next.
    else if (state[MEMO] === noMatch) match = noMatch;
    else {
      match = this.lookUp(entityId);
      // Only "no rule" is kept with a state (most entities; the others are in a map of their
      // own): rules kept there would keep this engine's tracks alive after a reload.
      if (match === noMatch) state[MEMO] = match;
      else if (state[MEMO] !== undefined) state[MEMO] = undefined;
    }
    this.recentId = entityId;
    this.recentMatch = match;
    return match;
  }

  /** The entity's match from the maps of every entity seen (made and kept if not there). */
  private lookUp(entityId: string): Matched {
    let match = this.matching.get(entityId);
    if (match !== undefined) return match;
    if (this.unmatched.has(entityId)) return this.noMatch;
    const subject = this.subjectOf(entityId);
    const selected = subject ? this.index.select(subject) : [];
    // Most entities match no rule: they share one empty match, and only a set's entry.
    if (selected.length === 0) {
      this.unmatched.add(entityId);
      return this.noMatch;
    }
    match = { rules: selected, tracks: [] };
    this.matching.set(entityId, match);
    return match;
  }

  /**
   * The track of `match.rules[i]` for the entity: the rule's own (kept when the match is
   * recomputed, or taken over by `adopt`), or a new one; then held in the match.
   */
  private trackOf(match: Matched, i: number, entityId: string): Track {
    const c = match.rules[i]!;
    let track = c.tracks.get(entityId);
    if (track === undefined) {
      track = { rule: c, entityId, armed: undefined, pending: undefined, lastFired: undefined };
      c.tracks.set(entityId, track);
    }
    match.tracks[i] = track;
    return track;
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
    return this.fire(
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
    return match.tracks[i] ?? this.trackOf(match, i, entityId);
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

  private fire(
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
}
