/**
 * How much work one query may cause. Resolution and autocomplete run on the event loop, so
 * one member's long or odd input must not hold up everyone else's commands: every pass over
 * what was typed or over the entities is capped here, by design rather than by hoping.
 *
 * - What is read: the fuzzy passes read the first FUZZY_CHARS folded characters and at most
 *   MAX_WORDS distinct words of them (longest first; a further word can only narrow a match).
 * - How much is done: each query gets a WorkBudget of QUERY_BUDGET units, charged before the
 *   work, so a query never does more than that however big the home or odd the input. A
 *   pass that runs out stops and says so (the resolver then never picks a fuzzy winner from a
 *   partial ranking, it asks). Everyday queries in a home of 10,000 entities spend under a
 *   tenth of it (tests/unit/entities/bounds.test.ts); at 100,000, measured, at most 77%
 *   ("front door lock" as /ha toggle, a miss: the "did you mean" pass).
 */

/** Folded characters the fuzzy passes read: longer than any name a person types out. */
export const FUZZY_CHARS = 100;
/** Distinct words the fuzzy passes match, the longest first. */
export const MAX_WORDS = 8;
/**
 * What each step of a query costs, in units of about one short string test (one query word
 * against one field of an entry: some tens of nanoseconds). Steps that stream through one
 * string or typed array are far cheaper per item than steps that read an entry, which sits
 * somewhere on the heap: in a home of 100,000 entities that read alone is a few cache misses.
 */
export const COST = {
  /**
   * Reading one entry and asking whether the command accepts it: the entry, its folded
   * fields and its haystack are separate objects, so in a large home this is several cache
   * misses, measured at about 30 field tests.
   */
  visit: 32,
  /** Reading one entry's lengths and offsets in the search index (typed arrays). */
  read: 2,
  /** One query word against one field of an entry. */
  field: 1,
  /** Characters of the index's corpus searched (indexOf) per unit. */
  scanCharsPerUnit: 32,
  /** Entries per unit in a scan of the index's typed arrays (letter masks, lengths). */
  maskScansPerUnit: 16,
  /** Vocabulary words per unit in a typo scan (lengths and letter masks, typed arrays). */
  vocabularyWordsPerUnit: 8,
  /** Characters of a name counted per unit (read in one string, for the "did you mean" filter). */
  countedCharsPerUnit: 8,
  /** Edit-distance table cells computed per unit. */
  cellsPerUnit: 2,
} as const;

/**
 * Units of work one query may spend, with COST. Calibrated with `npm run bench` (the stall
 * figure): a unit costs 20-35 ns on a busy 2-core machine in a home of 100,000 entities,
 * measured on the hostile inputs that spend it all, so about 35 ms of CPU at most (1,500,000
 * units took 47-57 ms there); a home of 10,000 never needs it all.
 */
export const QUERY_BUDGET = 1_000_000;

/** A count of work units a query may still spend; passes charge it before they work. */
export class WorkBudget {
  private used = 0;
  private ranOut = false;

  constructor(readonly limit: number = QUERY_BUDGET) {}

  /** Reserves `units`: true when they fit; false (and spent for good) when they do not. */
  charge(units: number): boolean {
    if (this.ranOut || this.used + units > this.limit) {
      this.ranOut = true;
      return false;
    }
    this.used += units;
    return true;
  }

  /** Units spent so far; never more than the limit. */
  get spent(): number {
    return this.used;
  }

  /** Whether some work was left undone for want of budget: results may be partial. */
  get exhausted(): boolean {
    return this.ranOut;
  }
}
