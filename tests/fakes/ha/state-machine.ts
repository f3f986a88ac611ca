import { isoFromMicros, nowMicros } from './clock.js';
import { jsonBytes, type JoinedJson } from './json-fragments.js';
import type { FakeContext, FakeState } from './types.js';

/** A state with the exact times behind its ISO strings (epoch microseconds). */
export interface Snapshot {
  state: FakeState;
  lc: number;
  lu: number;
}

/**
 * A stored state and its JSON, made the first time an answer needs it and kept for as long as
 * the state is (a change stores a new record), as HA's State caches `as_dict_json` and
 * `as_compressed_state_json`: get_states and the subscribe_entities snapshot join these.
 */
export interface StoredState extends Snapshot {
  dictJson?: Buffer;
  /** `"<entity_id>":<compressed state>`, the snapshot's key and value. */
  compressedJson?: Buffer;
}

export interface StateChange {
  entityId: string;
  old: Snapshot | null;
  new: Snapshot | null;
  context: FakeContext;
}

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

export const isValidEntityId = (entityId: string): boolean => ENTITY_ID.test(entityId);

export const domainOf = (entityId: string): string => entityId.split('.', 1)[0] ?? '';

/** Python dict/list equality, which is what HA compares attributes with. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => key in bRecord && deepEqual(aRecord[key], bRecord[key]));
}

/**
 * HA's state machine (`hass.states.async_set`): an unchanged state and unchanged attributes
 * write nothing; an attribute-only change keeps `last_changed` and moves `last_updated`.
 */
export class StateMachine {
  readonly states = new Map<string, FakeState>();
  /** The same states in the same order, with their times and JSON. */
  private readonly stored = new Map<string, StoredState>();
  /** Each domain's number of entities, kept as they come and go (not a scan per question). */
  private readonly domainCounts = new Map<string, number>();

  constructor(
    private readonly onChange: (change: StateChange) => void,
    /** HA 2024.4+: `as_dict` lists `last_reported` (here: when the state was last written). */
    private readonly format: { lastReported?: boolean } = {},
  ) {}

  snapshot(entityId: string): Snapshot | undefined {
    return this.stored.get(entityId);
  }

  /** The domains that have entities. */
  domains(): IterableIterator<string> {
    return this.domainCounts.keys();
  }

  /** Every state, in the order they were first set. */
  all(): IterableIterator<StoredState> {
    return this.stored.values();
  }

  /** `get_states`' result, joined from each state's `as_dict` JSON. */
  statesJson(): JoinedJson {
    const parts: Buffer[] = [];
    for (const stored of this.stored.values())
      parts.push((stored.dictJson ??= jsonBytes(stored.state)));
    return { open: '[', parts, close: ']' };
  }

  /** Returns false when nothing changed (no event, as in HA). */
  set(
    entityId: string,
    state: string,
    attributes: Record<string, unknown>,
    context: FakeContext,
  ): boolean {
    if (!isValidEntityId(entityId)) throw new Error(`Invalid entity ID: ${entityId}`);
    const old = this.snapshot(entityId) ?? null;
    const sameState = old !== null && old.state.state === state;
    if (sameState && deepEqual(old.state.attributes, attributes)) return false;
    const lu = nowMicros();
    const lc = sameState ? old.lc : lu;
    const next: FakeState = {
      entity_id: entityId,
      state,
      attributes: structuredClone(attributes),
      last_changed: isoFromMicros(lc),
      ...(this.format.lastReported ? { last_reported: isoFromMicros(lu) } : {}),
      last_updated: isoFromMicros(lu),
      context: { ...context },
    };
    const stored: StoredState = { state: next, lc, lu };
    this.states.set(entityId, next);
    this.stored.set(entityId, stored);
    if (old === null) this.count(domainOf(entityId), 1);
    this.onChange({ entityId, old, new: stored, context });
    return true;
  }

  remove(entityId: string, context: FakeContext): boolean {
    const old = this.snapshot(entityId);
    if (old === undefined) return false;
    this.states.delete(entityId);
    this.stored.delete(entityId);
    this.count(domainOf(entityId), -1);
    this.onChange({ entityId, old, new: null, context });
    return true;
  }

  private count(domain: string, by: number): void {
    const count = (this.domainCounts.get(domain) ?? 0) + by;
    if (count > 0) this.domainCounts.set(domain, count);
    else this.domainCounts.delete(domain);
  }
}
