import type { EntityStore } from './entity-store.js';
import type { EntityState } from './types.js';

export interface WaitOutcome {
  /** Entities whose state changed because of the call (matched by HA context id). */
  changed: Map<string, EntityState>;
  /** Entities that showed no change from the call before the timeout. */
  pending: string[];
}

/**
 * Waits for the state changes a service call caused. HA sends state changes while the call
 * runs, often before the call's result, so recording starts before the call is made; a change
 * belongs to the call when its context (or its parent, for template and group entities that
 * act through another entity) is the call's context.
 */
export class ContextWaiter {
  private readonly seen: EntityState[] = [];
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;
  private notify: (() => void) | undefined;

  constructor(
    private readonly store: Pick<EntityStore, 'onChange' | 'get' | 'watchContexts' | 'contextOf'>,
    private readonly entityIds: readonly string[],
  ) {
    // The store keeps states' context ids only while someone watches them.
    this.unwatch = store.watchContexts();
    const wanted = new Set(entityIds);
    this.unsubscribe = store.onChange((change) => {
      if (change.newState && wanted.has(change.entityId)) {
        this.seen.push(change.newState);
        this.notify?.();
      }
    });
  }

  async wait(
    contextId: string,
    timeoutMs: number,
    isDone: (entityId: string, state: EntityState | undefined) => boolean = () => false,
  ): Promise<WaitOutcome> {
    const changed = new Map<string, EntityState>();
    const collect = (): boolean => {
      for (const s of this.seen) {
        const context = this.store.contextOf(s);
        if (context.contextId === contextId || context.contextParentId === contextId)
          changed.set(s.entityId, s);
      }
      return this.entityIds.every((id) => changed.has(id) || isDone(id, this.store.get(id)));
    };
    try {
      if (!collect()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          this.notify = () => {
            if (collect()) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
      }
    } finally {
      this.dispose();
    }
    return {
      changed,
      pending: this.entityIds.filter((id) => !changed.has(id) && !isDone(id, this.store.get(id))),
    };
  }

  dispose(): void {
    this.notify = undefined;
    this.unsubscribe();
    this.unwatch();
  }
}
