import { randomBytes } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { Outbox, OutboxRow } from '../storage/outbox.js';
import { milestone } from '../logging/milestones.js';
import { describeDeliveryError } from './delivery-error.js';
import { composeOrSetAside, reportSetAside, SET_ASIDE } from './outbox-compose.js';

/** A message composed for the first rows of a run: the pump reads only how many it carries. */
export interface ComposedMessage {
  readonly count: number;
  /** For a message kept in place: remove it rather than post or edit it. */
  readonly remove?: boolean;
}

/**
 * What the pump needs from Discord; src/discord implements it (one renderer per kind). The
 * pump knows no kinds: it hands over rows of one kind at a time and reads only the columns.
 */
export interface DeliveryPort<M extends ComposedMessage = ComposedMessage> {
  /**
   * False while the gateway is down: nothing is attempted, nothing is lost. The pump then
   * waits for `notify()`, which src/discord calls when the gateway is up again.
   */
  isReady(): boolean;
  /**
   * The next message for these rows (oldest first, all of one kind): how many of them, from
   * the first, it carries within Discord's limits. Composed once, then posted or edited;
   * deterministic, so a resend after a crash carries the same rows.
   */
  compose(rows: readonly OutboxRow[]): M;
  /** Posts the message; the nonce makes a resend a no-op. Returns its id. */
  post(channelId: string, message: M, nonce: string): Promise<string>;
  /** Edits a message in place; false when it no longer exists. */
  edit(channelId: string, messageId: string, message: M): Promise<boolean>;
  /** Deletes a message kept in place; a message already gone is fine. */
  remove(channelId: string, messageId: string): Promise<void>;
}

/** What the pump reports; the composition root wires it to Prometheus. */
export interface DeliveryMetrics {
  /** One message (post or edit) carrying `rows` outbox rows was accepted by Discord. */
  delivered(rows: number): void;
  failed(rows: number): void;
  /** Rows dropped by the age and size limits. */
  dropped(rows: number): void;
}

export interface StatusMessages {
  get(key: string): { channelId: string; messageId: string } | undefined;
  set(key: string, channelId: string, messageId: string): void;
  delete(key: string): void;
}

export interface OutboxPumpOptions<M extends ComposedMessage = ComposedMessage> {
  outbox: Outbox;
  port: DeliveryPort<M>;
  statusMessages: StatusMessages;
  log: Logger;
  /** Discord takes about 5 messages per 5 s per channel: one message per interval stays inside it. */
  minIntervalMs?: number;
  retryDelayMs?: (attempt: number) => number;
  limits: { maxAgeMs: number; maxRows: number };
  /** How many rows one message may consider at most. */
  window?: number;
  metrics?: DeliveryMetrics;
  /**
   * Starts every batch id (the message's nonce). Random per process by default: ids restart at
   * 1 in a new database (DATA_DIR wiped), and Discord silently drops a repeated nonce within
   * its window, so "b1" again would lose the new database's first message.
   */
  batchPrefix?: string;
}

const defaultRetry = (attempt: number): number => Math.min(60_000, 500 * 2 ** attempt);

/**
 * Moves the outbox to Discord, one message at a time per channel, in order. Whatever queues
 * while a channel waits for its next slot goes out together in the next message, so a burst
 * becomes a few messages instead of minutes of singles behind 429s.
 */
export class OutboxPump<M extends ComposedMessage = ComposedMessage> {
  private readonly workers = new Map<string, Promise<void>>();
  private readonly lastSent = new Map<string, number>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private trimTimer: NodeJS.Timeout | undefined;

  private readonly batchPrefix: string;

  constructor(private readonly opts: OutboxPumpOptions<M>) {
    // 'b' + 8 hex + '-' + a row id: well inside Discord's 25 characters for a nonce.
    this.batchPrefix = opts.batchPrefix ?? `b${randomBytes(4).toString('hex')}-`;
  }

  start(): void {
    this.trim();
    this.trimTimer = setInterval(() => this.trim(), 60_000);
    this.notify();
  }

  /**
   * A row was added for `channelId`: make sure the channel has a worker. Its next slot does
   * not move, so nothing is woken, and no query runs: this is on every alert's path.
   */
  queued(channelId: string): void {
    if (!this.stopped && !this.workers.has(channelId)) this.startWorker(channelId);
  }

  /** Discord came back (or the pump starts): wake every worker, and start one per waiting channel. */
  notify(): void {
    if (this.stopped) return;
    for (const wake of this.sleepers) wake();
    for (const channelId of this.opts.outbox.channels()) this.queued(channelId);
  }

  private startWorker(channelId: string): void {
    const worker = this.run(channelId)
      .catch(async (error: unknown) => {
        // Not to be restarted at once: whatever failed would fail again, in a loop that never
        // lets the event loop turn.
        this.opts.log.error(
          { channelId, err: describeDeliveryError(error) },
          'the outbox worker of a channel failed; it starts again in 5 s',
        );
        await this.sleep(5_000);
      })
      .finally(() => {
        this.workers.delete(channelId);
        // Rows may have arrived after the worker's last look.
        if (this.opts.outbox.peek(channelId, 1).length > 0) this.queued(channelId);
      });
    this.workers.set(channelId, worker);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.trimTimer) clearInterval(this.trimTimer);
    for (const wake of this.sleepers) wake();
    await Promise.allSettled([...this.workers.values()]);
  }

  private trim(): void {
    const { byAge, bySize } = this.opts.outbox.trim(this.opts.limits);
    // A burst the size cut falls in and that cannot be opened is set aside: said now, not
    // when a worker next runs (trims matter most while Discord is down).
    reportSetAside(this.opts.outbox, this.opts.log, this.opts.metrics);
    if (byAge + bySize > 0) {
      this.opts.metrics?.dropped(byAge + bySize);
      this.opts.log.error(
        { byAge, bySize, ...this.opts.limits },
        'outbox over its limits: oldest undelivered alerts dropped (raise OUTBOX_MAX_AGE/OUTBOX_MAX_ROWS to keep more)',
      );
    }
  }

  private async run(channelId: string): Promise<void> {
    const { outbox, port, log } = this.opts;
    const interval = this.opts.minIntervalMs ?? 1000;
    let attempt = 0;
    let retryAt = 0;
    // Every sleep loops back to re-check: notify() wakes sleepers early, never past a limit.
    while (!this.stopped) {
      if (!port.isReady()) {
        await this.sleep(Infinity);
        continue;
      }
      const wait = Math.max((this.lastSent.get(channelId) ?? 0) + interval, retryAt) - Date.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      const next = this.nextMessage(channelId);
      reportSetAside(outbox, log, this.opts.metrics);
      if (next === undefined) return;
      if (next === SET_ASIDE) continue;
      const ids = next.rows.map((r) => r.id);
      let sent = true;
      try {
        sent = await this.deliver(channelId, next);
        outbox.remove(ids);
        if (sent) this.opts.metrics?.delivered(ids.length);
        attempt = 0;
        retryAt = 0;
      } catch (error) {
        outbox.recordAttempt(ids);
        this.opts.metrics?.failed(ids.length);
        const delay = (this.opts.retryDelayMs ?? defaultRetry)(attempt++);
        retryAt = Date.now() + delay;
        log.warn(
          {
            ...milestone('outbox.delivery-failed'),
            channelId,
            rows: ids.length,
            attempt,
            retryInMs: delay,
            err: describeDeliveryError(error),
          },
          'could not deliver alerts to Discord; they stay in the outbox and will be retried',
        );
      } finally {
        // A superseded status sent nothing: it must not cost the channel its next slot.
        if (sent) this.lastSent.set(channelId, Date.now());
      }
    }
  }

  /**
   * The next message: an interrupted batch again, a status edit, or a new batch of the rows
   * of one kind at the head, as many as the port says fit in one message.
   */
  private nextMessage(channelId: string): Next<M> | typeof SET_ASIDE | undefined {
    const { outbox, port } = this.opts;
    const compose = (rows: readonly OutboxRow[]) =>
      composeOrSetAside((all) => port.compose(all), outbox, rows);
    const waiting = outbox.peek(channelId, this.opts.window ?? 500);
    const head = waiting[0];
    if (head === undefined) return undefined;
    if (head.batch !== null) {
      const rows = outbox.batchRows(head.batch);
      const message = compose(rows);
      return message === SET_ASIDE ? SET_ASIDE : { rows, message };
    }
    if (head.statusKey !== null) {
      const message = compose([head]);
      return message === SET_ASIDE ? SET_ASIDE : { rows: [head], message };
    }
    const run = waiting.slice(
      0,
      indexOrLength(
        waiting,
        (r) => r.kind !== head.kind || r.statusKey !== null || r.batch !== null,
      ),
    );
    let message = compose(run);
    if (message === SET_ASIDE) return SET_ASIDE;
    if (message.count < 1) message = compose(run.slice(0, 1));
    if (message === SET_ASIDE) return SET_ASIDE;
    const batch = `${this.batchPrefix}${head.id}`;
    const rows = run.slice(0, Math.max(1, message.count)).map((r) => ({ ...r, batch }));
    outbox.assignBatch(
      rows.map((r) => r.id),
      batch,
    );
    return { rows, message };
  }

  /** Sends the message; false when there was nothing to send (a status superseded by a newer one). */
  private async deliver(channelId: string, { rows, message }: Next<M>): Promise<boolean> {
    const { port, statusMessages, outbox } = this.opts;
    const head = rows[0]!;
    if (head.statusKey === null) {
      await port.post(channelId, message, head.batch ?? `${this.batchPrefix}${head.id}`);
      return true;
    }
    const key = head.statusKey;
    // A newer status for the same key supersedes this one: only the latest is shown.
    const newer = outbox
      .peek(channelId, this.opts.window ?? 500)
      .some((r) => r.id > head.id && r.statusKey === key);
    if (newer) return false;
    const existing = statusMessages.get(key);
    if (message.remove === true) {
      // Nothing shown (never posted, or removed already): nothing to do.
      if (existing === undefined) return false;
      await port.remove(existing.channelId, existing.messageId);
      statusMessages.delete(key);
      return true;
    }
    if (existing && (await port.edit(existing.channelId, existing.messageId, message))) return true;
    const messageId = await port.post(channelId, message, `s${head.id}`);
    statusMessages.set(key, channelId, messageId);
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      // Infinity: until notify() or stop(); no timer, so nothing polls while Discord is down.
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      this.sleepers.add(done);
    });
  }
}

/** The rows one message carries, and that message, composed once. */
interface Next<M> {
  rows: OutboxRow[];
  message: M;
}

function indexOrLength<T>(list: readonly T[], predicate: (t: T) => boolean): number {
  const i = list.findIndex(predicate);
  return i === -1 ? list.length : i;
}
