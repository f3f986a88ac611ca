import { jest } from '@jest/globals';
import { isTimeZone, timeTicks, zoneOffset } from '../../../src/charts/time-axis.js';
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
