import type { Logger } from '../logging/logger.js';
import type { Outbox, OutboxRow } from '../storage/outbox.js';
import { describeDeliveryError } from './delivery-error.js';

/** compose() made no message: the rows were set aside instead, so the pump looks again. */
export const SET_ASIDE = Symbol('set aside');

/**
 * The message for `rows`; when none can be made (a bug, or a payload a renderer cannot
 * handle), the rows that fail on their own are set aside (all of them when none does), so
 * that they do not hold up the channel at every try.
 */
export function composeOrSetAside<M>(
  compose: (rows: readonly OutboxRow[]) => M,
  outbox: Pick<Outbox, 'setAside'>,
  rows: readonly OutboxRow[],
): M | typeof SET_ASIDE {
  try {
    return compose(rows);
  } catch (error) {
    const failing = rows.filter((row) => {
      try {
        compose([row]);
        return false;
      } catch {
        return true;
      }
    });
    outbox.setAside(
      failing.length > 0 ? failing : rows,
      `no message could be made of it: ${describeDeliveryError(error)}`,
    );
    return SET_ASIDE;
  }
}

/** Logs and counts the rows the outbox set aside (unreadable, or no message made of them). */
export function reportSetAside(
  outbox: Pick<Outbox, 'takeSetAside'>,
  log: Logger,
  metrics?: { dropped(rows: number): void },
): void {
  const rows = outbox.takeSetAside();
  if (rows.length === 0) return;
  metrics?.dropped(rows.length);
  for (const row of rows.slice(0, 10)) {
    log.error(
      { ...row, setAside: rows.length },
      'an outbox row could not be delivered and was set aside (kept in the outbox_set_aside table of DATA_DIR/bridge.db); please report it',
    );
  }
}
