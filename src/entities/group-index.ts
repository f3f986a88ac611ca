import type { WorkBudget } from './bounds.js';
import { COST, MAX_WORDS } from './bounds.js';
import type { EntityGroup, GroupType } from './groups.js';

const TYPE_ORDER: Record<GroupType, number> = { area: 0, floor: 1, label: 2 };

/**
 * Every area, floor and label, for finding one by what was typed: exact names and aliases
 * from a map (an area before a floor before a label of the same name), and, for autocomplete,
 * a search of their names paid for from the query's budget. Their entities come from the
 * search index (`SearchIndex.inGroup`), never from a scan of the entities. Built once per
 * catalog rebuild.
 */
export class GroupIndex {
  /** Areas, then floors, then labels, each in HA's order. */
  readonly all: readonly EntityGroup[];
  private readonly byFolded = new Map<string, EntityGroup[]>();
  private readonly byId = new Map<string, EntityGroup>();
  /** Per group, its folded name and aliases joined by '|', each word after a space or a '|'. */
  private readonly texts: string[];

  constructor(groups: readonly EntityGroup[]) {
    this.all = [...groups].sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
    for (const g of this.all) {
      this.byId.set(`${g.type}:${g.id}`, g);
      for (const name of new Set(g.folded)) {
        const list = this.byFolded.get(name);
        if (list === undefined) this.byFolded.set(name, [g]);
        else list.push(g);
      }
    }
    this.texts = this.all.map((g) => `|${g.folded.join('|')}`);
  }

  get size(): number {
    return this.all.length;
  }

  /** The groups whose folded name or an alias is `folded`: areas first, then floors, labels. */
  exact(folded: string): readonly EntityGroup[] {
    return this.byFolded.get(folded) ?? [];
  }

  get(type: GroupType, id: string): EntityGroup | undefined {
    return this.byId.get(`${type}:${id}`);
  }

  /** The groups of one type, in HA's order. */
  ofType(type: GroupType): EntityGroup[] {
    return this.all.filter((g) => g.type === type);
  }

  /**
   * The groups (of `types`) in which every word of `folded` starts a word of the name or an
   * alias, the best first: the name or an alias is the text itself, then starts with it, then
   * the rest, each in type order. At most `limit`; each group looked at is paid for from
   * `budget`, and the search stops when it runs out.
   */
  matching(
    folded: string,
    limit: number,
    budget: WorkBudget,
    types: readonly GroupType[] = ['area', 'floor', 'label'],
  ): EntityGroup[] {
    const words = [...new Set(folded.split(' '))].filter((w) => w !== '').slice(0, MAX_WORDS);
    if (words.length === 0 || limit <= 0) return [];
    const ranked: { g: EntityGroup; rank: number }[] = [];
    // A word starts a word of the text after a '|' or a space: both made once per query, not
    // per group (this runs on every keystroke).
    const afterBar = words.map((w) => `|${w}`);
    const afterSpace = words.map((w) => ` ${w}`);
    const hasAll = (text: string) => {
      for (let k = 0; k < words.length; k++) {
        if (!text.includes(afterBar[k]!) && !text.includes(afterSpace[k]!)) return false;
      }
      return true;
    };
    for (let i = 0; i < this.all.length; i++) {
      const g = this.all[i]!;
      if (!types.includes(g.type)) continue;
      if (!budget.charge(words.length * g.folded.length * COST.field)) break;
      if (!hasAll(this.texts[i]!)) continue;
      const rank = g.folded.includes(folded)
        ? 0
        : g.folded.some((f) => f.startsWith(folded))
          ? 1
          : 2;
      ranked.push({ g, rank });
    }
    return ranked
      .sort((a, b) => a.rank - b.rank)
      .slice(0, limit)
      .map((r) => r.g);
  }
}
