import {
  NO_PLUS,
  type CompressedDiff,
  type CompressedState,
  type EntitiesMessage,
} from './compressed-state.js';
import { mergeContext, StateContexts } from './state-contexts.js';
import { fromCompressed, StateTexts, TIMESTAMPS_TAGGED } from './state-records.js';
import { STATE_MEMO, type EntityState, type StateChange, type StateContext } from './types.js';

export type ChangeListener = (change: StateChange) => void;

/**
 * The bot's live copy of HA's states: one mutable Map fed straight from the
 * `subscribe_entities` stream. haws' own `subscribeEntities` copies the whole store per
 * message (about 700 changes/s at 5,000 entities); this applies each diff in place.
 */
export class EntityStore {
  private readonly states = new Map<string, EntityState>();
  private readonly stateTexts = new StateTexts();
  private readonly listeners = new Set<ChangeListener>();
  private readonly nameListeners = new Set<(entityId: string) => void>();
  private snapshotPending = false;
  private resyncPending = false;
  private version = 0;
  /** Keeps the states' shape with its timestamps as any value (see TIMESTAMPS_TAGGED). */
  private readonly shape = TIMESTAMPS_TAGGED;
  /** HA's context ids of the states applied, kept while watched (see watchContexts). */
  private readonly contexts = new StateContexts();

  /** A failing listener (an alert formatter, say) must not stop the stream for the others. */
  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  get size(): number {
    return this.states.size;
  }

  /** Increases whenever an entity is added or removed, or its name-bearing attributes change. */
  get revision(): number {
    return this.version;
  }

  get(entityId: string): EntityState | undefined {
    return this.states.get(entityId);
  }

  /**
   * The id string held for an entity (its first state's), or `entityId` for one not held:
   * every message names the entity in a string of its own, and a state keeping that one
   * would leave the map's key and the state holding two copies of each id.
   */
  private heldId(entityId: string): string {
    return this.states.get(entityId)?.entityId ?? entityId;
  }

  /** The entity's `device_class` attribute, when it has a string one. */
  deviceClass(entityId: string): string | undefined {
    const value = this.states.get(entityId)?.attributes.device_class;
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * HA's context of a state this store applied while its contexts were watched; '' and null
   * for any other.
   */
  contextOf(state: EntityState): StateContext {
    return this.contexts.of(state);
  }

  /**
   * Keeps HA's context ids of the states applied from now until the returned function is
   * called (a service call's waiter, see ContextWaiter): StateContexts.watch.
   */
  watchContexts(): () => void {
    return this.contexts.watch();
  }

  all(): IterableIterator<EntityState> {
    return this.states.values();
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called with the entity's id whenever `revision` increases for it: it was added or removed,
   * or its name changed (with or without a change of state). What a catalog needs to update
   * only the entities that changed.
   */
  onNameChange(listener: (entityId: string) => void): () => void {
    this.nameListeners.add(listener);
    return () => this.nameListeners.delete(listener);
  }

  private renamed(entityId: string): void {
    this.version++;
    for (const listener of this.nameListeners) listener(entityId);
  }

  /** The next `a` message is a full snapshot (a fresh subscription): reconcile against it. */
  expectSnapshot(): void {
    this.snapshotPending = true;
    this.resyncPending = false;
  }

  /**
   * The next `a` message is a full snapshot from a connection that replaces a live one (a
   * token switch): its differences are changes that happened meanwhile, applied as live
   * ones. A state older than the one held (the old connection was ahead) is not applied.
   */
  expectResync(): void {
    this.resyncPending = true;
    this.snapshotPending = false;
  }

  apply(message: EntitiesMessage): void {
    if (this.resyncPending && message.a !== undefined) {
      this.resyncPending = false;
      this.applyResync(message.a);
    } else if (this.snapshotPending && message.a !== undefined) {
      this.snapshotPending = false;
      this.applySnapshot(message.a);
    } else if (message.a !== undefined) {
      for (const [entityId, compressed] of Object.entries(message.a)) {
        const id = this.heldId(entityId);
        this.put(id, this.fromCompressed(id, compressed), false);
      }
    }
    const changed = message.c;
    if (changed !== undefined) {
      // entries(), not for...in: each message's `c` has a hidden class of its own (one per
      // entity id), and for...in made a list of its keys for nearly every message (72 bytes a
      // change in allocation samples at 100,000 entities); entries() reads the one key
      // directly. Its pair array is more bytes, but less CPU (CONTRIBUTING.md, Ingest).
      for (const [entityId, diff] of Object.entries(changed)) this.applyDiff(entityId, diff);
    }
    if (message.r !== undefined) {
      for (const entityId of message.r) this.remove(entityId, false);
    }
  }

  private applySnapshot(added: Record<string, CompressedState>): void {
    // The first snapshot (start-up, 100,000 entities in mind) has nothing to reconcile: no
    // set of the ids seen, and no (id, state) pair array per entity (for...in, not entries()).
    const first = this.states.size === 0;
    for (const entityId in added) {
      if (!Object.hasOwn(added, entityId)) continue;
      const id = first ? entityId : this.heldId(entityId);
      this.put(id, this.fromCompressed(id, added[entityId]!), true);
    }
    if (first) return;
    // Deleting the entry being visited is safe in a Map's iteration.
    for (const entityId of this.states.keys()) {
      if (!Object.hasOwn(added, entityId)) this.remove(entityId, true);
    }
  }

  private applyResync(added: Record<string, CompressedState>): void {
    const seen = new Set<string>();
    for (const [entityId, compressed] of Object.entries(added)) {
      seen.add(entityId);
      const next = this.fromCompressed(this.heldId(entityId), compressed);
      const held = this.states.get(entityId);
      if (held !== undefined && held.lastUpdated > next.lastUpdated) continue;
      this.put(next.entityId, next, false);
    }
    for (const entityId of [...this.states.keys()]) {
      if (!seen.has(entityId)) this.remove(entityId, false);
    }
  }

  private put(entityId: string, next: EntityState, fromSnapshot: boolean): void {
    const previous = this.states.get(entityId);
    // Two records with their own attributes: names compared (the two reads are megamorphic,
    // one shape of attributes per kind of entity).
    const renamed =
      previous !== undefined &&
      previous.attributes !== next.attributes &&
      namesDiffer(previous.attributes, next.attributes);
    this.replace(entityId, previous, next, fromSnapshot, renamed);
  }

  /**
   * `put` for a caller that has just looked up `previous` (a diff) and compared the names
   * (`renamed`): one lookup less, and a diff of the state alone (most) compares nothing.
   */
  private replace(
    entityId: string,
    previous: EntityState | undefined,
    next: EntityState,
    fromSnapshot: boolean,
    renamed: boolean,
  ): void {
    this.states.set(entityId, next);
    if (previous === undefined) {
      this.renamed(entityId);
      this.emit({
        entityId,
        kind: 'added',
        oldState: undefined,
        newState: next,
        stateChanged: true,
        fromSnapshot,
      });
      return;
    }
    if (renamed) this.renamed(entityId);
    if (previous.lastUpdated === next.lastUpdated && previous.state === next.state) return;
    this.emit({
      entityId,
      kind: 'changed',
      oldState: previous,
      newState: next,
      stateChanged: previous.state !== next.state,
      fromSnapshot,
    });
  }

  private applyDiff(entityId: string, diff: CompressedDiff): void {
    const previous = this.states.get(entityId);
    if (previous === undefined) return;
    const plus = diff['+'] ?? NO_PLUS;
    let attributes = previous.attributes;
    let renamed = false;
    const removed = diff['-']?.a;
    if (plus.a !== undefined || (removed !== undefined && removed.length > 0)) {
      const copy: Record<string, unknown> = { ...previous.attributes, ...plus.a };
      for (const key of removed ?? []) delete copy[key];
      attributes = copy;
      renamed = namesDiffer(previous.attributes, copy);
    }
    // Each timestamp read once: a read from the parsed message makes a number of its own, and
    // a field given the same one shares it (see TIMESTAMPS_TAGGED).
    const lc = plus.lc;
    const lastChanged = lc ?? previous.lastChanged;
    // Every field written at once: an object given more later (a spread) keeps them in a
    // separate array, 40 bytes more per entity.
    const next: EntityState = {
      entityId: previous.entityId,
      state: plus.s === undefined ? previous.state : this.stateTexts.intern(plus.s),
      attributes,
      lastChanged,
      lastUpdated: lc !== undefined ? lc : (plus.lu ?? previous.lastUpdated),
      [STATE_MEMO]: previous[STATE_MEMO],
    };
    if (this.contexts.watchers > 0) {
      // A diff without a context keeps the previous state's (mergeContext's rules).
      const context = mergeContext(plus.c, this.contextOf(previous));
      if (context.contextId !== '' || context.contextParentId !== null)
        this.contexts.set(next, context);
    }
    this.replace(previous.entityId, previous, next, false, renamed);
  }

  private remove(entityId: string, fromSnapshot: boolean): void {
    const previous = this.states.get(entityId);
    if (previous === undefined) return;
    this.states.delete(entityId);
    this.renamed(entityId);
    this.emit({
      entityId,
      kind: 'removed',
      oldState: previous,
      newState: undefined,
      stateChanged: true,
      fromSnapshot,
    });
  }

  /** A state record from HA's compressed state (see state-records.ts). */
  private fromCompressed(entityId: string, c: CompressedState): EntityState {
    return fromCompressed(entityId, c, this.stateTexts, this.contexts);
  }

  private emit(change: StateChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

function namesDiffer(a: EntityState['attributes'], b: EntityState['attributes']): boolean {
  return a.friendly_name !== b.friendly_name;
}
