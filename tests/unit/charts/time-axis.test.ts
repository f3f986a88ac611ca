import { timeTicks, zoneOffset } from '../../../src/charts/time-axis.js';

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
