import type { HaStatus } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import { milestone } from '../logging/milestones.js';

export interface ReadinessOptions {
  log: Logger;
  /** HA_URL, as the person configured it. */
  haUrl: string;
  /** Why the last attempt to reach each side failed, if one did. */
  haError: () => string | undefined;
  discordError: () => string | undefined;
  rules: () => number;
}

/** What one side still lacks, and whether something is wrong or it is only on its way. */
interface Missing {
  text: string;
  problem: boolean;
}

/**
 * Logs `bridge ready` once, the first time Discord (logged in, commands registered) and Home
 * Assistant are both connected: the line people wait for. Until then, when a side's state
 * changes and something is wrong (unreachable, token rejected, connection lost), it logs
 * `bridge not ready: …` with what is missing and why. A normal start says nothing extra.
 */
export class Readiness {
  private discord: { user: string; guilds: number } | undefined;
  private ha: HaStatus = { kind: 'connecting' };
  private ready = false;
  private lastSaid = '';

  constructor(private readonly opts: ReadinessOptions) {}

  discordReady(info: { user: string; guilds: number }): void {
    this.discord = info;
    this.update();
  }

  haStatus(status: HaStatus): void {
    this.ha = status;
    this.update();
  }

  /** An attempt to reach either side failed (the cause is read from `haError`/`discordError`). */
  attemptFailed(): void {
    this.update();
  }

  private update(): void {
    if (this.ready) return;
    const { discord, ha } = this;
    if (discord && ha.kind === 'connected') {
      this.ready = true;
      this.opts.log.info(
        {
          ...milestone('bridge.ready'),
          ...discord,
          haVersion: ha.haVersion,
          rules: this.opts.rules(),
        },
        'bridge ready',
      );
      return;
    }
    const missing = [
      ...(ha.kind === 'connected' ? [] : [this.haMissing(ha)]),
      ...(discord ? [] : [this.discordMissing()]),
    ];
    if (!missing.some((m) => m.problem)) return;
    const text = missing.map((m) => m.text).join('; ');
    if (text === this.lastSaid) return;
    this.lastSaid = text;
    this.opts.log.warn(milestone('bridge.not-ready'), `bridge not ready: ${text}`);
  }

  private haMissing(ha: Exclude<HaStatus, { kind: 'connected' }>): Missing {
    const where = `Home Assistant at ${this.opts.haUrl}`;
    const error = this.opts.haError();
    switch (ha.kind) {
      case 'auth_invalid':
        return {
          text: `${where} rejected the access token; put a new token in HA_TOKEN (or HA_TOKEN_FILE) and restart`,
          problem: true,
        };
      case 'disconnected':
        return {
          text: `${where}: connection lost, reconnecting${error ? ` (last attempt: ${error})` : ''}`,
          problem: true,
        };
      default:
        return error
          ? { text: `${where} is unreachable (${error}), retrying`, problem: true }
          : { text: `${where} is still connecting`, problem: false };
    }
  }

  private discordMissing(): Missing {
    const error = this.opts.discordError();
    return error
      ? { text: `Discord is unreachable (${error}), retrying`, problem: true }
      : { text: 'Discord is still logging in', problem: false };
  }
}
