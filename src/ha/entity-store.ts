import { STATE_MEMO, type EntityState, type StateChange, type StateContext } from './types.js';

/** HA's compressed state as sent by `subscribe_entities` (see HA websocket_api/messages.py). */
type CompressedContext =
  string | { id?: string; parent_id?: string | null; user_id?: string | null };

interface CompressedState {
  s: string;
  a?: Record<string, unknown>;
  c?: CompressedContext;
  lc?: number;
  lu?: number;
}

interface CompressedDiff {
  '+'?: Partial<CompressedState>;
  '-'?: { a?: string[] };
}

export interface EntitiesMessage {
  a?: Record<string, CompressedState>;
  c?: Record<string, CompressedDiff>;
  r?: string[];
}

export type ChangeListener = (change: StateChange) => void;

/** A diff carries only the context fields that changed: a string is a new id alone. */
const mergeContext = (c: CompressedContext | undefined, previous: StateContext): StateContext => {
  // Contexts are never changed once made: the previous one is kept as it is.
  if (c === undefined) return previous;
  if (typeof c === 'string') return { contextId: c, contextParentId: previous.contextParentId };
  return {
    contextId: c.id ?? previous.contextId,
    contextParentId: c.parent_id !== undefined ? c.parent_id : previous.contextParentId,
  };
};

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
  /** How many callers want HA's context ids kept on the states applied (see watchContexts). */
  private contextWatchers = 0;
  /** The contexts of the states applied while watched: not a field of every state. */
  private readonly contexts = new WeakMap<EntityState, StateContext>();

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
    return this.contexts.get(state) ?? NO_CONTEXT;
  }

  /**
   * Keeps HA's context ids of the states applied from now until the returned function is
   * called (a service call's waiter, see ContextWaiter); states applied while nothing watches
   * have none (contextOf). A 26-character id and two fields per state were about 64 bytes,
   * 6 MB at 100,000 entities, and only a waiter reads them. What a waiter looks for is the
   * context of a call made after it started watching, so a state carrying it, or inheriting it
   * from a diff without a context, was applied while it watched: the waiter sees the same as
   * if every id were kept.
   */
  watchContexts(): () => void {
    this.contextWatchers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.contextWatchers--;
    };
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
      // for...in, not entries(): no array of (id, diff) pairs per message on the hottest path.
      for (const entityId in changed) {
        if (Object.hasOwn(changed, entityId)) this.applyDiff(entityId, changed[entityId]!);
      }
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
    if (this.contextWatchers > 0) {
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

  private fromCompressed(entityId: string, c: CompressedState): EntityState {
    const lu = c.lu;
    const lastChanged = c.lc ?? lu ?? 0;
    const state: EntityState = {
      entityId,
      state: this.stateTexts.intern(c.s),
      attributes: c.a ?? {},
      lastChanged,
      // The same number as lastChanged when HA sent none: one heap number for both (see
      // TIMESTAMPS_TAGGED).
      lastUpdated: lu ?? lastChanged,
      // Last and in every record: one shape for all (see TIMESTAMPS_TAGGED).
      [STATE_MEMO]: undefined,
    };
    if (this.contextWatchers > 0 && c.c !== undefined)
      this.contexts.set(state, mergeContext(c.c, NO_CONTEXT));
    return state;
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

/**
 * One copy of each common state text ("on", "off", "unavailable", "20.5"): each state parsed
 * from HA's JSON is a string of its own, about 20 bytes apiece for 100,000 entities. Bounded:
 * short texts only, and at most MAX_INTERNED of them (a home's usual states fill a few hundred).
 */
class StateTexts {
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
const TIMESTAMPS_TAGGED: Readonly<Record<keyof EntityState, unknown>> = {
  entityId: '',
  state: '',
  attributes: {},
  lastChanged: '',
  lastUpdated: '',
  [STATE_MEMO]: undefined,
};

/** A diff with nothing added (only removed attributes): shared, not one `{}` per diff. */
const NO_PLUS: Partial<CompressedState> = Object.freeze({});

const NO_CONTEXT: StateContext = Object.freeze({ contextId: '', contextParentId: null });

function namesDiffer(a: EntityState['attributes'], b: EntityState['attributes']): boolean {
  return a.friendly_name !== b.friendly_name;
}
