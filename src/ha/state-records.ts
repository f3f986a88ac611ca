import type { CompressedState } from './compressed-state.js';
import { mergeContext, NO_CONTEXT, type StateContexts } from './state-contexts.js';
import { STATE_MEMO, type EntityState } from './types.js';

/*
 * The entity store's state records: how one is made from HA's compressed state, and how they
 * are kept small at 100,000 entities (one copy of each common state text, timestamps held as
 * plain references). Split out of entity-store.ts.
 */

/**
 * One copy of each common state text ("on", "off", "unavailable", "20.5"): each state parsed
 * from HA's JSON is a string of its own, about 20 bytes apiece for 100,000 entities. Bounded:
 * short texts only, and at most MAX_INTERNED of them (a home's usual states fill a few hundred).
 */
export class StateTexts {
  private readonly texts = new Map<string, string>();

  intern(text: string): string {
    if (text.length > 24) return text;
    const held = this.texts.get(text);
    if (held !== undefined) return held;
    if (this.texts.size < MAX_INTERNED) this.texts.set(text, text);
    return text;
  }
}

const MAX_INTERNED = 4096;

/**
 * A state record whose timestamps are not numbers, made before any state: V8 then keeps the
 * `lastChanged` and `lastUpdated` fields of every record of this shape (each literal with these
 * six fields in this order: the store's) as plain references, not as a 16-byte
 * box of its own per field and record. The two fields then share one number when HA sent one
 * timestamp, and a diff that leaves one unchanged reuses it instead of copying it: 16 to 32
 * bytes less per entity held (about 3 MB at 100,000) and per change made. The values read are
 * the same numbers; only where V8 keeps them differs.
 */
export const TIMESTAMPS_TAGGED: Readonly<Record<keyof EntityState, unknown>> = {
  entityId: '',
  state: '',
  attributes: {},
  lastChanged: '',
  lastUpdated: '',
  [STATE_MEMO]: undefined,
};

/**
 * A state record from HA's compressed state (an added entity's, or a snapshot's), its
 * context kept in `contexts` while watched.
 */
export function fromCompressed(
  entityId: string,
  c: CompressedState,
  texts: StateTexts,
  contexts: StateContexts,
): EntityState {
  const lu = c.lu;
  const lastChanged = c.lc ?? lu ?? 0;
  const state: EntityState = {
    entityId,
    state: texts.intern(c.s),
    attributes: c.a ?? {},
    lastChanged,
    // The same number as lastChanged when HA sent none: one heap number for both (see
    // TIMESTAMPS_TAGGED).
    lastUpdated: lu ?? lastChanged,
    // Last and in every record: one shape for all (see TIMESTAMPS_TAGGED).
    [STATE_MEMO]: undefined,
  };
  if (contexts.watchers > 0 && c.c !== undefined)
    contexts.set(state, mergeContext(c.c, NO_CONTEXT));
  return state;
}
