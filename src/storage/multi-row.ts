import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** Rows per multi-row statement: one statement of 32 rows costs about a third of 32. */
export const ROWS_PER_STATEMENT = 32;

/**
 * Runs `<head> VALUES (?, …), (?, …) <tail>` for the rows in `values` (`columns` values a
 * row, at most ROWS_PER_STATEMENT rows), the statement for each row count prepared when first
 * needed.
 */
export function multiRowStatement(
  db: Db,
  columns: number,
  head: string,
  tail = '',
): (values: readonly unknown[]) => void {
  const prepared: Statement[] = [];
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return (values) => {
    const rows = values.length / columns;
    (prepared[rows] ??= db.prepare(
      `${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}${tail}`,
    )).run(values);
  };
}
