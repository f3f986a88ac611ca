/** Time-axis ticks in HA's time zone: few, on round local times, labelled for a phone. */

import { tableOffset, zoneTables } from './tzif.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
];
/** At most this many labels fit 800 px at 22 px type. */
const MAX_TICKS = 5;

export interface Tick {
  t: number;
  label: string;
}

/**
 * Offsets come from the system's tz database where it has the zone (tzif.ts), else from ICU:
 * a formatter per zone, kept (each costs about 22 KB of ICU's memory, freed only when V8
 * collects it). Bounded: zones are few. Labels are made from the local time, in English as
 * en-GB writes them, with no formatter: ICU's date formatting is used only for a zone the
 * tz database lacks (about 7 MB of the bot's RSS the first time; see tzif.ts).
 */
const tables = zoneTables();
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      timeZone: zone,
    });
    if (formatters.size > 64) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Whether `zone` is a time zone the bot can draw (HA's config may name one neither the tz
 * database nor Node's ICU has). ICU is asked only for a zone the tz database lacks, with the
 * formatter the axis then keeps: no throwaway formatter per chart.
 */
export function isTimeZone(zone: string): boolean {
  if (tables(zone) !== undefined) return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `t` (ms; positive east of Greenwich). */
export function zoneOffset(t: number, zone: string): number {
  const table = tables(zone);
  const known = table && tableOffset(table, t);
  if (known !== undefined) return known;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(t)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const local = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return local - Math.floor(t / 1000) * 1000;
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `t` in the zone, as a Date whose UTC fields are the local ones. */
const localDate = (t: number, zone: string) => new Date(t + zoneOffset(t, zone));
const twoDigits = (n: number) => String(n).padStart(2, '0');

/** The time of day in the zone, as 24-hour `HH:MM`. */
export function formatTime(t: number, zone: string): string {
  const local = localDate(t, zone);
  return `${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}`;
}

/** `28 Nov` in the zone. */
export function formatDay(t: number, zone: string): string {
  const local = localDate(t, zone);
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]}`;
}

/** `Tue` in the zone. */
export function formatWeekday(t: number, zone: string): string {
  return WEEKDAYS[localDate(t, zone).getUTCDay()]!;
}

export function timeTicks(start: number, end: number, zone: string): Tick[] {
  const span = end - start;
  const step = STEPS.find((s) => span / s <= MAX_TICKS) ?? Math.ceil(span / MAX_TICKS / DAY) * DAY;
  const ticks: Tick[] = [];
  if (step < DAY) {
    const off = zoneOffset(start, zone);
    let t = Math.ceil((start + off) / step) * step - off;
    for (let n = 0; t <= end && n < 50; n++, t += step) {
      // Re-align across a DST change.
      const o = zoneOffset(t, zone);
      const aligned = Math.round((t + o) / step) * step - o;
      if (aligned < start || aligned > end) continue;
      const isMidnight = (aligned + o) % DAY === 0;
      ticks.push({
        t: aligned,
        label:
          isMidnight && span > 12 * HOUR ? formatWeekday(aligned, zone) : formatTime(aligned, zone),
      });
    }
  } else {
    const off = zoneOffset(start, zone);
    let t = Math.ceil((start + off) / DAY) * DAY - off;
    for (let n = 0; t <= end && n < 50; n++) {
      ticks.push({ t, label: formatDay(t, zone) });
      const next = t + step;
      t = Math.round((next + zoneOffset(next, zone)) / DAY) * DAY - zoneOffset(next, zone);
    }
  }
  return ticks.slice(0, MAX_TICKS + 1);
}

/** A period as people write it back: `24 h`, `7 d`, `90 min`. */
export function periodText(ms: number): string {
  if (ms % DAY === 0 && ms > 2 * DAY) return `${ms / DAY} d`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  return `${Math.round(ms / MINUTE)} min`;
}
