import { WorkBudget } from './bounds.js';
import type { CatalogEntry } from './catalog.js';
import { closestNames } from './closest.js';
import type { GroupIndex } from './group-index.js';
import type { EntityGroup, GroupType } from './groups.js';
import { searchIndexOf, type SearchIndex } from './search-index.js';
import { search } from './search.js';
import { fold } from './text.js';

export interface CatalogView {
  list(): readonly CatalogEntry[];
  /** The list to search, its index built (EntityCatalog.searchable()); list() when absent. */
  searchable?(): readonly CatalogEntry[];
  get(entityId: string): CatalogEntry | undefined;
  groups(): GroupIndex;
}

export type MatchedBy = 'entity_id' | 'object_id' | 'name' | 'alias' | 'fuzzy';

export type Resolution =
  | { kind: 'entity'; entry: CatalogEntry; matchedBy: MatchedBy }
  /** An area, floor or label, and the entities it stands for that the command accepts. */
  | { kind: 'group'; group: EntityGroup; entries: CatalogEntry[] }
  | { kind: 'ambiguous'; candidates: CatalogEntry[] }
  | { kind: 'unsupported'; entry: CatalogEntry }
  | { kind: 'empty_group'; group: EntityGroup }
  | { kind: 'unknown'; suggestions: CatalogEntry[] };

export interface ResolveOptions {
  /** Which entities the command can act on (e.g. controllable domains). */
  accept?: (entry: CatalogEntry) => boolean;
  /** Whether an area, floor or label may stand for the entities in it. */
  allowGroups?: boolean;
  /** The work this resolution may do (see bounds.ts); a fresh QUERY_BUDGET by default. */
  budget?: WorkBudget;
}

export const MAX_CANDIDATES = 25;
/**
 * The most of what was typed that is looked at: Discord caps the options at 200 and entity
 * ids at 255, and the fuzzy pass is quadratic in the length (10,000 characters against a
 * long name took seconds).
 */
export const MAX_QUERY = 255;
// A fuzzy winner must beat the runner-up clearly, or the person picks.
const FUZZY_MIN_SCORE = 40;
const FUZZY_MARGIN = 1.3;
// A match this good that the command cannot act on is named, rather than "no match".
const UNSUPPORTED_MIN_SCORE = 80;

/** `area:kitchen`, `floor: Upstairs`, `label:christmas` (what autocomplete's group choices send). */
const EXPLICIT_GROUP = /^(area|floor|label)\s*:\s*(.+)$/i;

/**
 * Resolves what a person typed, in the order a person means it: exact entity id, an
 * explicit `area:`/`floor:`/`label:` with an id or name, object id, friendly name or alias,
 * an area, floor or label by name or alias (in that order), then fuzzy. Never guesses
 * between equals: two equally good matches come back as `ambiguous` for the person to pick.
 */
export function resolveTarget(
  catalog: CatalogView,
  raw: string,
  options: ResolveOptions = {},
): Resolution {
  const accept = options.accept ?? (() => true);
  const query = raw.trim().slice(0, MAX_QUERY);
  const folded = fold(query);
  const all = catalog.searchable?.() ?? catalog.list();

  const exact = catalog.get(query.toLowerCase());
  if (exact !== undefined) {
    return accept(exact)
      ? { kind: 'entity', entry: exact, matchedBy: 'entity_id' }
      : { kind: 'unsupported', entry: exact };
  }
  if (folded === '') return { kind: 'unknown', suggestions: [] };

  const index = searchIndexOf(all);
  const groups = options.allowGroups !== false ? catalog.groups() : undefined;
  const explicit = groups && EXPLICIT_GROUP.exec(query);
  if (groups && explicit) {
    const type = explicit[1]!.toLowerCase() as GroupType;
    const named = explicit[2]!.trim();
    const group =
      groups.get(type, named.toLowerCase()) ??
      groups.exact(fold(named)).find((g) => g.type === type);
    // Not one: an entity may be named like that ("Label: printer").
    if (group) return groupResolution(group, index, accept);
  }

  // Exact matches come from the index, without reading every entry.
  const exactly = index.exact(folded);
  const byObjectId = pick(exactly.objectId, accept, 'object_id');
  if (byObjectId) return byObjectId;
  const byName = pick(exactly.name, accept, 'name');
  if (byName) return byName;
  const byAlias = pick(exactly.alias, accept, 'alias');
  if (byAlias) return byAlias;

  // HA keeps names unique per registry; across them an area wins over a floor over a label.
  const group = groups?.exact(folded)[0];
  if (group !== undefined) return groupResolution(group, index, accept);

  // One budget for the fuzzy passes together: the search, the check for an entity the
  // command cannot act on, and the closest names.
  const budget = options.budget ?? new WorkBudget();
  const ranked = search(all, query, MAX_CANDIDATES, accept, budget, FUZZY_MIN_SCORE).filter(
    (r) => r.score >= FUZZY_MIN_SCORE,
  );
  // A ranking cut short by the budget may miss an equal or better match: never pick from
  // it, let the person pick.
  const partial = budget.exhausted;
  const [first, second] = ranked;
  if (first === undefined) {
    // Without a filter the search above already looked at every entity.
    const unsupported = options.accept
      ? search(all, query, 1, undefined, budget, UNSUPPORTED_MIN_SCORE)[0]
      : undefined;
    if (unsupported && unsupported.score >= UNSUPPORTED_MIN_SCORE)
      return { kind: 'unsupported', entry: unsupported.entry };
    return { kind: 'unknown', suggestions: closestNames(all, query, 3, accept, budget) };
  }
  if (!partial && (second === undefined || first.score >= second.score * FUZZY_MARGIN)) {
    return { kind: 'entity', entry: first.entry, matchedBy: 'fuzzy' };
  }
  return {
    kind: 'ambiguous',
    candidates: ranked.filter((r) => r.score >= first.score / FUZZY_MARGIN).map((r) => r.entry),
  };
}

function pick(
  matches: CatalogEntry[],
  accept: (e: CatalogEntry) => boolean,
  matchedBy: MatchedBy,
): Resolution | undefined {
  if (matches.length === 0) return undefined;
  const usable = matches.filter(accept);
  const [only] = usable;
  if (usable.length === 1 && only) return { kind: 'entity', entry: only, matchedBy };
  if (usable.length > 1) return { kind: 'ambiguous', candidates: usable.slice(0, MAX_CANDIDATES) };
  return undefined;
}

/**
 * The entities a group stands for that the command accepts: hidden, config and diagnostic
 * entities left out, as HA's area, device, floor and label targets leave them out.
 */
function groupResolution(
  group: EntityGroup,
  index: SearchIndex,
  accept: (e: CatalogEntry) => boolean,
): Resolution {
  const entries = index.inGroup(group).filter((e) => e.inGroupTargets && accept(e));
  return entries.length > 0 ? { kind: 'group', group, entries } : { kind: 'empty_group', group };
}
