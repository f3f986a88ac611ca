import { STATE_MEMO } from '../alerts/state-memo.js';

/** Home Assistant's data as the rest of the bot sees it (no library types leak out of src/ha). */

export interface EntityState {
  entityId: string;
  state: string;
  attributes: Readonly<Record<string, unknown>>;
  /** Epoch seconds, as HA's compressed stream sends them. */
  lastChanged: number;
  lastUpdated: number;
  /** Not HA's: see STATE_MEMO. */
  [STATE_MEMO]?: unknown;
}

export { STATE_MEMO };

/**
 * HA's context of a state: the id of what made it, and of what caused that (HA sets the parent
 * when an automation or script acts). Kept only while a waiter watches (EntityStore.contextOf).
 */
export interface StateContext {
  contextId: string;
  contextParentId: string | null;
}

export type ChangeKind = 'added' | 'changed' | 'removed';

export interface StateChange {
  entityId: string;
  kind: ChangeKind;
  oldState: EntityState | undefined;
  newState: EntityState | undefined;
  /** True when the state string itself changed (not only attributes or timestamps). */
  stateChanged: boolean;
  /** True when the change was found by comparing a fresh snapshot after a (re)connect. */
  fromSnapshot: boolean;
}

export interface Area {
  areaId: string;
  name: string;
  aliases: string[];
  /** HA 2024.4+: the floor the area is on. */
  floorId: string | undefined;
  /** HA 2024.4+: label ids. */
  labels: string[];
}

/** HA 2024.3+ (`config/floor_registry/list`); aliases from 2024.4. */
export interface Floor {
  floorId: string;
  name: string;
  aliases: string[];
  level: number | undefined;
}

/** HA 2024.3+ (`config/label_registry/list`); assignable from 2024.4. */
export interface Label {
  labelId: string;
  name: string;
}

/**
 * What the bot keeps of an entity's registry entry (its id is the key it is found by). HA's
 * entity name (`en`) is not kept: the bot names entities by their states' `friendly_name`.
 * Entries that say the same are one object (see Registry.setEntities).
 */
export interface EntityRegistryEntry {
  areaId: string | undefined;
  deviceId: string | undefined;
  hidden: boolean;
  entityCategory: string | undefined;
  aliases: readonly string[];
  /** Label ids on the entity itself (`lb`). */
  labels: readonly string[];
}

export interface Device {
  id: string;
  areaId: string | undefined;
  name: string;
  labels: string[];
}

export interface ServiceTarget {
  entity_id?: string | string[];
  area_id?: string | string[];
}

export interface ServiceCallResult {
  contextId: string;
  response?: unknown;
}

/** An event from HA's event bus, as `HaClient.onEvent` listeners receive it. */
export interface HaEvent {
  eventType: string;
  data: Readonly<Record<string, unknown>>;
  /** Epoch seconds when HA fired it. */
  timeFired: number;
  /** HA's context id: what HA's logbook and automation traces show for the event. */
  contextId: string;
  /** The HA user whose action fired it; null for automations and integrations. */
  userId: string | null;
}

export type HaStatus =
  | { kind: 'connecting' }
  | {
      kind: 'connected';
      haVersion: string;
      coreState: string;
      /**
       * HA itself restarted since the last connection (not just the connection dropped): it
       * said it was stopping, or was found starting. Decided in src/ha/restart.ts only.
       */
      restarted: boolean;
      /**
       * While RUNNING and not `restarted`: the latest time (HA's clock, epoch seconds) at or
       * after which more than half of HA's states last changed. A start renews them all, so HA
       * restarted after any clock the bot saw before it (src/ha/restart.ts). Absent with
       * fewer than three entities.
       */
      statesRenewedAt?: number;
    }
  | { kind: 'disconnected'; reason: string }
  | {
      kind: 'auth_invalid';
      message: string;
      /** The bot did not send the token (the login guard refused it): `message` says why. */
      notSent?: boolean;
    };

/** HA Assist's answer to a sentence, as commands need it. */
export interface AssistAnswer {
  speech: string;
  /** HA's `response_type`: `action_done`, `query_answer` or `error`. */
  kind: string;
  conversationId: string | undefined;
  /** The entities (ids, or names when HA gives no id) Assist acted on, and failed on. */
  done: string[];
  failed: string[];
}

interface RawAssistTarget {
  id?: string;
  name?: string;
}

/** `conversation/process`' result (HA components/conversation). */
export interface RawAssistResult {
  conversation_id?: string | null;
  response?: {
    response_type?: string;
    speech?: { plain?: { speech?: string } };
    data?: { success?: RawAssistTarget[]; failed?: RawAssistTarget[] };
  };
}
