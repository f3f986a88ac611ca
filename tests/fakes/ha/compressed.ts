import { toSeconds } from './clock.js';
import { memberBytes, type JoinedJson } from './json-fragments.js';
import { deepEqual, type Snapshot, type StateChange, type StoredState } from './state-machine.js';
import type { FakeContext } from './types.js';

/** The subscribe_entities format (HA websocket_api/messages.py). */
export interface CompressedState {
  s: string;
  a: Record<string, unknown>;
  c: string | FakeContext;
  lc: number;
  lu?: number;
}

export interface CompressedDiff {
  '+': {
    s?: string;
    a?: Record<string, unknown>;
    c?: string | Partial<FakeContext>;
    lc?: number;
    lu?: number;
  };
  '-'?: { a: string[] };
}

export type EntitiesEvent =
  { a: Record<string, CompressedState> } | { c: Record<string, CompressedDiff> } | { r: string[] };

/** `compressed_state_dict_add`: `c` is a bare id without parent/user; `lu` only if ≠ `lc`. */
export function compressedAdd(snapshot: Snapshot): CompressedState {
  const { state } = snapshot;
  const { context } = state;
  const compressed: CompressedState = {
    s: state.state,
    a: state.attributes,
    c: context.parent_id === null && context.user_id === null ? context.id : { ...context },
    lc: toSeconds(snapshot.lc),
  };
  if (snapshot.lc !== snapshot.lu) compressed.lu = toSeconds(snapshot.lu);
  return compressed;
}

/**
 * The first subscribe_entities event's `a` object: the wanted states' `as_compressed_state_json`,
 * each made once per state (HA joins the cached fragments the same way).
 */
export function compressedSnapshotJson(
  states: Iterable<StoredState>,
  wanted: (entityId: string) => boolean,
): JoinedJson {
  const parts: Buffer[] = [];
  for (const stored of states) {
    const entityId = stored.state.entity_id;
    if (!wanted(entityId)) continue;
    parts.push(
      (stored.compressedJson ??= memberBytes(entityId, JSON.stringify(compressedAdd(stored)))),
    );
  }
  return { open: '{', parts, close: '}' };
}

/** `_state_diff`: only what changed; `lc` wins over `lu`; context as id or partial object. */
export function stateDiff(old: Snapshot, next: Snapshot): CompressedDiff {
  const additions: CompressedDiff['+'] = {};
  if (old.state.state !== next.state.state) additions.s = next.state.state;
  if (old.lc !== next.lc) additions.lc = toSeconds(next.lc);
  else if (old.lu !== next.lu) additions.lu = toSeconds(next.lu);

  const oldContext = old.state.context;
  const newContext = next.state.context;
  const contextDiff: Partial<FakeContext> = {};
  if (oldContext.parent_id !== newContext.parent_id) contextDiff.parent_id = newContext.parent_id;
  if (oldContext.user_id !== newContext.user_id) contextDiff.user_id = newContext.user_id;
  if (oldContext.id !== newContext.id) {
    if (Object.keys(contextDiff).length > 0) contextDiff.id = newContext.id;
    else additions.c = newContext.id;
  }
  if (Object.keys(contextDiff).length > 0) additions.c = contextDiff;

  const oldAttributes = old.state.attributes;
  for (const [key, value] of Object.entries(next.state.attributes)) {
    // HA compares with `old_attributes.get(key)`: a new attribute whose value is None is not sent.
    if (!deepEqual(key in oldAttributes ? oldAttributes[key] : null, value)) {
      (additions.a ??= {})[key] = value;
    }
  }
  const diff: CompressedDiff = { '+': additions };
  const removed = Object.keys(oldAttributes).filter((key) => !(key in next.state.attributes));
  if (removed.length > 0) diff['-'] = { a: removed };
  return diff;
}

/** `_state_diff_event`: what one state_changed event becomes for a subscribe_entities client. */
export function entitiesEvent(change: StateChange): EntitiesEvent {
  if (change.new === null) return { r: [change.entityId] };
  if (change.old === null) return { a: { [change.entityId]: compressedAdd(change.new) } };
  return { c: { [change.entityId]: stateDiff(change.old, change.new) } };
}
