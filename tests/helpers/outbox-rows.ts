/** What the outbox hands the Discord side, built for tests of its renderers. */
import type { Alert, HaMessage } from '../../src/alerts/types.js';
import type { OutboxRow } from '../../src/storage/outbox.js';

/** A row as the outbox store hands it out: for the alert channel, not sent or tried yet. */
export function outboxRow<K extends string, T>(
  id: number,
  kind: K,
  payload: T,
  statusKey: string | null = null,
): OutboxRow<T> & { kind: K } {
  return {
    id,
    channelId: '833333333333333333',
    kind,
    payload,
    statusKey,
    createdAt: 0,
    batch: null,
    attempts: 0,
  };
}

/** A discord_bridge_send message with its text only; `over` sets the rest. */
export function haMessage(over: Partial<HaMessage> = {}): HaMessage {
  return {
    id: 'm1',
    text: 'hello',
    title: undefined,
    color: undefined,
    imageEntity: undefined,
    at: 1_700_000_000,
    contextId: 'ctx',
    ...over,
  };
}

/** An info alert of rule 'doors' for a door that opened, with nothing optional set; `over` sets the rest. */
export function alertOf(over: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    ruleName: 'doors',
    entityId: 'binary_sensor.front_door',
    name: 'Front door',
    areaName: undefined,
    from: 'off',
    to: 'on',
    unit: undefined,
    at: 1_700_000_000,
    severity: 'info',
    text: undefined,
    mention: { roles: [], users: [] },
    missed: false,
    changedAndBack: false,
    statusKey: undefined,
    ...over,
  };
}
