import { Routes, type APIEmbed, type APIMessage, type Client } from 'discord.js';
import type { DeliveryPort } from '../alerts/outbox-pump.js';
import type { Alert, Notice } from '../alerts/types.js';
import type { OutboxRow } from '../storage/outbox.js';
import type { Logger } from '../logging/logger.js';
import { alertEmbed, embedSize, noticeEmbed, summaryEmbed, summaryLines } from './alert-format.js';
import { muteButtons } from './components.js';
import { LIMITS } from './format.js';
import { trackGateway } from './gateway-status.js';
import { fitHaMessages, isHaMessage, postHaMessages, type ImageSource } from './ha-message.js';

interface Composed {
  count: number;
  embeds: APIEmbed[];
  mention: { roles: string[]; users: string[] };
  /** Set for a message about one alert: it gets a Mute button. */
  entityId?: string;
}

const isNotice = (r: OutboxRow) => r.kind === 'notice';

/**
 * The message for the first rows of a run: up to 10 alerts as their own embeds when they fit
 * in Discord's 6,000 characters, else one summary embed listing as many as fit within 4,096.
 * Deterministic, so a resend after a crash builds the same message for the same rows.
 */
export function compose(rows: readonly OutboxRow[]): Composed {
  const head = rows[0];
  if (head === undefined) return { count: 0, embeds: [], mention: { roles: [], users: [] } };
  if (isNotice(head))
    return {
      count: 1,
      embeds: [noticeEmbed(head.payload as Notice)],
      mention: { roles: [], users: [] },
    };
  // A run of alerts ends where a notice or a message from HA begins: those go on their own.
  const notice = rows.findIndex((r) => isNotice(r) || isHaMessage(r));
  const run = notice === -1 ? rows : rows.slice(0, notice);
  const alerts = run.map((r) => r.payload as Alert);
  const singles = alerts.slice(0, LIMITS.embedsPerMessage).map(alertEmbed);
  if (
    alerts.length <= LIMITS.embedsPerMessage &&
    singles.reduce((n, e) => n + embedSize(e), 0) <= LIMITS.embedTotal
  ) {
    return {
      count: alerts.length,
      embeds: singles,
      mention: mentionsOf(alerts),
      ...(alerts.length === 1 ? { entityId: alerts[0]!.entityId } : {}),
    };
  }
  let count = alerts.length;
  // Grow while the summary still lists every entity in full (no "…and N more").
  const fits = (n: number) =>
    summaryLines(alerts.slice(0, n)).join('\n').length <= LIMITS.description - 200;
  if (!fits(count)) {
    let lo = 1;
    let hi = count;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    count = lo;
  }
  const included = alerts.slice(0, count);
  return { count, embeds: [summaryEmbed(included)], mention: mentionsOf(included) };
}

function mentionsOf(alerts: readonly Alert[]): Composed['mention'] {
  return {
    roles: [...new Set(alerts.flatMap((a) => a.mention.roles))],
    users: [...new Set(alerts.flatMap((a) => a.mention.users))],
  };
}

function messageBody(c: Composed): Record<string, unknown> {
  const pings = [
    ...c.mention.roles.map((r) => `<@&${r}>`),
    ...c.mention.users.map((u) => `<@${u}>`),
  ];
  return {
    ...(pings.length > 0 ? { content: pings.join(' ') } : {}),
    embeds: c.embeds,
    ...(c.entityId ? { components: muteButtons(c.entityId) } : {}),
    // Only the roles and users a rule names may be pinged; never @everyone.
    allowed_mentions: { parse: [], roles: c.mention.roles, users: c.mention.users },
  };
}

/** What messages from HA need: their pictures from HA, and a log for when one fails. */
export interface HaMessageDeps {
  images: ImageSource;
  log: Logger;
}

/** DeliveryPort over discord.js REST; readiness follows the gateway's own events. */
export function createOutboxSender(client: Client, ha?: HaMessageDeps): DeliveryPort {
  let ready = client.isReady();
  trackGateway(client, { up: () => (ready = true), down: () => (ready = false) });
  return {
    isReady: () => ready,
    fit: (rows) => (rows[0] && isHaMessage(rows[0]) ? fitHaMessages(rows) : compose(rows).count),
    async post(channelId, rows, nonce) {
      if (rows[0] && isHaMessage(rows[0])) {
        if (ha === undefined) throw new Error('messages from Home Assistant are not set up');
        return postHaMessages(client, channelId, rows, nonce, ha.images, ha.log);
      }
      const body = { ...messageBody(compose(rows)), nonce, enforce_nonce: true };
      const message = (await client.rest.post(Routes.channelMessages(channelId), {
        body,
      })) as APIMessage;
      return message.id;
    },
    async edit(channelId, messageId, row) {
      try {
        await client.rest.patch(Routes.channelMessage(channelId, messageId), {
          body: messageBody(compose([row])),
        });
        return true;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    },
  };
}
