import type { Logger } from '../logging/logger.js';
import { inspectToken } from './token.js';
import { rotationDue } from './token-expiry.js';
import type { RotationOutcome } from './token-self-rotation.js';

/** After a failed self-rotation, the next try waits this long. */
const ROTATION_RETRY_MS = 6 * 3_600_000;

export interface RotationScheduleOptions {
  /** HA_TOKEN_ROTATE_DAYS: self-rotation (off when undefined). */
  days?: number;
  /** HA_TOKEN_FILE: where self-rotation writes the new token. */
  file?: string;
  /** Why the file cannot be replaced, or undefined. */
  writeProblem: (path: string) => string | undefined;
  now: () => number;
  log: Logger;
}

/**
 * When the token manager's self-rotation runs: on only with HA_TOKEN_ROTATE_DAYS and a
 * HA_TOKEN_FILE the bot may replace, one rotation at a time, when the token is due (age or
 * expiry), and not again within 6 hours of a failed one. The rotation itself is
 * token-self-rotation.ts.
 */
export class RotationSchedule {
  private state: 'off' | 'idle' | 'running';
  private failedAt: number | undefined;

  constructor(private readonly opts: RotationScheduleOptions) {
    this.state = opts.days !== undefined && opts.file !== undefined ? 'idle' : 'off';
  }

  /** Self-rotation is on (HA_TOKEN_ROTATE_DAYS, and HA_TOKEN_FILE may be replaced). */
  get on(): boolean {
    return this.state !== 'off';
  }

  /** Once, when the manager starts: turns self-rotation off if the file cannot be replaced. */
  checkFile(): void {
    const { file, log } = this.opts;
    if (this.state !== 'idle' || file === undefined) return;
    const problem = this.opts.writeProblem(file);
    if (problem !== undefined) {
      this.state = 'off';
      log.error(
        { file },
        `HA_TOKEN_ROTATE_DAYS is set, but ${problem}. Self-rotation is off until the bot may replace HA_TOKEN_FILE (a Docker secret is read-only: use a bind-mounted file instead).`,
      );
    } else {
      log.info(
        { rotateDays: this.opts.days, file },
        'self-rotation of the Home Assistant token is on',
      );
    }
  }

  /**
   * Starts a rotation (`rotate`, through the manager's queue of token changes) when one is
   * due for `token` and HA is connected, and notes how it went.
   */
  runIfDue(
    token: string,
    connected: boolean,
    enqueue: (task: () => Promise<void>) => Promise<void>,
    rotate: (days: number) => Promise<RotationOutcome>,
  ): Promise<void> {
    const days = this.opts.days;
    if (this.state !== 'idle' || days === undefined || !connected) return Promise.resolve();
    const now = this.opts.now();
    if (this.failedAt !== undefined && now - this.failedAt < ROTATION_RETRY_MS) {
      return Promise.resolve();
    }
    const shape = inspectToken(token);
    if (!shape.ok || !rotationDue(shape.claims, now, days)) return Promise.resolve();
    this.state = 'running';
    const run = async (): Promise<void> => {
      const outcome = await rotate(days);
      if (outcome === 'failed') this.failedAt = this.opts.now();
      else if (outcome === 'rotated') this.failedAt = undefined;
    };
    return enqueue(run).finally(() => {
      if (this.state === 'running') this.state = 'idle';
    });
  }
}
