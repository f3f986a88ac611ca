import type { RuleSubject } from './compiled-rule.js';

/** A level of the cache: by one fact, the next level (or, at the last, the value). */
type Level = Map<unknown, unknown>;

/** What a subject is looked up by: every field of RuleSubject but its id. */
type Fact = Exclude<keyof RuleSubject, 'entityId'>;

/** The levels, in order: the strings first, the key lists last (see FactsCache). */
const ORDER = [
  'domain',
  'deviceClass',
  'areaId',
  'areaName',
  'areaKeys',
  'floorKeys',
  'labelKeys',
] as const satisfies readonly Fact[];
/** Compiles only while ORDER has every fact: a field RuleSubject gains must be added there. */
const FACTS: [Exclude<Fact, (typeof ORDER)[number]>] extends [never] ? readonly Fact[] : never =
  ORDER;

/**
 * A value per set of facts: what a rule's test reads of an entity but its id (its domain,
 * device class, area id and name, area, floor and label keys). Looked up by the facts
 * themselves, a level per fact, rather than by a string made of them: at start-up every
 * entity is looked up once, and a string per entity (its facts written out) cost more than
 * the lookups it spared (100,000 entities at 200 rules: 544-820 ms against 376-481).
 *
 * Strings are compared by value, key lists by identity: the catalog shares one list per
 * area, floor and set of labels (frozen), and replaces a list rather than changing it. Equal
 * lists that are not the same array only take more entries (the lists are the last levels:
 * each such entry is a few maps); a catalog's replaced lists stay until the cache is full.
 */
export class FactsCache<V> {
  private root: Level = new Map();
  private entries = 0;

  /** `max` entries at most: the cache starts over beyond. */
  constructor(private readonly max: number) {
    if (max < 1) throw new RangeError('a facts cache holds at least one entry');
  }

  get size(): number {
    return this.entries;
  }

  get(subject: RuleSubject): V | undefined {
    let level: unknown = this.root;
    for (let i = 0; i < FACTS.length && level !== undefined; i++)
      level = (level as Level).get(subject[FACTS[i]!]);
    return level as V | undefined;
  }

  set(subject: RuleSubject, value: V): void {
    let level = this.root;
    const last = FACTS.length - 1;
    for (let i = 0; i < last; i++) {
      const fact = subject[FACTS[i]!];
      let next = level.get(fact) as Level | undefined;
      if (next === undefined) level.set(fact, (next = new Map()));
      level = next;
    }
    const fact = subject[FACTS[last]!];
    if (!level.has(fact)) {
      if (this.entries >= this.max) {
        this.clear();
        return this.set(subject, value);
      }
      this.entries++;
    }
    level.set(fact, value);
  }

  clear(): void {
    this.root = new Map();
    this.entries = 0;
  }
}
