/**
 * HA's entity states as `subscribe_entities` sends them (see HA websocket_api/messages.py): a
 * message's added states, diffs and removals, in their compressed form. Split out of
 * entity-store.ts, which applies them.
 */

export type CompressedContext =
  string | { id?: string; parent_id?: string | null; user_id?: string | null };

export interface CompressedState {
  s: string;
  a?: Record<string, unknown>;
  c?: CompressedContext;
  lc?: number;
  lu?: number;
}

export interface CompressedDiff {
  '+'?: Partial<CompressedState>;
  '-'?: { a?: string[] };
}

export interface EntitiesMessage {
  a?: Record<string, CompressedState>;
  c?: Record<string, CompressedDiff>;
  r?: string[];
}

/** A diff with nothing added (only removed attributes): shared, not one `{}` per diff. */
export const NO_PLUS: Partial<CompressedState> = Object.freeze({});
