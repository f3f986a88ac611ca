import { createHmac } from 'node:crypto';

/**
 * What an HA access token says about itself without HA's signing key. Every HA access token,
 * long-lived ones included, is a JWT signed with HS256: `iss` is the id of the refresh token
 * behind it (what `auth/refresh_tokens` lists and `auth/delete_refresh_token` takes), `iat`
 * and `exp` its issue and expiry times. Nothing here ever returns the token or its signature.
 */
export interface TokenClaims {
  /** HA's refresh token id behind this access token (`iss`). */
  refreshTokenId: string | undefined;
  /** Epoch milliseconds. */
  issuedAt: number | undefined;
  expiresAt: number | undefined;
}

export type TokenShape = { ok: true; claims: TokenClaims } | { ok: false; problem: string };

export const DAY_MS = 86_400_000;

/** HA checks `exp` with 10 s of leeway. */
const EXPIRY_LEEWAY_MS = 10_000;

/** An HS256 signature is 32 bytes: 43 characters of base64url. */
const HS256_SIGNATURE_LENGTH = 43;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeObject(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const seconds = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v * 1000 : undefined;

/**
 * Checks that `token` can be an HA access token at all, as HA itself would before looking
 * up its key: a token failing this is rejected by HA for certain, so it is never sent (each
 * rejection counts towards HA's ban of the address). The problem is in words a person can
 * act on, and never quotes the token.
 */
export function inspectToken(token: string): TokenShape {
  if (token === '') return { ok: false, problem: 'is empty' };
  if (/^bearer\s/i.test(token)) {
    return { ok: false, problem: 'starts with "Bearer ": give the token alone, without it' };
  }
  if (/^["']|["']$/.test(token)) {
    return { ok: false, problem: 'is in quotes: give the token alone, without them' };
  }
  if (/\s/.test(token)) {
    return {
      ok: false,
      problem:
        'contains a space or a line break: it was copied together with other text, or across lines',
    };
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    return {
      ok: false,
      problem: `looks truncated: it has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by dots, where every Home Assistant token (a JWT) has 3. It was probably copied incompletely`,
    };
  }
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeObject(head);
  const payload = decodeObject(body);
  if (header === undefined || payload === undefined) {
    return {
      ok: false,
      problem: `looks damaged: its ${header === undefined ? 'first' : 'second'} part is not what a Home Assistant token (a JWT) holds there. Copy the token again`,
    };
  }
  if (!BASE64URL.test(signature)) {
    return { ok: false, problem: 'looks damaged: its third part (the signature) is not base64url' };
  }
  if (header.alg === 'HS256' && signature.length !== HS256_SIGNATURE_LENGTH) {
    return {
      ok: false,
      problem: `looks truncated: its signature has ${signature.length} characters where Home Assistant's have ${HS256_SIGNATURE_LENGTH}. It was probably copied incompletely`,
    };
  }
  return {
    ok: true,
    claims: {
      refreshTokenId: typeof payload.iss === 'string' ? payload.iss : undefined,
      issuedAt: seconds(payload.iat),
      expiresAt: seconds(payload.exp),
    },
  };
}

/** True once HA would refuse the token for its age alone. */
export function isExpired(claims: TokenClaims, now: number): boolean {
  return claims.expiresAt !== undefined && claims.expiresAt + EXPIRY_LEEWAY_MS < now;
}

/** The lifespan the token was created with, in whole days (HA's `lifespan`). */
export function lifespanDays(claims: TokenClaims): number | undefined {
  if (claims.issuedAt === undefined || claims.expiresAt === undefined) return undefined;
  return Math.max(1, Math.round((claims.expiresAt - claims.issuedAt) / DAY_MS));
}

/**
 * A keyed hash of the token (HMAC-SHA256 with a key of the bot's own): enough to recognise a
 * token again, useless to anyone who does not already hold the token and the key.
 */
export function tokenFingerprint(token: string, key: Buffer): string {
  return createHmac('sha256', key).update(token, 'utf8').digest('hex');
}

/** `2025-01-31` */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** "in 12 days (2025-02-12)", "today (2025-01-31)", "3 days ago (2025-01-28)". */
export function daysFromNow(ms: number, now: number): string {
  const days = Math.floor((ms - now) / DAY_MS);
  const when = isoDay(ms);
  if (ms >= now && days === 0) return `within a day (${when})`;
  if (days >= 0) return `in ${days} day${days === 1 ? '' : 's'} (${when})`;
  const ago = Math.max(1, Math.floor((now - ms) / DAY_MS));
  return `${ago} day${ago === 1 ? '' : 's'} ago (${when})`;
}
