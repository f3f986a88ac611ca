import type { EntityState } from '../ha/types.js';
import type { Compiled, RuleSubject, Track } from './compiled-rule.js';
import { RuleIndex } from './rule-index.js';
import { STATE_MEMO as MEMO } from './state-memo.js';

/**
 * The rules that select one entity, and beside each its track for that entity once it has
 * one: a change looks the entity up once, not once per rule (a door matched by 400 rules
 * was 400 map lookups per change).
 */
export interface Matched {
  rules: readonly Compiled[];
  /**
   * `tracks[i]` is `rules[i]`'s track for the entity (also in that rule's `tracks`). NO_TRACKS
   * until the entity's first track (`trackOf`): a matched entity that has not changed, as
   * every one at start-up, has no array of its own.
   */
  tracks: (Track | undefined)[];
}

const NO_RULES: readonly Compiled[] = Object.freeze([]);
/** The tracks of an entity with none yet: never written (`trackOf` makes the entity's own). */
const NO_TRACKS: (Track | undefined)[] = [];

/**
 * Which of the engine's rules select each entity, cached: found through the rule index on an
 * entity's first change and kept until `invalidate`. Most entities match no rule: they share
 * one empty match, kept with their states (STATE_MEMO) and in a set. Split out of
 * rule-engine.ts (RuleEngine owns one); pure like it.
 */
export class RuleMatches {
  private readonly index: RuleIndex<Compiled>;
  private readonly matching = new Map<string, Matched>();
  /**
   * Most entities match no rule: they share this, also kept with their states (STATE_MEMO).
   * Replaced whenever matches are invalidated, so that one kept before is not taken for it.
   */
  private noMatch: Matched = { rules: NO_RULES, tracks: NO_TRACKS };
  /** The entities no rule selects, most: a set's entry is 2 words, a map's 3 (1 MB at 100k). */
  private readonly unmatched = new Set<string>();
  /** The latest entity looked up in `matching`, and its rules (two fields: no object each). */
  private recentId: string | undefined;
  private recentMatch: Matched = this.noMatch;

  constructor(
    compiled: readonly Compiled[],
    private readonly subjectOf: (entityId: string) => RuleSubject | undefined,
  ) {
    this.index = new RuleIndex(
      compiled,
      (c) => c.rule,
      (c, subject) => c.selects(subject),
    );
  }

  /**
   * Names, areas or device classes changed: recompute which rules select these entities
   * (all of them when none are named).
   */
  invalidate(entityIds?: Iterable<string>): void {
    this.recentId = undefined;
    // Every "no rule" kept with a state is then stale: the next change of each looks again.
    this.noMatch = { rules: NO_RULES, tracks: NO_TRACKS };
    if (entityIds === undefined) {
      this.matching.clear();
      this.unmatched.clear();
    } else if (this.matching.size > 0 || this.unmatched.size > 0) {
      // (Nothing matched yet, as at start-up when the catalog is first built: no pass.)
      for (const id of entityIds) if (!this.matching.delete(id)) this.unmatched.delete(id);
    }
  }

  /**
   * The entity's match: the one asked for last, the "no rule" kept with its state (given the
   * state from the store), or else from the maps (`lookUp`).
   */
  matchFor(entityId: string, state?: EntityState): Matched {
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
    const selected = this.index.select(entityId, this.subjectOf);
    // Most entities match no rule: they share one empty match, and only a set's entry.
    if (selected.length === 0) {
      this.unmatched.add(entityId);
      return this.noMatch;
    }
    match = { rules: selected, tracks: NO_TRACKS };
    this.matching.set(entityId, match);
    return match;
  }
}

/**
 * The track of `match.rules[i]` for the entity: the rule's own (kept when the match is
 * recomputed, or taken over by `adopt`), or a new one; then held in the match.
 */
export function trackOf(match: Matched, i: number, entityId: string): Track {
  const c = match.rules[i]!;
  let track = c.tracks.get(entityId);
  if (track === undefined) {
    track = { rule: c, entityId, armed: undefined, pending: undefined, lastFired: undefined };
    c.tracks.set(entityId, track);
  }
  if (match.tracks === NO_TRACKS) match.tracks = [];
  match.tracks[i] = track;
  return track;
}
