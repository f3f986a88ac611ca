import type { Rule } from './rule-schema.js';
import type { RuleSubject } from './rule-engine.js';
import { FactsCache } from './facts-cache.js';
import { KINDS, KeyList, type IdFacts } from './rule-index-kinds.js';

/** Distinct selections kept for sharing (see RuleIndex.selections); beyond, it starts over. */
const MAX_SELECTIONS = 100_000;

/**
 * Sets of facts kept (see RuleIndex.byFacts); beyond, it starts over. A home has far fewer
 * (the bench home has 325, at 10,000 entities as at 100,000).
 */
const MAX_FACTS = 20_000;

/** No rule selects the entity (most): one list for all, not one made per lookup. */
const NONE: readonly never[] = Object.freeze([]);

/** Whether a rule's test reads an entity's id beyond its domain (see RuleIndex.byId). */
function readsId(rule: Rule): boolean {
  return rule.entities?.some((p) => !/^[^*?.]+\.\*$/.test(p)) ?? false;
}

/** Files item `i` under `key`. */
function file(byKey: Map<string, number[]>, key: string, i: number): void {
  const list = byKey.get(key);
  if (list === undefined) byKey.set(key, [i]);
  else list.push(i);
}

/** Two ascending lists of distinct indices, merged. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/**
 * Rules filed by what they select on, so that finding the rules that select an entity tests
 * only the rules filed under that entity's id, domain, area or device class (and the few
 * that select on nothing indexable), not every rule: with 2,000 rules over 100,000
 * entities, testing every rule for every entity took about 35 s of CPU after each change
 * to the catalog.
 */
export class RuleIndex<T> {
  /** Per kind (KINDS' order), the rules filed under each key. */
  private readonly byKind: Map<string, number[]>[] = KINDS.map(() => new Map<string, number[]>());
  /** The same, of the rules that read ids (`byId`) alone: all an entity of known facts asks. */
  private readonly byKindReadingIds: Map<string, number[]>[] = KINDS.map(
    () => new Map<string, number[]>(),
  );
  /** The entity's keys of one kind, reused from lookup to lookup. */
  private readonly keys = new KeyList();
  /** The entity's id and domain, reused from lookup to lookup. */
  private readonly idFacts: IdFacts = { entityId: '', domain: '' };
  /** Rules no kind could file: tested for every entity (and those of them that read ids). */
  private readonly always: number[] = [];
  private readonly alwaysReadingIds: number[] = [];
  /**
   * Per item, whether its rule's test reads the entity's id beyond its domain (an entity
   * pattern other than `domain.*`). The others select by the subject's facts alone
   * (`byFacts`), so their answer for one set of facts holds for every entity with them.
   */
  private readonly byId: boolean[];
  /**
   * Per set of facts, the items (by index, in order) not `byId` that select an entity with
   * them: the doors of an area, or the switches, are tested once, not once per entity; and an
   * entity whose facts are known looks up only the rules that read ids. Kept when some rule
   * reads no id.
   */
  private readonly byFacts: FactsCache<readonly number[]> | undefined;
  /**
   * Whether finding any entity's rules takes its subject: a rule is filed under keys read off
   * it (an area, a device class), or under none. Else (rules filed by id or domain alone, as
   * ALERT_ENTITIES) only an entity with a rule filed under its id or domain is given one.
   */
  private readonly everySubject: boolean;
  /**
   * Each set of items selected so far, by their indices: entities selected by the same rules
   * (the doors, a domain in an area) share one array. At 100,000 entities and the bench's
   * 2,000 rules, an array per entity held about 800,000 references (6.5 MB).
   */
  private readonly selections = new Map<string, readonly T[]>();

  constructor(
    private readonly items: readonly T[],
    ruleOf: (item: T) => Rule,
    private readonly selects: (item: T, subject: RuleSubject) => boolean,
  ) {
    this.byId = items.map((item) => readsId(ruleOf(item)));
    items.forEach((item, i) => {
      const rule = ruleOf(item);
      for (let k = 0; k < KINDS.length; k++) {
        const keys = KINDS[k]!.ruleKeys(rule);
        if (keys === undefined) continue;
        // What byFacts rests on: a rule's answer is kept per set of facts only if it reads no
        // id, so it must be found by keys its facts give (an id's domain is one).
        if (KINDS[k]!.beyondDomain && keys.length > 0 && !this.byId[i])
          throw new Error(`rule "${rule.name}" reads no id, but is filed by id`);
        for (const key of new Set(keys)) {
          file(this.byKind[k]!, key, i);
          if (this.byId[i]) file(this.byKindReadingIds[k]!, key, i);
        }
        return;
      }
      this.always.push(i);
      if (this.byId[i]) this.alwaysReadingIds.push(i);
    });
    this.everySubject =
      this.always.length > 0 || KINDS.some((kind, k) => !kind.fromId && this.byKind[k]!.size > 0);
    this.byFacts = this.byId.every(Boolean) ? undefined : new FactsCache(MAX_FACTS);
  }

  /**
   * The items whose rule selects the entity, in their original order. `subjectOf` is asked
   * only when some rule may select it: going live asks for every entity, most of which no
   * rule is filed under, and rules filed by id or domain alone (ALERT_ENTITIES) need no
   * subject to rule those out (making 100,000 subjects cost about 150 ms of start-up).
   * `selects` must be the rule's own test (compiled-rule.ts): a rule not `byId` is tested
   * once per set of facts.
   */
  select(entityId: string, subjectOf: (entityId: string) => RuleSubject | undefined): readonly T[] {
    let subject: RuleSubject | undefined;
    if (this.everySubject) {
      subject = subjectOf(entityId);
      if (subject === undefined) return NONE;
    }
    let known = subject === undefined ? undefined : this.byFacts?.get(subject);
    // Facts known: only the rules that read ids are looked up and tested (most entities).
    let candidates =
      known === undefined
        ? this.candidates(entityId, this.byKind, this.always, subject)
        : this.candidates(entityId, this.byKindReadingIds, this.alwaysReadingIds, subject);
    if (candidates !== undefined && subject === undefined) {
      // Rules filed by id or domain alone: the subject is made for those they may select.
      subject = subjectOf(entityId);
      if (subject === undefined) return NONE;
      known = this.byFacts?.get(subject);
      if (known !== undefined) candidates = candidates.filter((i) => this.byId[i]);
    }
    // The rules that read no id found now (facts first seen; none when known).
    const found: number[] = [];
    const byId: number[] = [];
    if (candidates !== undefined) {
      // A rule may be filed under two of the entity's keys (its area's id and its name).
      if (candidates.length > 1) candidates.sort((a, b) => a - b);
      let last = -1;
      for (const i of candidates) {
        if (i === last) continue;
        last = i;
        if (!this.selects(this.items[i]!, subject!)) continue;
        if (this.byId[i]) byId.push(i);
        else found.push(i);
      }
    }
    // Facts first seen (with no candidate too: no rule of facts alone selects them).
    if (known === undefined && subject !== undefined) this.byFacts?.set(subject, found);
    const byFacts = known ?? found;
    const indices = byId.length === 0 ? byFacts : mergeSorted(byFacts, byId);
    return indices.length === 0 ? NONE : this.shared(indices);
  }

  /**
   * The items filed in `byKind` under the entity's keys, and `always` (undefined when none):
   * unsorted, an item twice if filed under two of its keys. Kinds read off the subject need
   * it (see everySubject).
   */
  private candidates(
    entityId: string,
    byKind: readonly Map<string, number[]>[],
    always: readonly number[],
    subject: RuleSubject | undefined,
  ): number[] | undefined {
    // Made when a rule is found (most entities have none).
    let candidates: number[] | undefined = always.length > 0 ? always.slice() : undefined;
    const keys = this.keys;
    const idFacts = this.idFacts;
    // As the catalog's entry has it (entry.ts: the id up to its first '.').
    idFacts.entityId = entityId;
    idFacts.domain = entityId.slice(0, entityId.indexOf('.'));
    for (let k = 0; k < KINDS.length; k++) {
      const byKey = byKind[k]!;
      // Kinds no rule was filed under are not asked for the entity's keys.
      if (byKey.size === 0) continue;
      keys.size = 0;
      const kind = KINDS[k]!;
      if (kind.fromId) kind.subjectKeys(idFacts, keys);
      else if (subject !== undefined) kind.subjectKeys(subject, keys);
      else continue;
      for (let j = 0; j < keys.size; j++) {
        const list = byKey.get(keys.keys[j]!);
        if (list !== undefined) for (const i of list) (candidates ??= []).push(i);
      }
    }
    return candidates;
  }

  /** The items at `indices` (in order), one array for each set of them. */
  private shared(indices: readonly number[]): readonly T[] {
    const key = indices.join(',');
    let items = this.selections.get(key);
    if (items === undefined) {
      // Bounded by the entities' distinct selections; cleared if ever that many.
      if (this.selections.size >= MAX_SELECTIONS) this.selections.clear();
      items = indices.map((i) => this.items[i]!);
      this.selections.set(key, items);
    }
    return items;
  }
}
