import { compileNameList } from '../entities/groups.js';
import type { Subject } from '../policy/decide.js';
import type { Pending } from './due-queue.js';
import type { Rule } from './rule-schema.js';
import { compileWatchList } from './watch.js';

/** What rules select on: facts about an entity that change rarely (cached per entity). */
export type RuleSubject = Pick<
  Subject,
  'entityId' | 'domain' | 'areaId' | 'areaName' | 'areaKeys' | 'floorKeys' | 'labelKeys'
> & { deviceClass: string | undefined };

/**
 * A rule as the engine judges it: what a change is judged by copied out of the rule, into
 * one shape for every rule. Rules of different kinds are objects of different shapes (each
 * has only the fields it sets), so reading them in the loop over a change's rules was a
 * megamorphic lookup per field.
 */
export interface Compiled {
  rule: Rule;
  selects: (s: RuleSubject) => boolean;
  threshold: boolean;
  attribute: string | undefined;
  to: readonly string[] | undefined;
  from: readonly string[] | undefined;
  above: number | undefined;
  below: number | undefined;
  hysteresis: number;
  /** `for:` in ms, when set and above 0. */
  holdMs: number | undefined;
  cooldown: number;
  includeUnavailable: boolean;
  /** This rule's state per entity it has seen change. */
  tracks: Map<string, Track>;
}

/**
 * Made with every field (`trackOf`): one shape for all tracks, so the reads of a
 * change's rules stay monomorphic, and no property store is grown when one is first set.
 */
export interface Track {
  rule: Compiled;
  entityId: string;
  /** Threshold rules: whether the next entry into the zone fires (hysteresis re-arms it). */
  armed: boolean | undefined;
  pending: Pending | undefined;
  lastFired: number | undefined;
}

/** A rule made ready to judge: its selectors compiled, its judging fields in one shape. */
export function compile(rule: Rule): Compiled {
  const entity = rule.entities ? compileWatchList(rule.entities) : undefined;
  const domains = rule.domains ? new Set(rule.domains) : undefined;
  const areas = rule.areas ? new Set(rule.areas.map((a) => a.toLowerCase())) : undefined;
  const floors = rule.floors ? compileNameList(rule.floors) : undefined;
  const labels = rule.labels ? compileNameList(rule.labels) : undefined;
  const classes = rule.device_classes ? new Set(rule.device_classes) : undefined;
  return {
    rule,
    threshold: rule.above !== undefined || rule.below !== undefined,
    attribute: rule.attribute,
    to: rule.to,
    from: rule.from,
    above: rule.above,
    below: rule.below,
    hysteresis: rule.hysteresis,
    holdMs: rule.for !== undefined && rule.for > 0 ? rule.for : undefined,
    cooldown: rule.cooldown,
    includeUnavailable: rule.include_unavailable,
    tracks: new Map(),
    // Kinds of selector combine with AND, values within one kind with OR.
    selects: (s) =>
      (entity === undefined || entity(s.entityId)) &&
      (domains === undefined || domains.has(s.domain)) &&
      (areas === undefined ||
        (s.areaId !== undefined && areas.has(s.areaId.toLowerCase())) ||
        (s.areaName !== undefined && areas.has(s.areaName.toLowerCase())) ||
        (s.areaKeys?.some((k) => areas.has(k)) ?? false)) &&
      (floors === undefined || floors(s.floorKeys)) &&
      (labels === undefined || labels(s.labelKeys)) &&
      (classes === undefined || (s.deviceClass !== undefined && classes.has(s.deviceClass))),
  };
}
