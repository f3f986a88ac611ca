import { EmbedBuilder, type APIEmbed } from 'discord.js';
import type { Alert, MissedWhile, Notice } from '../alerts/types.js';
import type { AlertCharts } from '../charts/alert-chart.js';
import type { Severity } from '../alerts/rule-schema.js';
import { muteButtons } from './components.js';
import { colorFor, joinWithin, LIMITS, plain, relativeTime, safe } from './format.js';
import type { MessageRequest, RenderedMessage, RowOf } from './renderers.js';

const SEVERITY_COLORS: Record<Exclude<Severity, 'info'>, number> = {
  warning: 0xe67e22,
  critical: 0xe74c3c,
};

const NOTICE_INFO_COLOR = 0x3498db;

const withUnit = (value: string, unit: string | undefined) => (unit ? `${value} ${unit}` : value);

/** What kept the bot from seeing it (alerts queued by older versions say nothing: disconnected). */
const WHILE: Record<MissedWhile, string> = {
  disconnected: 'the bot was disconnected',
  ha_restart: 'Home Assistant restarted',
  bot_offline: 'the bot was offline',
};

function alertDescription(a: Alert): string {
  const when = relativeTime(a.at);
  const where = WHILE[a.missedWhile ?? 'disconnected'];
  if (a.changedAndBack) {
    // What it took in between, when known: "on → off → on"; else "on → … → on".
    const middle = a.via !== undefined && a.via.length > 0 ? a.via : ['…'];
    const chain = [a.from, ...middle, a.to].map((v) => safe(withUnit(v, a.unit), 100)).join(' → ');
    return `Changed while ${where}: ${chain} (last change ${when}).`;
  }
  const lines: string[] = [];
  if (a.text) lines.push(safe(a.text, 3000));
  lines.push(`was ${safe(withUnit(a.from, a.unit), 500)} · ${when}`);
  if (a.missed)
    lines.push(
      a.missedWhile === 'disconnected' || a.missedWhile === undefined
        ? `_Missed while ${where}._`
        : `_Changed while ${where}._`,
    );
  return lines.join('\n');
}

export function alertEmbed(a: Alert): APIEmbed {
  const color = a.severity === 'info' ? colorFor(a.to) : SEVERITY_COLORS[a.severity];
  return new EmbedBuilder()
    .setTitle(safe(`${a.name}: ${withUnit(a.to, a.unit)}`, LIMITS.title))
    .setColor(color)
    .setDescription(alertDescription(a))
    .setFooter({
      text: plain([a.entityId, a.areaName, a.ruleName].filter(Boolean).join(' · '), LIMITS.footer),
    })
    .toJSON();
}

export function noticeEmbed(n: Notice): APIEmbed {
  return new EmbedBuilder()
    .setTitle(safe(n.title, LIMITS.title))
    .setDescription(safe(n.text, LIMITS.description))
    .setColor(n.severity === 'info' ? NOTICE_INFO_COLOR : SEVERITY_COLORS[n.severity ?? 'critical'])
    .toJSON();
}

/** One line per entity: repeated changes of one entity collapse into first → last (n changes). */
export function summaryLines(alerts: readonly Alert[]): string[] {
  const groups = new Map<string, { first: Alert; last: Alert; count: number }>();
  for (const a of alerts) {
    const g = groups.get(a.entityId);
    if (g) {
      g.last = a;
      g.count++;
    } else groups.set(a.entityId, { first: a, last: a, count: 1 });
  }
  return [...groups.values()].map(({ first, last, count }) => {
    const from = safe(withUnit(first.from, first.unit), 60);
    const to = safe(withUnit(last.to, last.unit), 60);
    const times = count > 1 ? ` (${count} changes)` : '';
    const missed = last.missed ? ' _(missed)_' : '';
    return `**${safe(last.name, 80)}** ${from} → ${to}${times} ${relativeTime(last.at)}${missed}`;
  });
}

export function summaryEmbed(alerts: readonly Alert[]): APIEmbed {
  const first = alerts[0]!;
  const last = alerts[alerts.length - 1]!;
  const span = Math.max(1, Math.round(last.at - first.at));
  const worst = alerts.some((a) => a.severity === 'critical')
    ? SEVERITY_COLORS.critical
    : alerts.some((a) => a.severity === 'warning')
      ? SEVERITY_COLORS.warning
      : 0x3498db;
  return new EmbedBuilder()
    .setTitle(`${alerts.length} changes in the last ${span} s`)
    .setColor(worst)
    .setDescription(joinWithin(summaryLines(alerts), LIMITS.description))
    .toJSON();
}

export function embedSize(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

interface Composed {
  count: number;
  embeds: APIEmbed[];
  mention: { roles: string[]; users: string[] };
  /** Set for a message about one alert: it gets a Mute button. */
  entityId?: string;
  /** The alert whose chart the message carries (one per message), by its embed's index. */
  chart?: { index: number; alert: Alert & { chartMs: number } };
}

/** Alerts without a chart need nothing fetched: their request is there at once. */
export interface RenderedAlerts extends RenderedMessage {
  request(): MessageRequest;
}

/** Room kept in an embed for "Chart not attached: …", so fitting does not depend on it. */
const CHART_NOTE_RESERVE = 200;
const CHART_FILE = 'chart.png';
const NO_ATTACH_FILES =
  "the bot lacks Attach Files in this channel (allow it in the channel's permissions)";

/**
 * The message for the first alerts: up to 10 as their own embeds when they fit in Discord's
 * 6,000 characters, else one summary embed listing as many as fit within 4,096.
 * Deterministic, so a resend after a crash builds the same message for the same rows.
 * With `charts`, the first alert of a rule with `chart:` among its own embeds gets its chart,
 * drawn when the message goes out (a summary of many gets none: one chart per message).
 */
export function renderAlerts(rows: readonly RowOf<'alert' | 'status'>[]): RenderedAlerts;
export function renderAlerts(
  rows: readonly RowOf<'alert' | 'status'>[],
  charts: AlertCharts | undefined,
): RenderedMessage;
export function renderAlerts(
  rows: readonly RowOf<'alert' | 'status'>[],
  charts?: AlertCharts,
): RenderedMessage {
  const composed = composeAlerts(rows.map((r) => r.payload));
  const chart = composed.chart;
  if (chart === undefined || charts === undefined)
    return { count: composed.count, request: () => ({ body: messageBody(composed) }) };
  return {
    count: composed.count,
    request: async (): Promise<MessageRequest> => {
      const { alert, index } = chart;
      const drawn = await charts.draw(
        [
          {
            entityId: alert.entityId,
            label: alert.name,
            ...(alert.unit ? { unit: alert.unit } : {}),
          },
        ],
        alert.chartMs,
        chartMarks(alert),
      );
      const withNote = (why: string) =>
        messageBody({
          ...composed,
          embeds: composed.embeds.map((e, i) =>
            i === index
              ? { ...e, description: `${e.description ?? ''}\n_Chart not attached: ${why}._` }
              : e,
          ),
        });
      if (!drawn.ok) return { body: withNote(drawn.why) };
      const body = messageBody({
        ...composed,
        embeds: composed.embeds.map((e, i) =>
          i === index ? { ...e, image: { url: `attachment://${CHART_FILE}` } } : e,
        ),
      });
      return {
        body,
        files: [{ name: CHART_FILE, data: drawn.png, contentType: 'image/png' }],
        withoutFiles: {
          body: withNote(NO_ATTACH_FILES),
          log: { alertId: alert.id, rule: alert.ruleName },
        },
      };
    },
  };
}

/** A notice goes alone. */
export function renderNotice(rows: readonly RowOf<'notice'>[]): RenderedMessage {
  const body = messageBody({
    count: 1,
    embeds: [noticeEmbed(rows[0]!.payload)],
    mention: { roles: [], users: [] },
  });
  return { count: 1, request: () => ({ body }) };
}

/** The rule's thresholds as the chart marks them: `above 25 °C`. */
function chartMarks(a: Alert): { value: number; label: string }[] {
  const unit = a.unit ? ` ${a.unit}` : '';
  const marks: { value: number; label: string }[] = [];
  const { above, below } = a.chartMarks ?? {};
  if (above !== undefined) marks.push({ value: above, label: `above ${above}${unit}` });
  if (below !== undefined) marks.push({ value: below, label: `below ${below}${unit}` });
  return marks;
}

function composeAlerts(alerts: readonly Alert[]): Composed {
  const singles = alerts.slice(0, LIMITS.embedsPerMessage).map(alertEmbed);
  const charted = alerts
    .slice(0, LIMITS.embedsPerMessage)
    .findIndex((a) => a.chartMs !== undefined);
  if (
    alerts.length <= LIMITS.embedsPerMessage &&
    singles.reduce((n, e) => n + embedSize(e), 0) + (charted === -1 ? 0 : CHART_NOTE_RESERVE) <=
      LIMITS.embedTotal
  ) {
    const alert = alerts[charted];
    return {
      count: alerts.length,
      embeds: singles,
      mention: mentionsOf(alerts),
      ...(alerts.length === 1 ? { entityId: alerts[0]!.entityId } : {}),
      ...(alert?.chartMs !== undefined
        ? { chart: { index: charted, alert: { ...alert, chartMs: alert.chartMs } } }
        : {}),
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
