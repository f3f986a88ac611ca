import { EmbedBuilder, Routes, type APIEmbed, type Client } from 'discord.js';
import type { Alert, AlertSink, Notice } from '../alerts/types.js';
import type { Logger } from '../logging/logger.js';
import { colorFor, joinWithin, LIMITS, relativeTime, safe } from './format.js';

export interface AlertPosterOptions {
  client: Client;
  channelId: string;
  log: Logger;
  /** Alerts kept in memory while Discord is unreachable; the oldest go first beyond this. */
  maxQueued?: number;
  retryDelayMs?: (attempt: number) => number;
}

type Item = { kind: 'alert'; alert: Alert } | { kind: 'notice'; notice: Notice };

const valueText = (value: string, unit: string | undefined) => (unit ? `${value} ${unit}` : value);

export function alertEmbed(alert: Alert): APIEmbed {
  const embed = new EmbedBuilder()
    .setTitle(safe(`${alert.name}: ${valueText(alert.to, alert.unit)}`, LIMITS.title))
    .setColor(colorFor(alert.to))
    .setDescription(
      `was ${safe(valueText(alert.from, alert.unit), 500)} · ${relativeTime(alert.at)}`,
    )
    .setFooter({
      text: safe([alert.entityId, alert.areaName].filter(Boolean).join(' · '), LIMITS.footer),
    });
  return embed.toJSON();
}

/** Many alerts at once read better as one list than as a wall of embeds. */
export function coalescedEmbed(alerts: readonly Alert[]): APIEmbed {
  const lines = alerts.map(
    (a) =>
      `**${safe(a.name, 100)}** ${safe(valueText(a.from, a.unit), 60)} → ${safe(valueText(a.to, a.unit), 60)} ${relativeTime(a.at)}`,
  );
  return new EmbedBuilder()
    .setTitle(`${alerts.length} changes`)
    .setColor(0x3498db)
    .setDescription(joinWithin(lines, LIMITS.description))
    .toJSON();
}

function noticeEmbed(notice: Notice): APIEmbed {
  return new EmbedBuilder()
    .setTitle(safe(notice.title, LIMITS.title))
    .setDescription(safe(notice.text, LIMITS.description))
    .setColor(0xe74c3c)
    .toJSON();
}

const defaultRetry = (attempt: number): number => Math.min(60_000, 1000 * 2 ** attempt);

/**
 * Posts alerts to the alert channel in order, one request at a time. A backlog is sent as
 * one message (up to 10 alert embeds, or one coalesced list beyond that) instead of a queue
 * of single messages that would run into Discord's per-channel limit. A failed send is
 * retried with backoff; the nonce makes a retry of an accepted message a no-op.
 */
export class AlertPoster implements AlertSink {
  private readonly queue: Item[] = [];
  /** The message being sent: frozen until Discord accepts it, so a retry resends it exactly. */
  private inFlight: { count: number; body: Record<string, unknown> } | undefined;
  private draining = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: AlertPosterOptions) {}

  get pending(): number {
    return this.queue.length;
  }

  enqueue(alert: Alert): void {
    this.push({ kind: 'alert', alert });
  }

  notice(notice: Notice): void {
    this.push({ kind: 'notice', notice });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private push(item: Item): void {
    const max = this.opts.maxQueued ?? 5000;
    this.queue.push(item);
    if (this.queue.length > max && this.inFlight === undefined) {
      const dropped = this.queue.splice(0, this.queue.length - max);
      this.opts.log.error(
        { dropped: dropped.length, max },
        'alert queue full: oldest alerts dropped',
      );
    }
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    let attempt = 0;
    try {
      while (!this.stopped && this.queue.length > 0) {
        const batch = (this.inFlight ??= this.nextBatch());
        try {
          await this.send(batch.body);
          this.queue.splice(0, batch.count);
          this.inFlight = undefined;
          attempt = 0;
        } catch (error) {
          const delay = (this.opts.retryDelayMs ?? defaultRetry)(attempt++);
          this.opts.log.warn(
            {
              err: describeSendError(error),
              channelId: this.opts.channelId,
              pending: this.queue.length,
              retryInMs: delay,
            },
            'could not post alert to Discord, will retry',
          );
          await this.sleep(delay);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** The message for the head of the queue and how many items it carries. */
  private nextBatch(): { count: number; body: Record<string, unknown> } {
    const head = this.queue[0]!;
    if (head.kind === 'notice') {
      return { count: 1, body: { embeds: [noticeEmbed(head.notice)], nonce: head.notice.id } };
    }
    const alerts: Alert[] = [];
    for (const item of this.queue) {
      if (item.kind !== 'alert') break;
      alerts.push(item.alert);
      if (alerts.length >= 50) break;
    }
    const nonce = alerts[0]!.id;
    if (alerts.length <= LIMITS.embedsPerMessage) {
      return { count: alerts.length, body: { embeds: alerts.map(alertEmbed), nonce } };
    }
    return { count: alerts.length, body: { embeds: [coalescedEmbed(alerts)], nonce } };
  }

  private async send(body: Record<string, unknown>): Promise<void> {
    await this.opts.client.rest.post(Routes.channelMessages(this.opts.channelId), {
      body: { ...body, enforce_nonce: true, allowed_mentions: { parse: [] } },
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}

/** What a failed post means, in words an owner can act on. */
export function describeSendError(error: unknown): string {
  const status = (error as { status?: number }).status;
  if (status === 403)
    return 'the bot lacks permission in the alert channel (it needs View Channel, Send Messages and Embed Links)';
  if (status === 404) return 'the alert channel does not exist: check DISCORD_ALERT_CHANNEL_ID';
  return error instanceof Error ? error.message : String(error);
}
