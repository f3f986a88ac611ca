import {
  readTokenFile,
  tokenFileWriteProblem,
  watchTokenFile,
  writeTokenFileAtomically,
} from '../config/token-file.js';
import type { Logger } from '../logging/logger.js';
import { toHaError } from './errors.js';
import type { LoginGuard } from './login-guard.js';
import type { Credentials } from './socket.js';
import { RotationSchedule } from './token-rotation-schedule.js';
import { loginOnce, resetFailedLogins } from './token-second-login.js';
import { rotateToken } from './token-self-rotation.js';
import type { HaStatus } from './types.js';
import { milestone } from '../logging/milestones.js';

/** What the token manager needs of the HA client. */
export interface TokenHa {
  readonly status: HaStatus;
  onStatus(listener: (status: HaStatus) => void): () => void;
  switchToken(token: string, login: Credentials): Promise<void>;
  checkToken(token: string, login: Credentials): Promise<void>;
  retryLogin(): void;
  command<T>(message: { type: string; [key: string]: unknown }, timeoutMs?: number): Promise<T>;
}

export interface TokenManagerOptions {
  /** The token the bot started with (HA_TOKEN, or HA_TOKEN_FILE's content). */
  initial: string;
  /** HA_TOKEN_FILE: watched for a new token, and where self-rotation writes one. */
  file?: string;
  /** HA_TOKEN_ROTATE_DAYS: self-rotation (off when undefined). */
  rotateDays?: number;
  guard: LoginGuard;
  log: Logger;
  /** A notice for the alert channel. */
  notify: (title: string, text: string) => void;
  readFile?: (path: string) => string;
  writeFile?: (path: string, token: string) => void;
  /** Why the file cannot be replaced (for self-rotation), or undefined. */
  writeProblem?: (path: string) => string | undefined;
  watch?: typeof watchTokenFile;
  now?: () => number;
  /** How often the file is read even when no change was reported (default 60 s). */
  pollMs?: number;
  /** Each token the bot comes to hold, as soon as it does: to mask it in the log. */
  onSecret?: (token: string) => void;
}

/**
 * The bot's HA token over its life: which one is in use, a new one in HA_TOKEN_FILE taken
 * over with no downtime (watched, and re-read on SIGHUP and when HA rejects the token), and
 * self-rotation. Every login goes through the login guard (src/ha/login-guard.ts). Token
 * changes are serialised: one at a time.
 */
export class TokenManager implements Credentials {
  private currentToken: string;
  /** A token from the file to log in with next, when there is no connection to switch. */
  private pending: string | undefined;
  /** A token from the file that waits for HA to be connected, to switch to it. */
  private deferred: string | undefined;
  private readonly known: string[];
  private readonly listeners = new Set<(token: string) => void>();
  private queue: Promise<void> = Promise.resolve();
  private ha: TokenHa | undefined;
  private stopWatching: (() => void) | undefined;
  private stopFollowing: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly rotation: RotationSchedule;
  private readonly now: () => number;

  constructor(private readonly opts: TokenManagerOptions) {
    this.currentToken = opts.initial;
    this.known = [opts.initial];
    this.now = opts.now ?? Date.now;
    this.rotation = new RotationSchedule({
      days: opts.rotateDays,
      file: opts.file,
      writeProblem: opts.writeProblem ?? tokenFileWriteProblem,
      now: this.now,
      log: opts.log,
    });
  }

  /** The token in use. */
  get current(): string {
    return this.currentToken;
  }

  /** Self-rotation is on (HA_TOKEN_ROTATE_DAYS, and HA_TOKEN_FILE may be replaced). */
  get selfRotating(): boolean {
    return this.rotation.on;
  }

  /** Every token the bot has held: masked in logs and in HA's answers. */
  secrets(): readonly string[] {
    return this.known;
  }

  /** Called with the new token whenever the bot moved to another one. */
  onChange(listener: (token: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts watching HA_TOKEN_FILE and following HA's status; checks self-rotation's file. */
  attach(ha: TokenHa): void {
    this.ha = ha;
    this.stopFollowing = ha.onStatus((status) => {
      if (status.kind !== 'connected' || this.deferred === undefined) return;
      const token = this.deferred;
      this.deferred = undefined;
      void this.enqueue(() => this.takeOver(token, 'HA_TOKEN_FILE'));
    });
    const file = this.opts.file;
    if (file === undefined) return;
    this.rotation.checkFile();
    const watch = this.opts.watch ?? watchTokenFile;
    this.stopWatching = watch(file, () => void this.reread('HA_TOKEN_FILE changed'), {
      pollMs: this.opts.pollMs,
      onError: (error) =>
        this.opts.log.warn(
          { file, err: error.message },
          'cannot watch HA_TOKEN_FILE for changes; it is still read every minute and on SIGHUP',
        ),
    });
  }

  stop(): void {
    this.stopFollowing?.();
    this.stopWatching?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  /** Reads HA_TOKEN_FILE again (a change was seen, or SIGHUP) and moves to a new token in it. */
  reread(origin: 'HA_TOKEN_FILE changed' | 'SIGHUP' | 'retry'): Promise<void> {
    const file = this.opts.file;
    if (file === undefined) return Promise.resolve();
    return this.enqueue(async () => {
      const read = readTokenFile(file, this.opts.readFile);
      if (!read.ok) {
        this.opts.log.warn(
          { origin },
          `HA_TOKEN_FILE: ${read.problem}; the bot keeps using the current token`,
        );
        return;
      }
      if (read.token === this.currentToken || read.token === this.pending) return;
      this.opts.log.info({ origin }, 'HA_TOKEN_FILE holds a new token');
      await this.takeOver(read.token, 'HA_TOKEN_FILE');
    });
  }

  // --- Credentials: every login of the HA client asks here ---

  token(): { token: string } | { refused: string } {
    const token = this.pending ?? this.currentToken;
    const admission = this.opts.guard.admit(token, this.source());
    return admission.ok ? { token } : { refused: admission.reason };
  }

  accepted(token: string): void {
    this.opts.guard.accepted(token);
    this.pending = undefined;
    if (token !== this.currentToken) this.changed(token);
  }

  /**
   * HA rejected the token. Before that is final, HA_TOKEN_FILE is read once more: it may just
   * have been given a new token, which is then tried at once (if the guard allows it).
   */
  rejected(token: string): boolean {
    this.opts.guard.rejected(token, 'bot');
    if (token === this.pending) this.pending = undefined;
    const file = this.opts.file;
    if (file === undefined) return false;
    const read = readTokenFile(file, this.opts.readFile);
    if (!read.ok || read.token === token || read.token === this.currentToken) return false;
    const admission = this.opts.guard.admit(read.token, 'The token in HA_TOKEN_FILE');
    if (!admission.ok) {
      this.opts.log.warn(admission.reason);
      return false;
    }
    this.opts.log.info(
      'Home Assistant rejected the token, but HA_TOKEN_FILE holds another one: trying it',
    );
    this.remember(read.token);
    this.pending = read.token;
    return true;
  }

  // --- Moving to a new token ---

  /** `HA_TOKEN` or `HA_TOKEN_FILE`: where the token in use came from, for messages. */
  private source(): string {
    return this.opts.file === undefined ? 'HA_TOKEN' : 'The token in HA_TOKEN_FILE';
  }

  private async takeOver(token: string, from: 'HA_TOKEN_FILE'): Promise<void> {
    const ha = this.ha;
    if (ha === undefined || token === this.currentToken) return;
    this.remember(token);
    const admission = this.opts.guard.admit(token, `The new token in ${from}`);
    if (!admission.ok) {
      this.refuse(`${admission.reason} The bot keeps using the current token.`);
      return;
    }
    const status = ha.status.kind;
    if (status === 'auth_invalid' || status === 'connecting') {
      // No working connection to keep: log in with the new token directly.
      this.pending = token;
      if (status === 'auth_invalid') ha.retryLogin();
      return;
    }
    if (status !== 'connected') {
      this.opts.log.info('Home Assistant is not connected: the new token is tried once it is');
      this.deferred = token;
      return;
    }
    try {
      await ha.switchToken(token, loginOnce(this.opts.guard));
      this.changed(token);
    } catch (error) {
      const haError = toHaError(error);
      if (haError.code === 'invalid_auth') {
        this.refuse(
          `Home Assistant rejected the new token in ${from} (${haError.message}), so the bot keeps using the current one, which still works. Check the new token: it may be incomplete, deleted, or from another Home Assistant.`,
        );
        await resetFailedLogins(this.ha, this.currentToken, this.opts.guard, this.opts.log);
      } else {
        this.opts.log.warn(
          { err: haError.message },
          'could not log in with the new token now; the bot keeps the current one and tries again in 30 s',
        );
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = undefined;
          void this.reread('retry');
        }, 30_000);
        this.retryTimer.unref();
      }
    }
  }

  private refuse(text: string): void {
    this.opts.log.error(text);
    this.opts.notify('Home Assistant token not changed', text);
  }

  private remember(token: string): void {
    if (this.known.includes(token)) return;
    this.known.push(token);
    this.opts.onSecret?.(token);
  }

  private changed(token: string): void {
    this.remember(token);
    this.currentToken = token;
    this.pending = undefined;
    this.opts.log.info(
      milestone('ha.token-switched'),
      'the bot now uses the new Home Assistant token',
    );
    for (const listener of this.listeners) listener(token);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue
      .then(task)
      .catch((error: unknown) => this.opts.log.error({ err: error }, 'token change failed'));
    this.queue = run;
    return run;
  }

  // --- Self-rotation ---

  /** Rotates the token when self-rotation is on and it is due (age or expiry). */
  rotateIfDue(): Promise<void> {
    return this.rotation.runIfDue(
      this.currentToken,
      this.ha?.status.kind === 'connected',
      (task) => this.enqueue(task),
      (days) =>
        rotateToken(days, {
          ha: this.ha!,
          file: this.opts.file!,
          previous: this.currentToken,
          now: this.now,
          log: this.opts.log,
          notify: this.opts.notify,
          write: this.opts.writeFile ?? writeTokenFileAtomically,
          login: loginOnce(this.opts.guard),
          remember: (token) => this.remember(token),
          changed: (token) => this.changed(token),
        }),
    );
  }
}
