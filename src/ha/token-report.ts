import type { Logger } from '../logging/logger.js';
import { toHaError } from './errors.js';
import { daysFromNow, inspectToken, isoDay } from './token.js';
import { dueExpiryWarning, type TokenWarningStore } from './token-expiry.js';
import type { HaStatus } from './types.js';

/** Whose token the bot holds and what HA knows of it: for the log, the doctor and /ha about. */
export interface TokenReport {
  user?: { name: string; isAdmin: boolean; isOwner: boolean };
  /** Why HA would not say who the user is. */
  userUnavailable?: string;
  /** The token's entry in the user's token list (`auth/refresh_tokens`). */
  token?: {
    name: string | null;
    type: string;
    createdAt?: number;
    lastUsedAt?: number;
    lastUsedIp?: string | null;
  };
  /** Why the token's entry could not be had (HA refused the list, or it is not in it). */
  tokenUnavailable?: string;
  /** From the token itself (a JWT): epoch milliseconds. */
  issuedAt?: number;
  expiresAt?: number;
}

/** `auth/current_user` */
export interface RawUser {
  name?: unknown;
  is_admin?: unknown;
  is_owner?: unknown;
}

/** One entry of `auth/refresh_tokens` */
export interface RawRefreshToken {
  id?: unknown;
  client_name?: unknown;
  type?: unknown;
  created_at?: unknown;
  last_used_at?: unknown;
  last_used_ip?: unknown;
  is_current?: unknown;
}

/** What HA reserves for administrators, and so what a non-administrator's token turns off. */
export const ADMIN_ONLY_FEATURES = [
  'the audit event (HA_COMMAND_EVENT)',
  'posting from HA automations (HA_SEND_EVENT)',
  'access.exposed_only',
  "hearing HA's stop event (restarts are then told by HA's start-up state)",
];

const time = (v: unknown): number | undefined => {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
};

/** The report from what HA answered (either answer may be an error) and the token's claims. */
export function buildTokenReport(
  token: string,
  user: RawUser | Error | undefined,
  tokens: RawRefreshToken[] | Error | undefined,
): TokenReport {
  const report: TokenReport = {};
  const shape = inspectToken(token);
  if (shape.ok) {
    report.issuedAt = shape.claims.issuedAt;
    report.expiresAt = shape.claims.expiresAt;
  }
  if (user instanceof Error) report.userUnavailable = user.message;
  else if (user !== undefined) {
    report.user = {
      name: typeof user.name === 'string' ? user.name : '(no name)',
      isAdmin: user.is_admin === true,
      isOwner: user.is_owner === true,
    };
  }
  if (tokens instanceof Error) report.tokenUnavailable = tokens.message;
  else if (Array.isArray(tokens)) {
    const id = shape.ok ? shape.claims.refreshTokenId : undefined;
    const entry =
      tokens.find((t) => t.is_current === true) ??
      tokens.find((t) => id !== undefined && t.id === id);
    if (entry === undefined) report.tokenUnavailable = "not in its user's token list";
    else {
      report.token = {
        name: typeof entry.client_name === 'string' ? entry.client_name : null,
        type: typeof entry.type === 'string' ? entry.type : 'unknown',
        createdAt: time(entry.created_at),
        lastUsedAt: time(entry.last_used_at),
        lastUsedIp: typeof entry.last_used_ip === 'string' ? entry.last_used_ip : null,
      };
    }
  }
  return report;
}

/** Asks HA over the bot's own connection. Never rejects: what HA refuses is in the report. */
export async function readTokenReport(
  command: <T>(message: { type: string }) => Promise<T>,
  token: string,
): Promise<TokenReport> {
  const ask = <T>(type: string): Promise<T | Error> =>
    command<T>({ type }).catch((error: unknown) => new Error(toHaError(error).message));
  const [user, tokens] = await Promise.all([
    ask<RawUser>('auth/current_user'),
    ask<RawRefreshToken[]>('auth/refresh_tokens'),
  ]);
  return buildTokenReport(token, user, tokens);
}

const TYPE_WORDS: Record<string, string> = {
  long_lived_access_token: 'long-lived token',
  normal: 'login session token',
  system: 'system token',
};

/** One line: whose token, its name and age, when it expires. Never the token. */
export function tokenSummary(report: TokenReport, now: number): string {
  const parts: string[] = [];
  if (report.user) {
    const roles = [report.user.isAdmin ? 'administrator' : 'not an administrator'];
    if (report.user.isOwner) roles.push('owner');
    parts.push(`user "${report.user.name}" (${roles.join(', ')})`);
  }
  if (report.token) {
    const kind = TYPE_WORDS[report.token.type] ?? report.token.type;
    const name = report.token.name === null ? kind : `${kind} "${report.token.name}"`;
    const created = report.token.createdAt ?? report.issuedAt;
    parts.push(created === undefined ? name : `${name} created ${isoDay(created)}`);
  } else if (report.issuedAt !== undefined) {
    parts.push(`token created ${isoDay(report.issuedAt)}`);
  }
  parts.push(
    report.expiresAt === undefined
      ? 'no expiry date'
      : `${report.expiresAt > now ? 'expires' : 'expired'} ${daysFromNow(report.expiresAt, now)}`,
  );
  return parts.join(' · ');
}

/** What else a person should know: last use, what a non-administrator cannot do, advice. */
export function tokenDetails(report: TokenReport): string[] {
  const lines: string[] = [];
  if (report.token?.lastUsedAt !== undefined) {
    const ip = report.token.lastUsedIp ? ` from ${report.token.lastUsedIp}` : '';
    lines.push(
      `Home Assistant last saw the token used on ${isoDay(report.token.lastUsedAt)}${ip}.`,
    );
  }
  if (report.tokenUnavailable !== undefined) {
    lines.push(`The token's name and age are unknown: ${report.tokenUnavailable}.`);
  }
  if (report.userUnavailable !== undefined) {
    lines.push(`Home Assistant did not say whose token it is: ${report.userUnavailable}.`);
  }
  if (report.user && !report.user.isAdmin) {
    lines.push(
      `The token's user is not an administrator, so these are off: ${ADMIN_ONLY_FEATURES.join('; ')}. State, control, alerts and /ha call work.`,
    );
  }
  if (report.user?.isOwner) {
    lines.push(
      "The token belongs to Home Assistant's owner: a dedicated user for the bot makes its actions easy to tell apart, and limits what a leaked token can do.",
    );
  }
  return lines;
}

/** The alert channel's words for a token about to expire. */
export function expiryNoticeText(expiresAt: number, now: number, fromFile: boolean): string {
  const put = fromFile
    ? 'put it in HA_TOKEN_FILE (the bot switches to it without a restart)'
    : 'put it in HA_TOKEN and restart the bot';
  return `The bot's Home Assistant token expires ${daysFromNow(expiresAt, now)}. Then Home Assistant rejects it and the bot loses its connection. Create a new token (Home Assistant: profile → Security → Long-lived access tokens), ${put}, then delete the old one. With HA_TOKEN_FILE, HA_TOKEN_ROTATE_DAYS lets the bot do this itself.`;
}

export interface TokenMonitorOptions {
  ha: {
    readonly status: HaStatus;
    onStatus(listener: (status: HaStatus) => void): () => void;
    command<T>(message: { type: string }): Promise<T>;
  };
  tokens: { readonly current: string; onChange(listener: (token: string) => void): () => void };
  warnings: TokenWarningStore;
  fingerprint: (token: string) => string;
  fromFile: boolean;
  log: Logger;
  notify: (title: string, text: string) => void;
  /** After each report (and each periodic check): self-rotation's turn. */
  afterCheck?: () => void;
  /**
   * True while self-rotation looks after the expiry: then an expiry is only logged (a failing
   * rotation posts its own notice).
   */
  selfRotating?: () => boolean;
  now?: () => number;
  /** How often expiry (and self-rotation) are checked besides on connecting (default 12 h). */
  checkEveryMs?: number;
}

/**
 * Tells who the token belongs to once per token (in the log), keeps that for /ha about, and
 * warns when it is about to expire: in the log at every check, and in the alert channel once
 * per threshold (30 and 7 days), remembered across restarts.
 */
export class TokenMonitor {
  private latest: TokenReport | undefined;
  private reportedToken: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly opts: TokenMonitorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The last report, for /ha about. */
  get report(): TokenReport | undefined {
    return this.latest;
  }

  start(): void {
    this.unsubscribe.push(
      this.opts.ha.onStatus((status) => {
        if (status.kind === 'connected' && this.reportedToken !== this.opts.tokens.current) {
          void this.refresh();
        }
      }),
      this.opts.tokens.onChange(() => {
        if (this.opts.ha.status.kind === 'connected') void this.refresh();
      }),
    );
    this.timer = setInterval(() => this.check(), this.opts.checkEveryMs ?? 12 * 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    const token = this.opts.tokens.current;
    this.reportedToken = token;
    const report = await readTokenReport((m) => this.opts.ha.command(m), token);
    if (token !== this.opts.tokens.current) return;
    this.latest = report;
    const details = tokenDetails(report);
    this.opts.log.info(
      {
        user: report.user?.name,
        administrator: report.user?.isAdmin,
        owner: report.user?.isOwner,
        tokenName: report.token?.name,
        expiresAt: report.expiresAt && new Date(report.expiresAt).toISOString(),
        ...(details.length > 0 ? { details } : {}),
      },
      `Home Assistant token: ${tokenSummary(report, this.now())}`,
    );
    this.check();
  }

  private check(): void {
    const expiresAt = this.latest?.expiresAt;
    const token = this.opts.tokens.current;
    if (expiresAt !== undefined && this.reportedToken === token) {
      const now = this.now();
      const fingerprint = this.opts.fingerprint(token);
      const due = dueExpiryWarning(expiresAt, now, this.opts.warnings.given(fingerprint));
      const within = expiresAt - now <= 30 * 86_400_000;
      if (within) {
        this.opts.log.warn(
          { expiresAt: new Date(expiresAt).toISOString() },
          `the Home Assistant token expires ${daysFromNow(expiresAt, now)}`,
        );
      }
      if (due !== undefined && this.opts.selfRotating?.() !== true) {
        this.opts.warnings.mark(fingerprint, due.covers, now);
        this.opts.notify(
          `Home Assistant token expires in ${due.days === 7 ? 'a week' : '30 days'} or less`,
          expiryNoticeText(expiresAt, now, this.opts.fromFile),
        );
      }
    }
    this.opts.afterCheck?.();
  }
}
