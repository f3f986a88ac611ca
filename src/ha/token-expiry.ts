import { DAY_MS } from './token.js';

/** Days before a token expires when the bot warns (once each, in the alert channel). */
export const EXPIRY_WARNING_DAYS = [30, 7] as const;

/** Which warnings were given for which token (by fingerprint), kept across restarts. */
export interface TokenWarningStore {
  given(fingerprint: string): Set<number>;
  mark(fingerprint: string, days: readonly number[], at: number): void;
}

export interface ExpiryWarning {
  /** The warning to give now: 30 or 7 (days before). */
  days: number;
  /** Every warning this one stands for (a token first seen 5 days before: 30 and 7). */
  covers: number[];
}

/**
 * The expiry warning that is due and not given yet, if any. One that is first due at 5 days
 * left is the 7-day warning, and stands for the 30-day one too: the alert channel hears
 * about a token once per threshold at most, and never the 30-day warning after the 7-day one.
 */
export function dueExpiryWarning(
  expiresAt: number,
  now: number,
  given: ReadonlySet<number>,
): ExpiryWarning | undefined {
  const left = expiresAt - now;
  // An expired token is rejected by HA: that is reported as a rejection, not a warning.
  if (left <= 0) return undefined;
  const covers = EXPIRY_WARNING_DAYS.filter((d) => left <= d * DAY_MS);
  if (covers.length === 0) return undefined;
  const days = Math.min(...covers);
  if (given.has(days)) return undefined;
  return { days, covers };
}

/**
 * With self-rotation on (`HA_TOKEN_ROTATE_DAYS`): a token is rotated once it is that many
 * days old, or when it would expire before the next rotation.
 */
export function rotationDue(
  claims: { issuedAt: number | undefined; expiresAt: number | undefined },
  now: number,
  rotateDays: number,
): boolean {
  const period = rotateDays * DAY_MS;
  if (claims.issuedAt !== undefined && now - claims.issuedAt >= period) return true;
  return claims.expiresAt !== undefined && claims.expiresAt - now < period;
}

/**
 * The lifespan of a token the bot makes for itself: the current token's, but long enough
 * that the new one is not due for rotation by its expiry at once.
 */
export function rotatedLifespanDays(current: number | undefined, rotateDays: number): number {
  return Math.max(current ?? 3650, 2 * rotateDays);
}
