import type { RuleSubject } from './compiled-rule.js';

/** A level of the cache: by one fact, the next level (or, at the last, the value). */
type Level = Map<unknown, unknown>;

/** What a subject is looked up by: every field of RuleSubject but its id (FactsCache.read). */
type Fact = Exclude<keyof RuleSubject, 'entityId'>;
const FACTS = [
  'domain',
  'areaId',
  'areaName',
  'areaKeys',
  'floorKeys',
  'labelKeys',
  'deviceClass',
] as const satisfies readonly Fact[];
/** A field RuleSubject gains fails to compile here until it is in FACTS (and read). */
const EVERY_FACT: Exclude<Fact, (typeof FACTS)[number]> extends never ? true : never = true;
const DEPTH = EVERY_FACT && FACTS.length;

/**
 * A value per set of facts: what a rule's test reads of an entity but its id (its domain,
 * area id and name, area, floor and label keys, device class). Looked up by the facts themselves, a level per
 * fact, rather than by a string made of them: at start-up every entity is looked up once,
 * and a string per entity (its facts written out) cost more than the lookups it spared.
 *
 * Strings are compared by value, key lists by identity: the catalog shares one list per
 * area, floor and set of labels, and replaces a list rather than changing it (a list must
 * not change once given). Equal lists that are not the same array only take more entries.
 */
export class FactsCache<V> {
  private root: Level = new Map();
  private entries = 0;
  /** The facts of the subject looked up last, reused from lookup to lookup. */
  private readonly facts: unknown[] = new Array<unknown>(DEPTH);

  /** `max` entries at most: the cache starts over beyond (bounded by the entities' facts). */
  constructor(private readonly max: number) {
    if (max < 1) throw new RangeError('a facts cache holds at least one entry');
  }

  get size(): number {
    return this.entries;
  }

  get(subject: RuleSubject): V | undefined {
    const facts = this.read(subject);
    let level: unknown = this.root;
    for (let i = 0; i < DEPTH && level !== undefined; i++) level = (level as Level).get(facts[i]);
    return level as V | undefined;
  }

  set(subject: RuleSubject, value: V): void {
    const facts = this.read(subject);
    let level = this.root;
    for (let i = 0; i < DEPTH - 1; i++) {
      let next = level.get(facts[i]) as Level | undefined;
      if (next === undefined) level.set(facts[i], (next = new Map()));
      level = next;
    }
    const last = facts[DEPTH - 1];
    if (!level.has(last)) {
      if (this.entries >= this.max) {
        this.clear();
        return this.set(subject, value);
      }
      this.entries++;
    }
    level.set(last, value);
  }

  clear(): void {
    this.root = new Map();
    this.entries = 0;
  }

  /** The subject's facts, in the levels' order (every field RuleSubject has but its id). */
  private read(s: RuleSubject): unknown[] {
    const facts = this.facts;
    facts[0] = s.domain;
    facts[1] = s.areaId;
    facts[2] = s.areaName;
    facts[3] = s.areaKeys;
    facts[4] = s.floorKeys;
    facts[5] = s.labelKeys;
    facts[6] = s.deviceClass;
    return facts;
  }
}
