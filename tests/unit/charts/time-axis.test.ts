import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatDay,
  formatTime,
  formatWeekday,
  isTimeZone,
  timeTicks,
  zoneOffset,
} from '../../../src/charts/time-axis.js';
import { parseTzif, tableOffset, zoneTables } from '../../../src/charts/tzif.js';
import { haTimeZone } from '../../../src/ha/history.js';

const HOUR = 3_600_000;

describe('time axis in HA’s time zone', () => {
  it('puts few ticks on round local hours', () => {
    const end = Date.UTC(2026, 11, 1, 6, 0);
    const ticks = timeTicks(end - 24 * HOUR, end, 'America/New_York');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(6);
    // New York is UTC-5 in December: 12:00 local is 17:00 UTC; midnight shows the weekday.
    expect(ticks.map((t) => t.label)).toEqual(['06:00', '12:00', '18:00', 'Tue']);
    expect(ticks[1]!.t).toBe(Date.UTC(2026, 10, 30, 17, 0));
  });

  it('labels days for long periods, and knows offsets across DST', () => {
    const end = Date.UTC(2026, 11, 1, 6, 0);
    const ticks = timeTicks(end - 30 * 24 * HOUR, end, 'Europe/Amsterdam');
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks[0]!.label).toMatch(/^\d{1,2} (Oct|Nov)$/);
    expect(zoneOffset(Date.UTC(2026, 6, 1), 'Europe/Amsterdam')).toBe(2 * HOUR);
    expect(zoneOffset(Date.UTC(2026, 11, 1), 'Europe/Amsterdam')).toBe(HOUR);
  });
});

describe('HA’s time zone for a chart', () => {
  const configWith = (zone?: string) => ({
    command: <T>() => Promise.resolve({ time_zone: zone } as T),
  });

  it('keeps a zone Node knows, and falls back to UTC for one it does not or none', async () => {
    expect(await haTimeZone(configWith('Asia/Kolkata'), isTimeZone)).toBe('Asia/Kolkata');
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(await haTimeZone(configWith('Mars/Olympus_Mons'), isTimeZone)).toBe('UTC');
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(await haTimeZone(configWith(undefined), isTimeZone)).toBe('UTC');
  });

  it('checks a zone with the axis’ own formatter: no new formatter per chart', async () => {
    const end = Date.UTC(2026, 11, 1, 6, 0);
    timeTicks(end - 24 * HOUR, end, 'Pacific/Auckland');
    const made = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      for (let i = 0; i < 3; i++) {
        expect(await haTimeZone(configWith('Pacific/Auckland'), isTimeZone)).toBe(
          'Pacific/Auckland',
        );
        timeTicks(end - 24 * HOUR, end, 'Pacific/Auckland');
      }
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });
});

/** ICU's answer (what the axis used before the tz database): the zone's offset at `t`, ms. */
function icuOffset(t: number, format: Intl.DateTimeFormat): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(t)) if (p.type !== 'literal') parts[p.type] = +p.value;
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute);
  return local + parts.second! * 1000 - Math.floor(t / 1000) * 1000;
}

describe('offsets from the system’s tz database (TZif files)', () => {
  const zones = ['Europe/Amsterdam', 'America/New_York', 'Australia/Adelaide', 'Asia/Kolkata'];
  const tables = zoneTables();

  it('has the zones HA names (Linux and the Docker image ship /usr/share/zoneinfo)', () => {
    for (const zone of [...zones, 'UTC']) expect(tables(zone)).toBeDefined();
  });

  it('gives the offsets ICU gives, across DST changes', () => {
    for (const zone of zones) {
      const table = tables(zone)!;
      const format = new Intl.DateTimeFormat('en-GB', {
        ...{ year: 'numeric', month: 'numeric', day: 'numeric' },
        ...{ hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' },
        timeZone: zone,
      });
      const times: number[] = [];
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += HOUR + 61_000) {
        times.push(t);
      }
      const fromTable = times.map((t) => `${t} ${tableOffset(table, t)}`);
      expect(fromTable).toEqual(times.map((t) => `${t} ${icuOffset(t, format)}`));
    }
  });

  it('labels ticks as en-GB does', () => {
    for (const zone of zones) {
      const intl = (options: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
      const time = intl({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      const day = intl({ day: 'numeric', month: 'short' });
      const weekday = intl({ weekday: 'short' });
      const ours: string[] = [];
      const icu: string[] = [];
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 5 * HOUR + 7 * 60_000) {
        ours.push(`${formatTime(t, zone)} ${formatDay(t, zone)} ${formatWeekday(t, zone)}`);
        icu.push(`${time.format(t)} ${day.format(t)} ${weekday.format(t)}`);
      }
      expect(ours).toEqual(icu);
    }
  });

  it('draws the axis without ICU’s date formatting where the tz database has the zone', () => {
    const made = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      const end = Date.UTC(2026, 11, 1, 6, 0);
      expect(isTimeZone('Pacific/Chatham')).toBe(true);
      const day = timeTicks(end - 24 * HOUR, end, 'Pacific/Chatham');
      const month = timeTicks(end - 30 * 24 * HOUR, end, 'Pacific/Chatham');
      expect(day.length).toBeGreaterThan(2);
      expect(month.length).toBeGreaterThan(2);
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });

  it('leaves to ICU what the file does not say: beyond its last DST rule, or no file', () => {
    const amsterdam = tables('Europe/Amsterdam')!;
    const in2100 = Date.UTC(2100, 6, 1);
    expect(tableOffset(amsterdam, in2100)).toBeUndefined();
    expect(zoneOffset(in2100, 'Europe/Amsterdam')).toBe(2 * HOUR);
    // A zone without DST keeps its last offset.
    expect(tableOffset(tables('Asia/Kolkata')!, in2100)).toBe(5.5 * HOUR);
    const none = zoneTables(mkdtempSync(join(tmpdir(), 'no-tz-')));
    expect(none('Europe/Amsterdam')).toBeUndefined();
  });

  it('reads only zone names below its directory, and only TZif files', () => {
    expect(tables('../../../etc/passwd')).toBeUndefined();
    expect(tables('/etc/passwd')).toBeUndefined();
    expect(isTimeZone('../../../etc/passwd')).toBe(false);
    expect(parseTzif(Buffer.from('not a tz file'))).toBeUndefined();
    const real = readFileSync('/usr/share/zoneinfo/Europe/Amsterdam');
    expect(parseTzif(real.subarray(0, 200))).toBeUndefined();
  });
});
