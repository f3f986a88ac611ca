import type { HaClient } from './client.js';
import { toHaError } from './errors.js';

/** One recorded state: the state and when it was set (epoch seconds, HA's clock). */
export interface RecordedState {
  state: string;
  at: number;
}

/** `history/history_during_period` with minimal_response: `s` and `lu` per row. */
type RawHistory = Record<string, { s?: unknown; lu?: unknown }[] | undefined>;

/** HA answers this when its `history` integration (with the recorder) is not loaded. */
const NO_HISTORY = 'unknown_command';

/**
 * The states HA's recorder kept for some entities since `since` (epoch seconds), the state
 * at `since` first (HA gives it the start time); undefined when this HA keeps no history (no `history:`/`recorder:`, which
 * `default_config:` loads). An entity HA records nothing for is missing from the map. Rows
 * HA has not committed yet (its recorder writes every few seconds) are not there either.
 */
export async function recordedStates(
  ha: Pick<HaClient, 'command'>,
  entityIds: readonly string[],
  since: number,
): Promise<Map<string, RecordedState[]> | undefined> {
  let raw: RawHistory;
  try {
    raw = await ha.command<RawHistory>({
      type: 'history/history_during_period',
      // Just after `since` (it has microseconds, an ISO time milliseconds): a state set at
      // `since` is then the state at the start, not a change after it.
      start_time: new Date(Math.ceil(since * 1000) + 1).toISOString(),
      entity_ids: [...entityIds],
      include_start_time_state: true,
      significant_changes_only: false,
      minimal_response: true,
      no_attributes: true,
    });
  } catch (error) {
    if (toHaError(error).code === NO_HISTORY) return undefined;
    throw error;
  }
  const result = new Map<string, RecordedState[]>();
  for (const entityId of entityIds) {
    const rows = raw?.[entityId];
    if (!Array.isArray(rows)) continue;
    const states: RecordedState[] = [];
    for (const row of rows) {
      if (typeof row?.s === 'string' && typeof row.lu === 'number')
        states.push({ state: row.s, at: row.lu });
    }
    result.set(entityId, states);
  }
  return result;
}
