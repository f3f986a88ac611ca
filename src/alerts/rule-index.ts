import type { Rule } from './rule-schema.js';
import type { RuleSubject } from './rule-engine.js';
import { KINDS, KeyList, type IdFacts } from './rule-index-kinds.js';

/** Distinct selections kept for sharing (see RuleIndex.selections); beyond, it starts over. */
const MAX_SELECTIONS = 100_000;

/** No rule selects the entity (most): one list for all, not one made per lookup. */
const NONE: readonly never[] = Object.freeze([]);

/** Whether a rule's test reads an entity's id beyond its domain (see RuleIndex.byId). */
function readsId(rule: Rule): boolean {
  return rule.entities?.some((p) => !/^[^*?.]+\.\*$/.test(p)) ?? false;
}

/**
 * What a rule's test reads of an entity but its id, as one string: each value with its
 * length in front (no two sets of facts give the same string, whatever their characters).
 */
function signatureOf(s: RuleSubject): string {
  const one = (v: string | undefined) => (v === undefined ? '-' : `${v.length}:${v}`);
  const all = (vs: readonly string[] | undefined) =>
    vs === undefined ? '-' : `${vs.length}[${vs.map(one).join('')}`;
  return (
    one(s.domain) +
    one(s.areaId) +
    one(s.areaName) +
    all(s.areaKeys) +
    all(s.floorKeys) +
    all(s.labelKeys) +
    one(s.deviceClass)
  );
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
  /** The entity's keys of one kind, reused from lookup to lookup. */
  private readonly keys = new KeyList();
  /** The entity's id and domain, reused from lookup to lookup. */
  private readonly idFacts: IdFacts = { entityId: '', domain: '' };
  /** Rules no kind could file: tested for every entity. */
  private readonly always: number[] = [];
  /**
   * Per item, whether its rule's test reads the entity's id beyond its domain (an entity
   * pattern other than `domain.*`). The others select by the subject's facts alone
   * (`signature`), so their answer for one set of facts holds for every entity with them.
   */
  private readonly byId: boolean[];
  /**
   * Per signature, the items (by index, in order) not `byId` that select an entity with it:
   * the doors of an area, or the switches, are tested once, not once per entity.
   */
  private readonly bySignature = new Map<string, number[]>();
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
        const byKey = this.byKind[k]!;
        for (const key of new Set(keys)) {
          const list = byKey.get(key);
          if (list === undefined) byKey.set(key, [i]);
          else list.push(i);
        }
        return;
      }
      this.always.push(i);
    });
  }

  /**
   * The items whose rule selects the entity, in their original order. `subjectOf` is asked
   * only when some rule may select it: going live asks for every entity, most of which no
   * rule is filed under, and rules filed by id or domain alone (ALERT_ENTITIES) need no
   * subject to rule those out (making 100,000 subjects cost about 150 ms of start-up).
   * `selects` must be the rule's own test (compiled-rule.ts): a rule not `byId` is tested
   * once per signature.
   */
  select(entityId: string, subjectOf: (entityId: string) => RuleSubject | undefined): readonly T[] {
    // Made when a rule is found (most entities have none).
    let candidates: number[] | undefined = this.always.length > 0 ? this.always.slice() : undefined;
    const keys = this.keys;
    const idFacts = this.idFacts;
    // As the catalog's entry has it (entry.ts: the id up to its first '.').
    idFacts.entityId = entityId;
    idFacts.domain = entityId.slice(0, entityId.indexOf('.'));
    let subject: RuleSubject | undefined;
    for (let k = 0; k < KINDS.length; k++) {
      const byKey = this.byKind[k]!;
      // Kinds no rule was filed under are not asked for the entity's keys.
      if (byKey.size === 0) continue;
      keys.size = 0;
      const kind = KINDS[k]!;
      if (kind.fromId) kind.subjectKeys(idFacts, keys);
      else {
        subject ??= subjectOf(entityId);
        if (subject === undefined) return NONE;
        kind.subjectKeys(subject, keys);
      }
      for (let j = 0; j < keys.size; j++) {
        const list = byKey.get(keys.keys[j]!);
        if (list !== undefined) for (const i of list) (candidates ??= []).push(i);
      }
    }
    if (candidates === undefined) return NONE;
    subject ??= subjectOf(entityId);
    if (subject === undefined) return NONE;
    const signature = signatureOf(subject);
    const known = this.bySignature.get(signature);
    const bySignature: number[] = known ?? [];
    // The rules tested for this entity alone: those reading its id, and the others the first
    // time these facts are seen. Known signatures skip the rest (and their sorting).
    let chosen = 0;
    for (const i of candidates) if (known === undefined || this.byId[i]) candidates[chosen++] = i;
    candidates.length = chosen;
    // A rule may be filed under two of the entity's keys (its area's id and its name).
    if (candidates.length > 1) candidates.sort((a, b) => a - b);
    const byId: number[] = [];
    let last = -1;
    for (const i of candidates) {
      if (i === last) continue;
      last = i;
      if (!this.selects(this.items[i]!, subject)) continue;
      if (this.byId[i]) byId.push(i);
      else bySignature.push(i);
    }
    if (known === undefined) {
      // Bounded by the entities' distinct facts; cleared if ever that many.
      if (this.bySignature.size >= MAX_SELECTIONS) this.bySignature.clear();
      this.bySignature.set(signature, bySignature);
    }
    const indices = byId.length === 0 ? bySignature : mergeSorted(bySignature, byId);
    return indices.length === 0 ? NONE : this.shared(indices);
  }

  /** The items at `indices` (in order), one array for each set of them. */
  private shared(indices: number[]): readonly T[] {
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
