import type { EntityState, StateChange } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import { newAlertId } from './ids.js';
import type { Firing, Observation, RuleEngine } from './rule-engine.js';
import { renderTemplate } from './template.js';
import type { Alert, OutboxKind } from './types.js';

/** setTimeout's limit: a longer delay fires at once (Node's TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AlertPipelineOptions {
  store: {
    onChange(listener: (c: StateChange) => void): () => void;
    get(entityId: string): EntityState | undefined;
    all(): IterableIterator<EntityState>;
  };
  describe: (entityId: string) => { name: string; areaName: string | undefined } | undefined;
  engine: () => RuleEngine;
  isMuted: (ruleName: string, entityId: string, now: number) => boolean;
  enqueue: (channelId: string, kind: OutboxKind, alert: Alert) => void;
  defaultChannelId: string | undefined;
  log: Logger;
  now?: () => number;
}

/**
 * From HA's state stream to the outbox: live changes go through the rules while HA is
 * connected and running. While it is not (disconnected, restarting), nothing is judged;
 * when it is back, the states are compared with those from before, and rule-matching
 * differences are reported as missed, so an HA restart is not a burst but nothing is lost.
 */
export class AlertPipeline {
  private live = false;
  private baseline: Map<string, EntityState> | undefined;
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;
  private scheduled: { due: number; live: boolean } | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: AlertPipelineOptions) {
    this.now = opts.now ?? Date.now;
    this.unsubscribe = opts.store.onChange((change) => this.onChange(change));
  }

  /**
   * HA became usable (connected and RUNNING) or stopped being so. `restarted` says HA itself
   * restarted, so timestamps alone (restored states get new ones) are not evidence of a change.
   */
  setLive(live: boolean, restarted = false): void {
    if (live === this.live) return;
    this.live = live;
    if (!live) {
      this.baseline = new Map([...this.opts.store.all()].map((s) => [s.entityId, s]));
      return;
    }
    const baseline = this.baseline;
    this.baseline = undefined;
    if (baseline === undefined) return;
    const pairs: [EntityState, EntityState][] = [];
    for (const current of this.opts.store.all()) {
      const before = baseline.get(current.entityId);
      if (before !== undefined) pairs.push([before, current]);
    }
    // HA does not always get to say it is restarting (its stop event can be lost with the
    // socket). A restart gives nearly every entity a new last_changed; a dropped connection
    // does not. Either way, after a restart only values are evidence of a change.
    const touched = pairs.filter(([before, current]) => before.lastChanged !== current.lastChanged);
    const wasRestart = restarted || (pairs.length >= 3 && touched.length / pairs.length > 0.5);
    let missed = 0;
    for (const [before, current] of pairs) {
      const valueChanged = before.state !== current.state;
      const changedAndBack = !wasRestart && before.lastChanged !== current.lastChanged;
      if (!valueChanged && !changedAndBack) continue;
      missed += this.judge({
        entityId: current.entityId,
        oldState: before,
        newState: current,
        missed: true,
      });
    }
    if (missed > 0)
      this.opts.log.info({ missed }, 'reported changes missed while Home Assistant was away');
  }

  stop(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.scheduled = undefined;
  }

  private onChange(change: StateChange): void {
    if (!this.live || change.fromSnapshot || change.kind !== 'changed') return;
    this.judge({
      entityId: change.entityId,
      oldState: change.oldState,
      newState: change.newState!,
    });
  }

  private judge(observation: Observation): number {
    const firings = this.opts.engine().observe(observation, this.now());
    for (const f of firings) this.emit(f);
    this.schedule();
    return firings.length;
  }

  /**
   * One timer for the earliest pending `for`. Called after every change, so the timer is
   * only replaced when the earliest deadline (or liveness) actually moved.
   */
  private schedule(): void {
    const next = this.opts.engine().nextDue();
    const scheduled = this.scheduled;
    if (scheduled !== undefined && scheduled.due === next && scheduled.live === this.live) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = undefined;
    if (next === undefined) return;
    this.scheduled = { due: next, live: this.live };
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.scheduled = undefined;
        if (this.live) {
          for (const f of this.opts.engine().due(this.now(), (id) => this.opts.store.get(id)))
            this.emit(f);
        }
        this.schedule();
      },
      // While HA is away, due `for` rules wait (re-checked each second) instead of spinning.
      // A `for` beyond a timer's reach (24.8 days) wakes early and schedules again.
      Math.min(MAX_TIMER_MS, Math.max(this.live ? 0 : 1000, next - this.now())),
    );
  }

  private emit(f: Firing): void {
    const now = this.now();
    if (this.opts.isMuted(f.rule.name, f.entityId, now)) {
      this.opts.log.debug({ rule: f.rule.name, entityId: f.entityId }, 'alert muted');
      return;
    }
    const channelId = f.rule.channel ?? this.opts.defaultChannelId;
    if (channelId === undefined) {
      this.opts.log.warn(
        { rule: f.rule.name },
        'alert has no channel: set DISCORD_ALERT_CHANNEL_ID or the rule channel',
      );
      return;
    }
    const info = this.opts.describe(f.entityId);
    const unit =
      f.rule.attribute === undefined ? f.state.attributes.unit_of_measurement : undefined;
    const base: Omit<Alert, 'text'> = {
      id: newAlertId(),
      ruleName: f.rule.name,
      entityId: f.entityId,
      name: info?.name ?? f.entityId,
      areaName: info?.areaName,
      from: f.from,
      to: f.to,
      unit: typeof unit === 'string' && unit !== '' ? unit : undefined,
      at: f.state.lastChanged,
      severity: f.rule.severity,
      mention: f.rule.mention,
      missed: f.missed,
      changedAndBack: f.changedAndBack,
      statusKey: f.rule.edit_in_place ? `${f.rule.name}|${f.entityId}` : undefined,
    };
    const alert: Alert = {
      ...base,
      text: f.rule.template ? renderTemplate(f.rule.template, base) : undefined,
    };
    this.opts.enqueue(channelId, alert.statusKey ? 'status' : 'alert', alert);
  }
}
