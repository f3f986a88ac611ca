/**
 * A round of LastSeen's timed writes: how many of its collected entries (the first ones, in
 * the order recorded) are left to write, HA's clock when it began (written with its last
 * turn), and the ids of its current group, sorted, from `at` on (see `nextIds`).
 */
export class WriteRound {
  private group: string[] = [];
  private at = 0;

  constructor(
    public left: number,
    readonly haClock: number,
  ) {}

  /**
   * The ids of a turn's `rows` rows (`dirty`: LastSeen's collected entries): the next of the
   * current group, the next GROUP_TURNS turns' worth of `dirty`'s first entries sorted by
   * id. The table is kept in that order (its primary key), so a turn's rows then fill a few
   * neighbouring pages of it; in the order recorded (HA's, about random against the ids)
   * each turn of 2,000 rows rewrote most of the table's pages, each written again to the
   * WAL, a few times a round. Ids written meanwhile (`flushUrgent`) are skipped: those rows
   * are spent all the same, so the round still ends once the entries it began with are
   * written, as in that order.
   */
  nextIds(dirty: ReadonlyMap<string, unknown>, rows: number): string[] {
    if (this.at === this.group.length) {
      this.group = firstKeys(dirty, Math.min(this.left, rows * GROUP_TURNS));
      // The default sort compares strings by UTF-16 code units: SQLite's BINARY order (bytes
      // of UTF-8) for entity ids, which are ASCII.
      this.group.sort();
      this.at = 0;
    }
    const end = Math.min(this.group.length, this.at + rows);
    const ids = this.group.slice(this.at, end);
    this.at = end;
    return ids;
  }
}

/**
 * Turns of a round whose ids are sorted at once (at 2,000 rows a turn, 20,000: 8-14 ms on
 * two busy cores, in the group's first turn).
 */
const GROUP_TURNS = 10;

/** The first `count` keys of `map`, in its order. */
function firstKeys<K>(map: ReadonlyMap<K, unknown>, count: number): K[] {
  const keys: K[] = [];
  for (const key of map.keys()) {
    if (keys.length >= count) break;
    keys.push(key);
  }
  return keys;
}
