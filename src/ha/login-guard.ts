import { randomBytes } from 'node:crypto';
import { inspectToken, isExpired, isoDay, tokenFingerprint } from './token.js';

/** Who made a login attempt: the bot or `npm run doctor` (they share DATA_DIR). */
export type LoginSource = 'bot' | 'doctor';

export interface RejectedToken {
  at: number;
  source: LoginSource;
}

/** Failed logins at one HA since the last successful one. */
export interface FailedLogins {
  count: number;
  lastAt: number | undefined;
}

/** Where the guard keeps what it knows; SQLite in DATA_DIR (src/storage/token-guard.ts). */
export interface LoginGuardStore {
  /** The key of the token fingerprints: made once, kept with them. */
  key(): Buffer;
  rejected(haUrl: string, fingerprint: string): RejectedToken | undefined;
  addRejected(haUrl: string, fingerprint: string, at: number, source: LoginSource): void;
  /** Whether HA accepted this token before (and has not rejected it since). */
  wasAccepted(haUrl: string, fingerprint: string): boolean;
  addAccepted(haUrl: string, fingerprint: string, at: number): void;
  failures(haUrl: string): FailedLogins;
  addFailure(haUrl: string, at: number, source: LoginSource): void;
  clearFailures(haUrl: string): void;
  /** Forgets the rejected tokens and failed logins for this HA (`doctor --retry-token`). */
  forget(haUrl: string): void;
}

/**
 * At most this many failed logins in a row (across restarts, token changes and doctor runs)
 * before the bot asks for a person: with `login_attempts_threshold: 3` or more, the bot alone
 * never gets its address banned. HA counts failed logins per address until a websocket login
 * succeeds (or HA restarts).
 */
export const MAX_FAILED_LOGINS = 2;

export type Admission = { ok: true } | { ok: false; reason: string };

const RETRY = 'npm run doctor -- --retry-token';

const sourceWords = (source: LoginSource): string =>
  source === 'doctor' ? 'in a doctor run' : 'when the bot logged in';

/**
 * Decides whether a token may be sent to Home Assistant, so that the bot never gets its own
 * address banned (HA's `http: ip_ban_enabled` with `login_attempts_threshold`):
 * - a token that cannot be an HA token (truncated, damaged) or has expired is never sent;
 * - a token HA rejected is remembered by a keyed hash (never the token) and not sent again;
 * - after MAX_FAILED_LOGINS failed logins in a row no new token is sent until a person
 *   confirms; a token HA accepted before is no guess, and may still log in (that resets
 *   HA's count).
 */
export class LoginGuard {
  private keyCache: Buffer | undefined;

  constructor(
    private readonly store: LoginGuardStore,
    private readonly haUrl: string,
    private readonly now: () => number = Date.now,
    private readonly maxFailures = MAX_FAILED_LOGINS,
  ) {}

  /** `what` names the token in the reason: `HA_TOKEN`, `The token in HA_TOKEN_FILE`. */
  admit(token: string, what = 'The token'): Admission {
    const shape = inspectToken(token);
    if (!shape.ok) {
      return {
        ok: false,
        reason: `${what} ${shape.problem}. Nothing was sent to Home Assistant. Copy the token again (Home Assistant shows it only once when it is created; if it is lost, create a new one: profile → Security → Long-lived access tokens).`,
      };
    }
    if (isExpired(shape.claims, this.now())) {
      return {
        ok: false,
        reason: `${what} expired on ${isoDay(shape.claims.expiresAt!)}, so Home Assistant would reject it; it was not sent. Create a new token (profile → Security → Long-lived access tokens).`,
      };
    }
    const fingerprint = this.fingerprint(token);
    const rejected = this.store.rejected(this.haUrl, fingerprint);
    if (rejected !== undefined) {
      return {
        ok: false,
        reason: `${what} is one Home Assistant at ${this.haUrl} already rejected (on ${isoDay(rejected.at)}, ${sourceWords(rejected.source)}), so the bot does not send it again: every failed login counts towards Home Assistant's ban of this address (http: login_attempts_threshold). Create a new token (profile → Security → Long-lived access tokens) and put it in HA_TOKEN or HA_TOKEN_FILE: a changed token is tried at once. If HA_URL was wrong, fixing it is enough. To try this token once more anyway: ${RETRY}.`,
      };
    }
    const failures = this.store.failures(this.haUrl);
    if (failures.count >= this.maxFailures && !this.store.wasAccepted(this.haUrl, fingerprint)) {
      return {
        ok: false,
        reason: `Home Assistant at ${this.haUrl} rejected ${failures.count} tokens in a row from this address (the last on ${isoDay(failures.lastAt ?? this.now())}). One more failed login could reach its ban threshold (http: login_attempts_threshold) and lock this address out, so the bot sends no further token until you confirm: check the new token (profile → Security → Long-lived access tokens) and HA_URL, then run ${RETRY}, which tries it once. (Restarting Home Assistant resets its own count of failed logins.)`,
      };
    }
    return { ok: true };
  }

  /** Home Assistant rejected the token: remember it, and count the failed login. */
  rejected(token: string, source: LoginSource): void {
    const at = this.now();
    this.store.addRejected(this.haUrl, this.fingerprint(token), at, source);
    this.store.addFailure(this.haUrl, at, source);
  }

  /**
   * A websocket login with the token succeeded: HA has reset its count of failed logins for
   * this address, and the token is known to be good.
   */
  accepted(token: string): void {
    if (this.store.failures(this.haUrl).count > 0) this.store.clearFailures(this.haUrl);
    const fingerprint = this.fingerprint(token);
    if (!this.store.wasAccepted(this.haUrl, fingerprint)) {
      this.store.addAccepted(this.haUrl, fingerprint, this.now());
    }
  }

  /** A person vouches for the token (`doctor --retry-token`): forget rejections and failures. */
  forget(): void {
    this.store.forget(this.haUrl);
  }

  fingerprint(token: string): string {
    this.keyCache ??= this.store.key();
    return tokenFingerprint(token, this.keyCache);
  }
}

/** A guard's memory for when DATA_DIR cannot be used (and for tests): one process long. */
export function memoryLoginGuardStore(): LoginGuardStore {
  const key = randomBytes(32);
  const rejected = new Map<string, RejectedToken>();
  const accepted = new Set<string>();
  const failures = new Map<string, FailedLogins>();
  return {
    key: () => key,
    rejected: (url, fp) => rejected.get(`${url}\n${fp}`),
    addRejected: (url, fp, at, source) => {
      rejected.set(`${url}\n${fp}`, { at, source });
      accepted.delete(`${url}\n${fp}`);
    },
    wasAccepted: (url, fp) => accepted.has(`${url}\n${fp}`),
    addAccepted: (url, fp) => void accepted.add(`${url}\n${fp}`),
    failures: (url) => failures.get(url) ?? { count: 0, lastAt: undefined },
    addFailure: (url, at) =>
      void failures.set(url, { count: (failures.get(url)?.count ?? 0) + 1, lastAt: at }),
    clearFailures: (url) => void failures.delete(url),
    forget: (url) => {
      failures.delete(url);
      for (const k of [...rejected.keys()]) if (k.startsWith(`${url}\n`)) rejected.delete(k);
    },
  };
}
