import { newAlertId } from '../alerts/ids.js';
import type { Notice, OutboxKind } from '../alerts/types.js';

/** Puts a message in the durable outbox: nothing is lost while Discord is down. */
export type Enqueue = (channelId: string, kind: OutboxKind, payload: unknown) => void;

/** Into the outbox, counted, and the channel's delivery woken. */
export function createEnqueue(
  outbox: { add(channelId: string, kind: string, payload: unknown): unknown },
  metrics: { queued(kind: string): void },
  pump: { queued(channelId: string): void },
): Enqueue {
  return (channelId, kind, payload) => {
    outbox.add(channelId, kind, payload);
    metrics.queued(kind);
    pump.queued(channelId);
  };
}

/** Notices about the bridge itself, for the alert channel; none when it is not set. */
export function alertChannelNotices(
  channelId: string | undefined,
  enqueue: Enqueue,
): {
  post: (notice: Omit<Notice, 'id'>) => void;
  notify: (title: string, text: string) => void;
} {
  const post = (notice: Omit<Notice, 'id'>): void => {
    if (channelId) enqueue(channelId, 'notice', { id: newAlertId(), ...notice });
  };
  return { post, notify: (title, text) => post({ title, text }) };
}
