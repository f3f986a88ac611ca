import {
  dueExpiryWarning,
  rotatedLifespanDays,
  rotationDue,
} from '../../../src/ha/token-expiry.js';
import { openDatabase } from '../../../src/storage/database.js';
import { sqliteTokenWarnings } from '../../../src/storage/token-guard.js';

const DAY = 86_400_000;
const now = Date.parse('2025-01-31T12:00:00Z');

describe('dueExpiryWarning', () => {
  const none = new Set<number>();

  it('says nothing while the token has more than 30 days', () => {
    expect(dueExpiryWarning(now + 31 * DAY, now, none)).toBeUndefined();
  });

  it('warns 30 days before, then 7 days before, each once', () => {
    expect(dueExpiryWarning(now + 30 * DAY, now, none)).toEqual({ days: 30, covers: [30] });
    expect(dueExpiryWarning(now + 20 * DAY, now, new Set([30]))).toBeUndefined();
    expect(dueExpiryWarning(now + 7 * DAY, now, new Set([30]))).toEqual({
      days: 7,
      covers: [30, 7],
    });
    expect(dueExpiryWarning(now + 2 * DAY, now, new Set([30, 7]))).toBeUndefined();
  });

  it('gives a token first seen a few days before expiry the 7-day warning only', () => {
    expect(dueExpiryWarning(now + 1 * DAY, now, none)).toEqual({ days: 7, covers: [30, 7] });
  });

  it('leaves an expired token to the rejection it gets', () => {
    expect(dueExpiryWarning(now - 1, now, none)).toBeUndefined();
  });

  it('remembers which warnings were given, per token, across restarts of the store', () => {
    const db = openDatabase(':memory:');
    const warnings = sqliteTokenWarnings(db);
    expect(warnings.given('fp-a')).toEqual(new Set());
    warnings.mark('fp-a', [30, 7], now);
    expect(sqliteTokenWarnings(db).given('fp-a')).toEqual(new Set([30, 7]));
    expect(sqliteTokenWarnings(db).given('fp-b')).toEqual(new Set());
  });
});

describe('self-rotation', () => {
  it('is due once the token is that old, or would expire before the next rotation', () => {
    const fresh = { issuedAt: now - 1 * DAY, expiresAt: now + 3649 * DAY };
    expect(rotationDue(fresh, now, 30)).toBe(false);
    expect(rotationDue({ ...fresh, issuedAt: now - 30 * DAY }, now, 30)).toBe(true);
    expect(rotationDue({ issuedAt: now, expiresAt: now + 20 * DAY }, now, 30)).toBe(true);
  });

  it("gives the new token the old one's lifespan, and never one due again at once", () => {
    expect(rotatedLifespanDays(3650, 30)).toBe(3650);
    expect(rotatedLifespanDays(1, 30)).toBe(60);
    expect(rotatedLifespanDays(undefined, 30)).toBe(3650);
    const made = { issuedAt: now, expiresAt: now + rotatedLifespanDays(1, 30) * DAY };
    expect(rotationDue(made, now, 30)).toBe(false);
  });
});
