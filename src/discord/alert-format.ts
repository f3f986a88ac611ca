import { EmbedBuilder, type APIEmbed } from 'discord.js';
import type { Alert, MissedWhile, Notice } from '../alerts/types.js';
import type { Severity } from '../alerts/rule-schema.js';
import { colorFor, joinWithin, LIMITS, plain, relativeTime, safe } from './format.js';

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
