import { newAlertId } from '../alerts/ids.js';
import { statusKeyOf, type Enqueue, type Notice } from '../alerts/types.js';
import type { Outbox } from '../storage/outbox.js';

export type { Enqueue };

/**
 * Into the outbox, counted, and the channel's delivery woken; `inBurst` groups the writes
 * of one burst into one commit. In a burst the row is queued, written with the burst's
 * others (several rows per statement) before it commits; in a caller's transaction it is
 * added at once.
 */
export function createEnqueue(opts: {
  outbox: Pick<Outbox, 'add' | 'queue'>;
  metrics: { queued(kind: string): void };
  pump: { queued(channelId: string): void };
  inBurst: () => boolean;
}): Enqueue {
  const { outbox, metrics, pump, inBurst } = opts;
  return (channelId, entry) => {
    if (inBurst()) outbox.queue(channelId, entry.kind, entry.payload, statusKeyOf(entry));
    else outbox.add(channelId, entry.kind, entry.payload, statusKeyOf(entry));
    metrics.queued(entry.kind);
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
    if (channelId) enqueue(channelId, { kind: 'notice', payload: { id: newAlertId(), ...notice } });
  };
  return { post, notify: (title, text) => post({ title, text }) };
}
