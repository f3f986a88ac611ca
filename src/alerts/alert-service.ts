import type { EntityCatalog } from '../entities/catalog.js';
import { subjectFacts } from '../entities/entry.js';
import type { EntityStore } from '../ha/entity-store.js';
import type { HaStatus } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import type { MuteStore } from '../storage/mutes.js';
import type { Watch, WatchStore } from '../storage/watches.js';
import { alertOutlet } from './alert-outlet.js';
import { LastSeen, type AlertStatePort } from './last-seen.js';
import { isMuted } from './mutes.js';
import { AlertPipeline, type HistoryLookup } from './pipeline.js';
import { RuleEngine, type RuleSubject } from './rule-engine.js';
import type { Rule } from './rule-schema.js';
import type { Enqueue } from './types.js';

export interface AlertServiceOptions {
  store: EntityStore;
  catalog: EntityCatalog;
  /** Rules from the config file and ALERT_ENTITIES; watches from Discord are added to them. */
  configuredRules: readonly Rule[];
  watches: WatchStore;
  mutes: MuteStore;
  defaultChannelId: string | undefined;
  enqueue: Enqueue;
  log: Logger;
  /** Where the watched entities' last states are kept, to report on start what changed meanwhile. */
  states?: AlertStatePort;
  /** HA's recorded history, to tell what an HA restart hides. */
  history?: HistoryLookup;
  /** Runs `fn` in one database transaction (the outbox's and the states'). */
  atomically?: (fn: () => void) => void;
}

/** What the /ha watch and /ha mute commands may do. */
export interface AlertControls {
  rules(): readonly Rule[];
  watches(): Watch[];
  addWatch(rule: Rule, createdBy: string, guildId: string | null): Watch;
  removeWatch(id: number): boolean;
  mute(target: string, untilMs: number, createdBy: string): void;
  unmute(target: string): boolean;
  mutes(): { target: string; until: number }[];
}

/**
 * The alerts feature in one place: the rule set (file + env + watches), the engine, and the
 * pipeline from HA's state stream to the outbox. Changing the rules rebuilds the engine, which
 * keeps what the old one knew of the rules that stayed (pending `for`s, cooldowns).
 */
export class AlertService implements AlertControls {
  private engine: RuleEngine;
  private readonly pipeline: AlertPipeline;
  private configuredRules: readonly Rule[];

  constructor(private readonly opts: AlertServiceOptions) {
    this.configuredRules = opts.configuredRules;
    this.engine = this.buildEngine();
    // An entity added, removed or renamed (or moved by a registry change) is re-matched
    // alone: the rules others matched still hold.
    opts.catalog.onEntriesChanged((entityIds) => this.engine.invalidate(entityIds));
    // The pipeline is given what it needs and never calls back into the service: the service
    // hands it each new engine (setEngine), and its decisions go out through the outlet.
    this.pipeline = new AlertPipeline({
      store: opts.store,
      engine: this.engine,
      syncEntities: catalogSync(opts.catalog),
      emit: alertOutlet({
        isMuted: (rule, entityId, now) => isMuted(opts.mutes.list(), rule, entityId, now),
        describe: (id) => opts.catalog.get(id),
        enqueue: opts.enqueue,
        defaultChannelId: opts.defaultChannelId,
        log: opts.log,
      }),
      log: opts.log,
      lastSeen: opts.states && this.lastSeen(opts.states),
      history: opts.history,
      atomically: opts.atomically,
    });
  }

  /** Follows HA's status: judged live only when connected and RUNNING. */
  onHaStatus(status: HaStatus): void {
    const connected = status.kind === 'connected';
    this.pipeline.setHa({
      connected,
      running: connected && status.coreState === 'RUNNING',
      restarted: connected && status.restarted,
      statesRenewedAt: connected ? status.statesRenewedAt : undefined,
    });
  }

  /** HA's `core_config_updated` event: fired the moment HA is RUNNING after a start. */
  onCoreConfigUpdated(): void {
    this.pipeline.coreConfigChanged();
  }

  /** See AlertPipeline.writeAlertedStates: for the burst's commit, just before it. */
  writeAlertedStates(): void {
    this.pipeline.writeAlertedStates();
  }

  stop(): void {
    this.pipeline.stop();
  }

  rules(): readonly Rule[] {
    return this.engine.rules;
  }

  watches(): Watch[] {
    return this.opts.watches.list();
  }

  /** A config reload: the file's rules change; watches, mutes and the outbox stay. */
  setConfiguredRules(rules: readonly Rule[]): void {
    this.configuredRules = rules;
    this.rebuild();
  }

  addWatch(rule: Rule, createdBy: string, guildId: string | null): Watch {
    const watch = this.opts.watches.add(rule, createdBy, guildId);
    this.rebuild();
    return watch;
  }

  removeWatch(id: number): boolean {
    const removed = this.opts.watches.remove(id);
    if (removed) this.rebuild();
    return removed;
  }

  mute(target: string, untilMs: number, createdBy: string): void {
    this.opts.mutes.add({ target, until: untilMs, createdBy });
  }

  unmute(target: string): boolean {
    return this.opts.mutes.remove(target);
  }

  mutes(): { target: string; until: number }[] {
    return this.opts.mutes.list();
  }

  /** A new engine for the current rules, keeping what the running one knew of the unchanged ones. */
  private rebuild(): void {
    const engine = this.buildEngine();
    engine.adopt(this.engine);
    this.engine = engine;
    // Entities the new rules watch are kept from now on, so a restart can compare them.
    this.pipeline.setEngine(engine);
  }

  private buildEngine(): RuleEngine {
    const rules = [...this.configuredRules, ...this.opts.watches.list().map((w) => w.rule)];
    return new RuleEngine(rules, (id) => this.subjectOf(id));
  }

  private lastSeen(states: AlertStatePort): LastSeen {
    return new LastSeen(states, {
      attributes: () => this.engine.attributes,
      onError: (error) =>
        this.opts.log.error(
          { err: error },
          'could not save the watched states (retried): changes made while the bot is stopped may go unreported',
        ),
      onFull: (dropped) =>
        this.opts.log.warn(
          { dropped },
          'too many watched entities to keep all their states: changes to the rest made while the bot is stopped are not reported',
        ),
    });
  }

  private subjectOf(entityId: string): RuleSubject | undefined {
    const entry = this.opts.catalog.get(entityId);
    if (entry === undefined) return undefined;
    return subjectFacts(entry, this.opts.store.deviceClass(entityId));
  }
}

/**
 * Areas and names can change at run time: the catalog brought up to date (when the store or
 * the registries moved) tells the engine which entities to re-match (onEntriesChanged).
 */
function catalogSync(catalog: Pick<EntityCatalog, 'list'>): () => void {
  // list() compares the revisions' numbers itself: the catalog's `revision` is a string
  // built per read (about 50 bytes a state change, in a flood).
  return () => void catalog.list();
}

/** ALERT_ENTITIES as a rule, so the simple setting and the rule file share one engine. */
export function envRule(entities: readonly string[]): Rule | undefined {
  if (entities.length === 0) return undefined;
  return {
    name: 'ALERT_ENTITIES',
    entities: [...entities],
    hysteresis: 0,
    cooldown: 0,
    include_unavailable: false,
    mention: { roles: [], users: [] },
    severity: 'info',
    edit_in_place: false,
  };
}
