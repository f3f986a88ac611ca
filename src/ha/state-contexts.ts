import type { CompressedContext } from './compressed-state.js';
import type { EntityState, StateContext } from './types.js';

/** The context of a state none is kept for. */
export const NO_CONTEXT: StateContext = Object.freeze({ contextId: '', contextParentId: null });

/** A diff carries only the context fields that changed: a string is a new id alone. */
export const mergeContext = (
  c: CompressedContext | undefined,
  previous: StateContext,
): StateContext => {
  // Contexts are never changed once made: the previous one is kept as it is.
  if (c === undefined) return previous;
  if (typeof c === 'string') return { contextId: c, contextParentId: previous.contextParentId };
  return {
    contextId: c.id ?? previous.contextId,
    contextParentId: c.parent_id !== undefined ? c.parent_id : previous.contextParentId,
  };
};

/**
 * HA's context ids of the states the entity store applies, kept only while a caller watches
 * (`watch`). Split out of entity-store.ts (EntityStore owns one).
 */
export class StateContexts {
  /**
   * How many callers want HA's context ids kept on the states applied (see watch). The store
   * reads it on every diff: a field, not a getter.
   */
  watchers = 0;
  /** The contexts of the states applied while watched: not a field of every state. */
  private readonly contexts = new WeakMap<EntityState, StateContext>();

  /**
   * HA's context of a state the store applied while its contexts were watched; '' and null
   * for any other.
   */
  of(state: EntityState): StateContext {
    return this.contexts.get(state) ?? NO_CONTEXT;
  }

  /**
   * Keeps HA's context ids of the states applied from now until the returned function is
   * called (a service call's waiter, see ContextWaiter); states applied while nothing watches
   * have none (`of`). A 26-character id and two fields per state were about 64 bytes,
   * 6 MB at 100,000 entities, and only a waiter reads them. What a waiter looks for is the
   * context of a call made after it started watching, so a state carrying it, or inheriting it
   * from a diff without a context, was applied while it watched: the waiter sees the same as
   * if every id were kept.
   */
  watch(): () => void {
    this.watchers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.watchers--;
    };
  }

  /** Keeps `context` as the context of `state` (a state applied while watched). */
  set(state: EntityState, context: StateContext): void {
    this.contexts.set(state, context);
  }
}
