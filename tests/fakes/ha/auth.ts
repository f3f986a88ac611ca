import { createHmac, randomBytes } from 'node:crypto';
import { isoFromMicros } from './clock.js';
import type { HaConnection } from './connection.js';
import type { Schema } from './schema.js';
import type { HaError } from './types.js';

const DAY_S = 86_400;

/**
 * An access token shaped as HA makes them: an HS256 JWT whose `iss` is the refresh token's id,
 * with `iat` and `exp` (epoch seconds). The signature is an HMAC of the rest with `key`, so the
 * same inputs give the same token.
 */
export function fakeJwt(
  claims: { iss: string; iat: number; exp: number },
  key: string | Buffer = randomBytes(32),
): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** A token for tests that must not depend on the clock: issued 2024-01-01, valid for 20 years. */
export function fixedFakeToken(name: string): string {
  const iat = Date.parse('2024-01-01T00:00:00Z') / 1000;
  const iss = createHmac('sha256', 'fake-ha-issuer').update(name).digest('hex').slice(0, 32);
  return fakeJwt({ iss, iat, exp: iat + 20 * 365 * DAY_S }, `fake-ha-key-${name}`);
}

/** One entry of the user's refresh tokens, as `auth/refresh_tokens` lists it (HA 2024.3). */
export interface FakeRefreshToken {
  id: string;
  clientName: string | null;
  type: 'long_lived_access_token' | 'normal';
  createdAt: number;
  /** Epoch ms; undefined: never. */
  expiresAt: number | undefined;
}

function claimsOf(token: string): { iss?: unknown; iat?: unknown; exp?: unknown } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as object;
  } catch {
    return undefined;
  }
}

/**
 * The fake's token store: which access tokens are valid, with the refresh token behind each,
 * as HA's auth does it for one user. Removing a refresh token revokes its access token and
 * closes the websocket connections that logged in with it, as HA does.
 */
export class FakeAuth {
  private readonly tokens = new Map<string, FakeRefreshToken>();
  private readonly revokeListeners = new Set<(token: string) => void>();

  /** Accepts a token given by a test (any string; a JWT keeps its iss, iat and exp). */
  accept(token: string, clientName: string | null = null): void {
    const claims = claimsOf(token);
    const iat = typeof claims?.iat === 'number' ? claims.iat * 1000 : Date.now();
    this.tokens.set(token, {
      id: typeof claims?.iss === 'string' ? claims.iss : randomBytes(16).toString('hex'),
      clientName,
      type: 'long_lived_access_token',
      createdAt: iat,
      expiresAt: typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined,
    });
  }

  /**
   * What `auth/long_lived_access_token` does: a new refresh token and its access token. Like
   * HA, a second long-lived token of the same name is refused.
   */
  issue(clientName: string, lifespanDays: number, now = Date.now()): string {
    for (const t of this.tokens.values()) {
      if (t.type === 'long_lived_access_token' && t.clientName === clientName) {
        throw new Error(`${clientName} already exists`);
      }
    }
    const id = randomBytes(16).toString('hex');
    const iat = Math.floor(now / 1000);
    const token = fakeJwt({ iss: id, iat, exp: iat + lifespanDays * DAY_S });
    this.tokens.set(token, {
      id,
      clientName,
      type: 'long_lived_access_token',
      createdAt: now,
      expiresAt: (iat + lifespanDays * DAY_S) * 1000,
    });
    return token;
  }

  isValid(token: string, now = Date.now()): boolean {
    const entry = this.tokens.get(token);
    // HA checks exp with 10 s of leeway.
    return entry !== undefined && (entry.expiresAt === undefined || entry.expiresAt + 10_000 > now);
  }

  /** Revokes every token but `keep` (the `token` setter of the fake: one valid token). */
  only(keep: string): void {
    for (const token of [...this.tokens.keys()]) if (token !== keep) this.revoke(token);
    if (!this.tokens.has(keep)) this.accept(keep);
  }

  revoke(token: string): boolean {
    if (!this.tokens.delete(token)) return false;
    for (const listener of this.revokeListeners) listener(token);
    return true;
  }

  revokeId(id: string): boolean {
    const found = [...this.tokens].find(([, t]) => t.id === id);
    return found !== undefined && this.revoke(found[0]);
  }

  onRevoke(listener: (token: string) => void): void {
    this.revokeListeners.add(listener);
  }

  get refreshTokens(): FakeRefreshToken[] {
    return [...this.tokens.values()];
  }

  idOf(token: string): string | undefined {
    return this.tokens.get(token)?.id;
  }

  /** `auth/refresh_tokens`' result for a connection that logged in with `current`. */
  list(current: string | undefined): Record<string, unknown>[] {
    const currentId = current === undefined ? undefined : this.idOf(current);
    return this.refreshTokens.map((t) => ({
      id: t.id,
      client_id: null,
      client_name: t.clientName,
      client_icon: null,
      type: t.type,
      created_at: isoFromMicros(t.createdAt * 1000),
      is_current: t.id === currentId,
      last_used_at: isoFromMicros(t.createdAt * 1000),
      last_used_ip: '127.0.0.1',
      auth_provider_type: null,
    }));
  }
}

/** The auth commands of HA's websocket API (homeassistant/components/auth, 2024.3). */
export const AUTH_SCHEMAS = {
  'auth/refresh_tokens': { required: {} },
  'auth/long_lived_access_token': {
    required: { lifespan: 'int', client_name: 'str' },
    optional: { client_icon: 'str' },
  },
  'auth/delete_refresh_token': { required: { refresh_token_id: 'str' } },
} as const satisfies Record<string, Schema>;

/** Runs one of AUTH_SCHEMAS' commands (already validated) for a connection. */
export function runAuthCommand(
  auth: FakeAuth,
  conn: HaConnection,
  msg: Record<string, unknown>,
): { result: unknown } | { error: HaError } {
  switch (msg.type) {
    case 'auth/long_lived_access_token':
      try {
        return { result: auth.issue(msg.client_name as string, msg.lifespan as number) };
      } catch {
        // HA's ValueError ("... already exists") surfaces as an unknown error.
        return { error: { code: 'unknown_error', message: 'Unknown error' } };
      }
    case 'auth/delete_refresh_token': {
      const id = msg.refresh_token_id as string;
      if (!auth.refreshTokens.some((t) => t.id === id)) {
        return { error: { code: 'invalid_token_id', message: 'Received invalid token' } };
      }
      // After the result is sent: revoking the connection's own token closes it.
      setImmediate(() => auth.revokeId(id));
      return { result: {} };
    }
    default:
      return { result: auth.list(conn.token) };
  }
}
