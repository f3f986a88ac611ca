import { nowMicros, toSeconds, ulid } from './clock.js';
import type { CompressedDiff } from './compressed.js';

export interface StreamedChange {
  entityId: string;
  state: string;
}

/**
 * A `subscribe_entities` stream faster than the fake's state machine, which tops out near
 * 30,000 changes/s: state-only changes rendered straight into one frame, in the shape HA
 * sends them (`{c: {id: {'+': {s, lc, c}}}}`, `lc` = now, a fresh context id each), one
 * event per change, coalesced into an array as HA does with `coalesce_messages`.
 * The fake's own states do not change; send the frame with `FakeHomeAssistant.sendRaw`.
 */
export function renderStateChanges(
  subscriptionId: number,
  changes: readonly StreamedChange[],
): string {
  const messages = changes.map(({ entityId, state }) => {
    const diff: CompressedDiff = { '+': { s: state, lc: toSeconds(nowMicros()), c: ulid() } };
    return JSON.stringify({
      id: subscriptionId,
      type: 'event',
      event: { c: { [entityId]: diff } },
    });
  });
  return messages.length === 1 ? messages[0]! : `[${messages.join(',')}]`;
}

/** The id of the latest `subscribe_entities` the fake received: its events carry that id. */
export function entitiesSubscriptionId(received: readonly unknown[]): number | undefined {
  for (let i = received.length - 1; i >= 0; i--) {
    const message = received[i] as { type?: unknown; id?: unknown } | null;
    if (message?.type === 'subscribe_entities' && typeof message.id === 'number') return message.id;
  }
  return undefined;
}
