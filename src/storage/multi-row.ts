import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** Rows per multi-row statement: one statement of 32 rows costs about a third of 32. */
export const ROWS_PER_STATEMENT = 32;

/**
 * Runs `<head> VALUES (?, …), (?, …) <tail>` for the rows in `values` (`columns` values a
 * row, at most ROWS_PER_STATEMENT rows), the statement for each row count prepared when first
 * needed. `row` may name parameters shared by every row (`(@channel, ?, ?)`: `columns`
 * counts only the `?`), given as `named`: a value the rows share is bound once, not per row.
 */
export function multiRowStatement(
  db: Db,
  columns: number,
  head: string,
  tail = '',
  row = `(${Array.from({ length: columns }, () => '?').join(', ')})`,
): (values: readonly unknown[], named?: Readonly<Record<string, unknown>>) => void {
  const prepared: Statement[] = [];
  return (values, named) => {
    const rows = values.length / columns;
    const statement = (prepared[rows] ??= db.prepare(
      `${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}${tail}`,
    ));
    if (named === undefined) statement.run(values);
    else statement.run(values, named);
  };
}
