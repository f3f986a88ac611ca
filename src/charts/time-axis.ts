/** Time-axis ticks in HA's time zone: few, on round local times, labelled for a phone. */

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

/** Formatters are costly to make: a few per zone, kept. Bounded: zones are few. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, kind: 'parts' | 'time' | 'day' | 'weekday'): Intl.DateTimeFormat {
  const key = `${kind}\u0000${zone}`;
  let f = formatters.get(key);
  if (f === undefined) {
    const opts: Intl.DateTimeFormatOptions =
      kind === 'parts'
        ? {
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
            hourCycle: 'h23',
          }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : kind === 'day'
            ? { day: 'numeric', month: 'short' }
            : { weekday: 'short' };
    f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: zone });
    if (formatters.size > 64) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/**
 * Whether `zone` is a time zone this Node knows (HA's config may name one its ICU lacks).
 * Checked with the formatter the axis draws with, kept: no throwaway formatter per chart
 * (each costs about 22 KB of ICU's memory, freed only when V8 collects it).
 */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone, 'parts');
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `t` (ms; positive east of Greenwich). */
export function zoneOffset(t: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone, 'parts').formatToParts(t)) {
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

/** The time of day in the zone, as 24-hour `HH:MM`. */
export function formatTime(t: number, zone: string): string {
  return formatter(zone, 'time').format(t);
}

/** `28 Nov` in the zone. */
export function formatDay(t: number, zone: string): string {
  return formatter(zone, 'day').format(t);
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
          isMidnight && span > 12 * HOUR
            ? formatter(zone, 'weekday').format(aligned)
            : formatTime(aligned, zone),
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
