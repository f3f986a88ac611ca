import type { AlertControls } from '../alerts/alert-service.js';
import type { AuditLog } from '../audit/audit.js';
import type { HistoryService } from '../charts/service.js';
import type { ReloadResult } from '../config/reload.js';
import type { AccessControl } from '../discord/access.js';
import type { CatalogEntry } from '../entities/catalog.js';
import type { EntityCatalog } from '../entities/catalog.js';
import type { Resolution } from '../entities/resolver.js';
import type { HaHttp } from '../ha/http.js';
import type { EntityStore } from '../ha/entity-store.js';
import type { ServiceDirectory } from '../ha/services.js';
import type { TokenReport } from '../ha/token-report.js';
import type { AssistAnswer, HaStatus, ServiceCallResult, ServiceTarget } from '../ha/types.js';
import type { BridgeStatus } from '../health/status.js';
import type { Logger } from '../logging/logger.js';
import type { Actor } from '../policy/decide.js';
import type { Action } from '../policy/schema.js';
import type { Confirmations } from './confirmations.js';
import type { ConversationMemory } from './conversations.js';
import type { OptionSpec, OptionValues } from './options.js';
import type { Reply } from './reply.js';

/** What commands need of Home Assistant: its status and service calls. */
export interface HomeAssistantPort {
  readonly status: HaStatus;
  callService(
    domain: string,
    service: string,
    serviceData?: Record<string, unknown>,
    target?: ServiceTarget,
    returnResponse?: boolean,
  ): Promise<ServiceCallResult>;
  fireEvent(eventType: string, data: Record<string, unknown>): Promise<void>;
  converse(text: string, conversationId?: string): Promise<AssistAnswer>;
}

export interface CommandContext {
  ha: HomeAssistantPort;
  /** HA's history as charts (`/ha history`) and its logbook (`/ha logbook`). */
  history: HistoryService;
  /** Camera snapshots, over HA's REST API. */
  images: Pick<HaHttp, 'cameraImage' | 'timeoutMs'>;
  catalog: EntityCatalog;
  store: Pick<EntityStore, 'onChange' | 'get' | 'watchContexts' | 'contextOf'>;
  log: Logger;
  /** How long to wait for the state change a service call causes before saying "pending". */
  stateWaitMs: number;
  alerts: AlertControls;
  access: AccessControl;
  /** Dangerous actions waiting for their confirm button. */
  confirmations: Confirmations;
  audit: AuditLog;
  /** HA's services, for `/ha call`. */
  services: Pick<ServiceDirectory, 'list' | 'get'>;
  conversations: ConversationMemory;
  /** The HA events the bot fires or listens to (HA_COMMAND_EVENT, HA_SEND_EVENT): `/ha event` must not fake them. */
  ownEvents: readonly string[];
  /** Re-reads CONFIG_FILE (`/ha reload`). */
  reloadConfig(): ReloadResult;
  /** The bot's own state, for /ha about (and whose HA token it holds, for managers). */
  runtime: { status(): BridgeStatus; token?(): TokenReport | undefined };
}

/** Whoever asked: the policy's view of them, and how to name them. Plain data. */
export interface Caller extends Actor {
  userName: string;
  channelId: string | null;
}

/** One use of a command: who, with which options, and how it came (typed, menu, button). */
export interface Input {
  caller: Caller;
  options: OptionValues;
  via: 'command' | 'pick' | 'button';
}

/** What a command acts on, after the policy had its say. */
export type Targets =
  | { kind: 'entity'; entry: CatalogEntry }
  /** Some of an area, floor or label: those the person may use (`skipped`: the rest). */
  | { kind: 'group'; name: string; entries: readonly CatalogEntry[]; skipped: number }
  /** The target option was left out (it is optional). */
  | { kind: 'none' };

/** How a command picks the entities it acts on (the runner does it; see runner.ts). */
export interface TargetSpec<P> {
  /** The option naming them: `target`, `entity`. */
  option: string;
  /** May be left out: the policy then checks `action` without an entity. */
  optional?: boolean;
  /** The policy action each entity needs. */
  action: Action;
  /** The entities this command can act on (others are "unsupported"). */
  accept?(entry: CatalogEntry, prepared: P): boolean;
  /** "toggled", for "it cannot be toggled with this command". */
  verb(prepared: P): string;
  /**
   * An area, floor or label, narrowed by the policy: `visible` keeps those the person may
   * use (none: "You may not see anything in …"), `allowed` too but says how many were
   * skipped (none: the policy's reason), `every` refuses unless every one is allowed,
   * `choose` wants one entity: a group of one is it, more become a menu of those visible.
   */
  groups: 'visible' | 'allowed' | 'every' | 'choose';
  /**
   * A name that matches several: a menu when a pick carries everything, else a text that
   * asks for the id. `false`: never a menu (a pick for this command is refused as expired).
   */
  menu: boolean | ((prepared: P) => boolean);
  /**
   * Text options a pick from the menu carries (in the menu's custom id), e.g. `period`: the
   * pick runs with them as typed. A menu whose id would not fit asks for the id in words.
   */
  carry?: readonly string[];
  /** The reply for a name that resolved to nothing usable; default the common words. */
  problem?(typed: string, resolution: Resolution): string | undefined;
  /** When nothing else is said. */
  nothing: string;
  /** `visible` and `choose`: the person may see none of them (`group`: the group's name). */
  invisible?(typed: string, group: string | undefined): string;
  /** From a menu: the entity is gone or no longer fits. */
  gone(entityId: string): string;
  /** From a menu: whether the entity is still there (default: in the catalog and accepted). */
  present?(entry: CatalogEntry, ctx: CommandContext): boolean;
}

/** A refusal before anything was done: the words say why and what to do. */
export interface Refusal {
  refused: string;
}

/** An autocomplete request: the option being typed and the others so far. */
export interface AutocompleteInput {
  caller: Caller;
  focused: { name: string; value: string };
  options: OptionValues;
}

export interface Choice {
  name: string;
  value: string | number;
}

/** The runner, for a button whose press runs another command on an entity. */
export interface Runner {
  onEntity(command: string, entityId: string, input: Input): Promise<Reply | undefined>;
}

/**
 * One `/ha <subcommand>`, declared: its options, what it needs, and what it plans to do.
 * The runner (runner.ts) does the rest in one order for every command: HA away → the
 * command's policy action → `prepare` → resolve the target → ambiguity menu → access per
 * entity → `plan` (whose act() asks for a confirmation when the policy wants one).
 */
export interface CommandSpec<P = undefined> {
  name: string;
  /** Set for `/ha <group> <name>` (e.g. `/ha watch add`). */
  group?: string;
  /** A command of its own beside `/ha` (`/goodnight`: a custom command from the config). */
  topLevel?: boolean;
  description: string;
  options?: readonly OptionSpec[];
  /** Refuse while HA is away (`ha`), or while no entity is loaded and HA is away (`entities`). */
  needs?: 'ha' | 'entities';
  /** The policy action the command needs as a whole, checked without an entity. */
  action?: Action;
  /** Reads and checks the options (may ask HA); its result goes to the target and plan. */
  prepare?(input: Input, ctx: CommandContext): P | Refusal | Promise<P | Refusal>;
  target?: TargetSpec<P>;
  /** What to do, as data: a reply, or act()'s service calls. */
  plan(input: Input, targets: Targets, prepared: P, ctx: CommandContext): Reply | Promise<Reply>;
  autocomplete?(input: AutocompleteInput, ctx: CommandContext): Choice[] | Promise<Choice[]>;
  /** A press on a button this command made (`button(name, ...args)` in discord/custom-id). */
  button?(
    args: readonly string[],
    input: Input,
    ctx: CommandContext,
    runner: Runner,
  ): Reply | Promise<Reply>;
}

/** A command of any prepared type, as the registry and runner hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandSpec<any>;
