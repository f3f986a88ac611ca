import type { Logger } from '../logging/logger.js';
import type { Timers } from './collection.js';
import type { HaConnection } from './connection.js';
import { RestartDetector, statesRenewedAt } from './restart.js';
import type { EntityState } from './types.js';
import { milestone } from '../logging/milestones.js';

export interface StartupOptions {
  connection: Pick<HaConnection, 'status' | 'generation' | 'setStatus'>;
  /** HA's core state now (`get_config`). */
  coreState: () => Promise<string | undefined>;
  store: { all(): Iterable<EntityState> };
  timers: Timers;
  log: Logger;
  /** HA finished starting: what it loaded meanwhile (its registries) is fetched again. */
  onStarted: () => void;
  /** How long before asking HA's state again when asking failed (default 2 s). */
  retryMs?: number;
}

/**
 * HA's start-up as the `connected` status tells it: its core state, the end of its start
 * (HA's `core_config_updated` event, then `get_config`: no polling while it starts), and
 * whether HA itself restarted (see restart.ts), decided here once for the whole bot.
 */
export class HaStartup {
  readonly restart = new RestartDetector();

  constructor(private readonly opts: StartupOptions) {}

  /** The end of a connection's setup: HA's version and `get_config`'s core state. */
  async connected(generation: number, haVersion: string, configState?: string): Promise<void> {
    const connection = this.opts.connection;
    let coreState = configState ?? 'RUNNING';
    // HA may have finished starting during the setup, before the status below says so.
    if (coreState !== 'RUNNING') coreState = (await this.opts.coreState()) ?? coreState;
    if (generation !== connection.generation) return;
    this.restart.found(coreState);
    this.opts.log.info(
      { ...milestone('ha.connected'), haVersion, coreState },
      'Home Assistant connected',
    );
    this.setConnected(haVersion, coreState);
  }

  /** HA's core config changed while it was starting: it may be RUNNING now. */
  checkStarted(): void {
    const status = this.opts.connection.status;
    if (status.kind !== 'connected' || status.coreState === 'RUNNING') return;
    const generation = this.opts.connection.generation;
    this.opts.coreState().then(
      (state) => {
        if (generation !== this.opts.connection.generation || state === undefined) return;
        if (state === 'RUNNING') this.started(status.haVersion);
        // Said again while starting, so the alerts know the event was not the start's end.
        else this.setConnected(status.haVersion, state);
      },
      // HA did not answer: ask again (a reconnect's setup asks anew).
      () =>
        this.opts.timers.later(() => {
          if (generation === this.opts.connection.generation) this.checkStarted();
        }, this.opts.retryMs ?? 2000),
    );
  }

  private started(haVersion: string): void {
    const status = this.opts.connection.status;
    if (status.kind === 'connected' && status.coreState === 'RUNNING') return;
    this.opts.log.info(
      { ...milestone('ha.started'), via: 'core_config_updated' },
      'Home Assistant finished starting',
    );
    this.setConnected(haVersion, 'RUNNING');
    this.opts.onStarted();
  }

  private setConnected(haVersion: string, coreState: string): void {
    const restarted = this.restart.restarted(coreState);
    // Only read when HA runs and said nothing of a restart (the alerts' comparison).
    const renewedAt =
      coreState === 'RUNNING' && !restarted ? statesRenewedAt(this.opts.store.all()) : undefined;
    this.opts.connection.setStatus({
      kind: 'connected',
      haVersion,
      coreState,
      restarted,
      ...(renewedAt === undefined ? {} : { statesRenewedAt: renewedAt }),
    });
  }
}
