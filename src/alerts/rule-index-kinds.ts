import type { Rule } from './rule-schema.js';
import type { RuleSubject } from './rule-engine.js';

/**
 * One kind of selector a rule can be looked up by: the keys a rule is filed under (undefined
 * when this kind cannot file it), and the keys an entity is looked up by. A rule filed under
 * keys K may select an entity only if the entity's keys meet K; the rule's full test decides.
 * Kinds are tried in order, the most selective first; a new selector kind (floors, labels)
 * is one more entry here. Each kind has a map of its own, so keys are the raw values (an
 * id, a domain, a lower-case area): a lookup builds few key strings (a domain and its id's
 * last two characters, a domain and an area).
 */
type IndexKind = {
  name: string;
  ruleKeys(rule: Rule): string[] | undefined;
  /**
   * Its keys read an entity's id beyond its domain: only rules that read ids may be filed
   * under them (RuleIndex keeps the others' answers per set of facts, and checks).
   */
  beyondDomain?: true;
} & (
  | {
      /** The keys come from the entity's id alone: no subject is made to look it up. */
      fromId: true;
      subjectKeys(subject: IdFacts, into: KeyList): void;
    }
  | { fromId: false; subjectKeys(subject: RuleSubject, into: KeyList): void }
);

/** What the id alone tells of an entity. */
export type IdFacts = Pick<RuleSubject, 'entityId' | 'domain'>;

/**
 * An entity's keys of one kind, the same list reused from lookup to lookup: emptied by its
 * count (an array's `length = 0` lets its storage go, made again by the next push: about
 * 150 bytes a lookup, 100,000 lookups going live).
 */
export class KeyList {
  readonly keys: string[] = [];
  size = 0;
  push(key: string): void {
    this.keys[this.size++] = key;
  }
}

/**
 * What an entity pattern can be filed under: its literal domain, and a narrower key when it
 * has one (the id itself; for a glob whose last two characters are literal, `sensor.*_12`,
 * the domain and those two). Undefined when the domain part has a wildcard (or no '.').
 */
function patternKeys(pattern: string): { domain: string; narrow: string | undefined } | undefined {
  const dot = pattern.indexOf('.');
  if (dot <= 0 || /[*?]/.test(pattern.slice(0, dot))) return undefined;
  const domain = pattern.slice(0, dot);
  // An id (no '|' in it) or a domain and a tail: the two cannot meet.
  if (!/[*?]/.test(pattern)) return { domain, narrow: pattern };
  const tail = pattern.slice(-2);
  const literalTail = pattern.length - 2 > dot && !/[*?]/.test(tail);
  return { domain, narrow: literalTail ? `${domain}|${tail}` : undefined };
}

/**
 * One key of each of a rule's entity patterns (`patternKeys`' `domain` or `narrow`): undefined
 * when the rule has no patterns or one of them has no such key.
 */
function patternsKeys(rule: Rule, part: 'domain' | 'narrow'): string[] | undefined {
  const keys = rule.entities?.map((p) => patternKeys(p)?.[part]);
  return keys?.every((k): k is string => k !== undefined) ? keys : undefined;
}

/**
 * The domains every entity a rule selects is in: its `domains`, else the literal domains of
 * its entity patterns (undefined when it has neither, or a pattern's domain is a glob).
 */
function ruleDomains(rule: Rule): string[] | undefined {
  return rule.domains ?? patternsKeys(rule, 'domain');
}

/** An entity's domain, its one key of the kinds filed by domain. */
function domainKey(s: IdFacts, into: KeyList): void {
  into.push(s.domain);
}

/** An entity's area keys (see RuleSubject): its area's id and name, and the area's aliases. */
function areaKeys(s: RuleSubject, into: KeyList, prefix: string): void {
  if (s.areaId !== undefined) into.push(prefix + s.areaId.toLowerCase());
  if (s.areaName !== undefined) into.push(prefix + s.areaName.toLowerCase());
  for (const key of s.areaKeys ?? []) into.push(prefix + key);
}

export const KINDS: readonly IndexKind[] = [
  {
    // Ids and globs with a literal ending: a handful of entities each.
    name: 'entities',
    fromId: true,
    beyondDomain: true,
    ruleKeys: (rule) => patternsKeys(rule, 'narrow'),
    subjectKeys: (s, into) => {
      into.push(s.entityId);
      if (s.entityId.length >= 2) into.push(`${s.domain}|${s.entityId.slice(-2)}`);
    },
  },
  {
    // Areas and domains together (`domains: [switch]` or `sensor.*` in an area): a rule
    // filed by its area alone was a candidate for every entity there, of every domain (at
    // 2,000 rules, 40 tests per entity in those areas, most of them failing on the domain).
    // The key is `domain|area` (a domain has no '|'), a string made per lookup.
    name: 'domain areas',
    fromId: false,
    ruleKeys: (rule) => {
      const domains = ruleDomains(rule);
      if (rule.areas === undefined || domains === undefined) return undefined;
      return domains.flatMap((d) => rule.areas!.map((a) => `${d}|${a.toLowerCase()}`));
    },
    subjectKeys: (s, into) => areaKeys(s, into, `${s.domain}|`),
  },
  {
    name: 'areas',
    fromId: false,
    ruleKeys: (rule) => rule.areas?.map((a) => a.toLowerCase()),
    subjectKeys: (s, into) => areaKeys(s, into, ''),
  },
  {
    name: 'floors',
    fromId: false,
    ruleKeys: (rule) => rule.floors?.map((f) => f.toLowerCase()),
    subjectKeys: (s, into) => {
      for (const key of s.floorKeys ?? []) into.push(key);
    },
  },
  {
    name: 'labels',
    fromId: false,
    ruleKeys: (rule) => rule.labels?.map((l) => l.toLowerCase()),
    subjectKeys: (s, into) => {
      for (const key of s.labelKeys ?? []) into.push(key);
    },
  },
  {
    name: 'device_classes',
    fromId: false,
    ruleKeys: (rule) => rule.device_classes,
    subjectKeys: (s, into) => {
      if (s.deviceClass !== undefined) into.push(s.deviceClass);
    },
  },
  {
    // Globs such as `sensor.*`: a whole domain each, so tried after areas and classes.
    name: 'entity domains',
    fromId: true,
    ruleKeys: (rule) => patternsKeys(rule, 'domain'),
    subjectKeys: domainKey,
  },
  {
    name: 'domains',
    fromId: true,
    ruleKeys: (rule) => rule.domains,
    subjectKeys: domainKey,
  },
];
