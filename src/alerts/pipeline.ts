import type { EntityState, StateChange } from '../ha/types.js';
import { DueTimer } from './due-timer.js';
import { GoingLive, type Gap } from './going-live.js';
import type { AlertPipelineOptions, HaView } from './pipeline-options.js';
import { observe, type Finding, type Observed } from './reconcile.js';
import { RESTART_SETTLE_MS, RestartSettling } from './restart-settling.js';
import type { Firing, Observation, RuleEngine } from './rule-engine.js';
import type { MissedWhile } from './types.js';

export type { HistoryLookup } from './history-check.js';

/** Changes held after HA's core config changed while starting (beyond: folded, not replayed). */
const MAX_HELD = 10_000;

/**
 * From HA's state stream to the outbox: live changes go through the rules while HA is
 * connected and RUNNING. While it is not (disconnected, restarting, or the bot was not
 * running), nothing is judged; when it is back, the states are compared with those from
 * before (see going-live.ts), so an HA restart is not a burst but nothing is lost. The watched
 * entities' states are kept in SQLite, so the same holds across the bot's own restarts.
 */
export class AlertPipeline {
  private engine: RuleEngine;
  private live = false;
  private gap: Gap | undefined;
  /** What the bot saw of watched entities during the gap, while connected. */
  private readonly observed = new Map<string, Observed>();
  /**
   * Changes after HA's core config changed while it was starting: HA fires that event the
   * moment it is RUNNING, so these are live if HA now says RUNNING, and part of the gap if not.
   */
  private held: StateChange[] | undefined;
  private readonly unsubscribe: () => void;
  private readonly dueTimer: DueTimer;
  private readonly goingLive: GoingLive;
  private readonly now: () => number;
  private stopped = false;
  /** Differences found across an HA restart, waiting out RESTART_SETTLE_MS. */
  private readonly settling: RestartSettling;

  constructor(private readonly opts: AlertPipelineOptions) {
    this.now = opts.now ?? Date.now;
    this.engine = opts.engine;
    this.dueTimer = new DueTimer(this.now, () => this.onDue());
    this.settling = new RestartSettling({
      settleMs: opts.restartSettleMs ?? RESTART_SETTLE_MS,
      report: ({ finding, missedWhile }) =>
        this.keep(finding.after, this.judgeFound(finding, missedWhile)),
      atomically: (fn) => this.atomically(fn),
    });
    this.goingLive = new GoingLive({
      store: opts.store,
      lastSeen: opts.lastSeen,
      log: opts.log,
      history: opts.history,
      historyRetryMs: opts.historyRetryMs,
      stopped: () => this.stopped,
      settling: this.settling,
      rules: () => this.rules(),
      atomically: (fn) => this.atomically(fn),
      judgeFound: (finding, missedWhile) => this.judgeFound(finding, missedWhile),
    });
    const saved = opts.lastSeen?.load();
    // Nothing saved: the bot's first start, nothing to compare with.
    if (saved !== undefined) {
      this.gap = {
        kind: 'bot_offline',
        before: saved.states,
        haClock: saved.haClock,
      };
    }
    this.unsubscribe = opts.store.onChange((change) => this.onChange(change));
  }

  /** HA's connection or core state changed. */
  setHa(ha: HaView): void {
    if (ha.connected && ha.running) {
      if (!this.live) this.goLive(ha);
      return;
    }
    if (this.live) this.openGap();
    this.foldHeld();
  }

  /**
   * HA fired `core_config_updated`: while it is starting, that may be the start's end (HA
   * fires it as it begins starting too). Only changes after the latest one can be after
   * RUNNING: those held before it are part of the gap.
   */
  coreConfigChanged(): void {
    if (this.live) return;
    this.foldHeld();
    this.held = [];
  }

  /**
   * The rules changed (the new engine adopted what the old one knew): from now on, keep the
   * states of the entities only the new ones watch.
   */
  setEngine(next: RuleEngine): void {
    const previous = this.engine;
    this.engine = next;
    const lastSeen = this.opts.lastSeen;
    // In a gap, the comparison at its end records them.
    if (lastSeen === undefined || !this.live) return;
    for (const s of this.opts.store.all()) {
      if (next.watches(s.entityId) && !previous.watches(s.entityId)) lastSeen.record(s);
    }
  }

  /**
   * Writes now the states live alerts came from (`flushSoon`), in the caller's transaction:
   * called just before a burst's commit, so a live alert and its state are committed together.
   */
  writeAlertedStates(): void {
    this.opts.lastSeen?.flushUrgent();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.dueTimer.stop();
    this.settling.stop();
    this.opts.lastSeen?.stop();
  }

  private onChange(change: StateChange): void {
    if (this.live) {
      this.onLiveChange(change);
      return;
    }
    // A fresh snapshot hides what happened: the comparison with the states from before tells.
    if (change.newState === undefined || change.fromSnapshot || change.kind !== 'changed') return;
    if (!this.rules().watches(change.entityId)) return;
    if (this.held !== undefined && this.held.length < MAX_HELD) {
      this.held.push(change);
      return;
    }
    this.foldHeld();
    this.note(change);
  }

  private onLiveChange(change: StateChange): void {
    const state = change.newState;
    const lastSeen = this.opts.lastSeen;
    const engine = this.rules();
    if (state === undefined) {
      this.settling.forget(change.entityId);
      if (engine.watches(change.entityId)) lastSeen?.forget(change.entityId);
      return;
    }
    lastSeen?.tick(state.lastChanged);
    if (!engine.watches(change.entityId, state)) return;
    if (change.fromSnapshot || change.kind !== 'changed') {
      lastSeen?.record(state);
      return;
    }
    const waiting = this.settling.take(change.entityId, state);
    if (waiting === 'restoring') return;
    if (waiting?.corrected) {
      this.atomically(() =>
        this.keep(state, this.judgeFound(waiting.finding, waiting.missedWhile)),
      );
      return;
    }
    // Another value: the restart's change stands (kept as its alert's state), this one is live.
    if (waiting !== undefined) {
      const { finding, missedWhile } = waiting;
      this.atomically(() => this.keep(finding.after, this.judgeFound(finding, missedWhile)));
    }
    // The change is the observation (its newState is the state checked above): no copy each.
    this.emitAll(engine.observe(change as Observation, this.now()), state);
    this.schedule(engine);
  }

  /** A change seen while alerts are held (HA away or starting), for the comparison later. */
  private note(change: StateChange): void {
    if (this.gap === undefined || change.newState === undefined) return;
    const id = change.entityId;
    this.observed.set(id, observe(this.observed.get(id), change.oldState, change.newState));
  }

  /** The held changes turned out to be before HA was RUNNING: part of the gap. */
  private foldHeld(): void {
    const held = this.held;
    this.held = undefined;
    for (const change of held ?? []) this.note(change);
  }

  private openGap(): void {
    this.settling.reportAll();
    this.live = false;
    this.gap = this.goingLive.openGap();
    this.observed.clear();
  }

  /** HA is connected and RUNNING: report what changed in the gap, then judge live. */
  private goLive(ha: HaView): void {
    this.live = true;
    const held = this.held ?? [];
    this.held = undefined;
    const gap = this.gap;
    this.gap = undefined;
    const observed = new Map(this.observed);
    this.observed.clear();
    this.goingLive.reportGap(gap, observed, held, ha);
    for (const change of held) this.onChange(change);
  }

  /**
   * A state judged off the live path (an HA restart's change, its correction), kept for the
   * next start: if alerts came from it, written with them (`atomically`).
   */
  private keep(state: EntityState, alerts: number): void {
    const lastSeen = this.opts.lastSeen;
    if (lastSeen === undefined) return;
    lastSeen.record(state);
    if (alerts > 0) lastSeen.flushSoon(state.entityId);
  }

  private judgeFound(finding: Finding, missedWhile: MissedWhile): number {
    const firings = this.rules().observe(
      {
        entityId: finding.entityId,
        oldState: finding.before,
        newState: finding.after,
        missed: true,
        missedWhile,
        changedBetween: finding.changedBetween,
        via: finding.via,
      },
      this.now(),
    );
    for (const f of firings) this.emit(f);
    this.schedule();
    return firings.length;
  }

  /**
   * The state an alert came from is written at the end of this tick (with the others alerts
   * came from in the tick, in one transaction), not a second later: a crash then cannot have
   * the next start report the same change again. The states of changes without an alert wait
   * for the timed writes, one row per entity however often it changed (in a flood an alert
   * lands in nearly every frame: writing them all each tick was a row per change).
   */
  private emitAll(firings: readonly Firing[], state: EntityState): void {
    for (const f of firings) this.emit(f);
    const lastSeen = this.opts.lastSeen;
    if (lastSeen === undefined) return;
    lastSeen.record(state);
    if (firings.length > 0) lastSeen.flushSoon(state.entityId);
  }

  /** The rules in force, brought up to date with the entities. */
  private rules(): RuleEngine {
    this.opts.syncEntities?.();
    return this.engine;
  }

  /**
   * Runs `fn` in one transaction, the states alerts came from in it (`flushSoon`) written at
   * its end: off the live path, alerts and their states are committed together, so a crash
   * cannot have the next start report them again.
   */
  private atomically(fn: () => void): void {
    const lastSeen = this.opts.lastSeen;
    const withStates = lastSeen
      ? () => {
          fn();
          lastSeen.flushUrgent();
        }
      : fn;
    if (this.opts.atomically) this.opts.atomically(withStates);
    else withStates();
  }

  /**
   * The earliest pending `for` is due: judged now if HA is live, else when it is back. The
   * states the alerts came from are written with them (usually the timed writes have already).
   */
  private onDue(): void {
    if (this.live) {
      this.atomically(() => {
        for (const f of this.rules().due(this.now(), (id) => this.opts.store.get(id))) {
          this.emit(f);
          this.opts.lastSeen?.flushSoon(f.entityId);
        }
      });
    }
    this.schedule();
  }

  private schedule(engine = this.rules()): void {
    this.dueTimer.schedule(engine.nextDue(), this.live);
  }

  private emit(f: Firing): void {
    this.opts.emit(f, this.now());
  }
}
