/** Public shapes of the fake Home Assistant; the wire shapes follow HA 2024.3. */

export interface FakeEntityInput {
  entity_id: string;
  state: string;
  attributes?: Record<string, unknown>;
}

export interface FakeArea {
  area_id: string;
  name: string;
  aliases?: string[];
  /** HA 2024.4+ (haVersion): listed and used only from that release on. */
  floor_id?: string | null;
  labels?: string[];
}

/** `config/floor_registry/list` (HA 2024.3+; aliases listed from 2024.4). */
export interface FakeFloor {
  floor_id: string;
  name: string;
  aliases?: string[];
  level?: number | null;
}

/** `config/label_registry/list` (HA 2024.3+). */
export interface FakeLabel {
  label_id: string;
  name: string;
  color?: string | null;
}

export interface FakeRegistryEntry {
  entity_id: string;
  area_id?: string | null;
  device_id?: string | null;
  /** The user-given name (registry `name`), not the state's friendly_name. */
  name?: string | null;
  aliases?: string[];
  hidden?: boolean;
  /** 'config' or 'diagnostic', as HA's EntityCategory. */
  entity_category?: string | null;
  /** Integration that owns the entity; defaults to 'template' (HA's `pl`). */
  platform?: string;
  /** Label ids (assignable from HA 2024.4). */
  labels?: string[];
}

export interface FakeDevice {
  id: string;
  area_id?: string | null;
  name: string;
  /** Label ids (HA 2024.4+). */
  labels?: string[];
}

export interface FakeHaOptions {
  /** The accepted access token; default 'fake-ha-token'. */
  token?: string;
  /** Default 0: a free port, kept across restart(). */
  port?: number;
  entities?: FakeEntityInput[];
  areas?: FakeArea[];
  registry?: FakeRegistryEntry[];
  devices?: FakeDevice[];
  floors?: FakeFloor[];
  labels?: FakeLabel[];
  /**
   * Default '2024.3.3'. Also the registries' formats: floors and labels are listed from 2024.3
   * (older: `unknown_command`), assigned and heard by non-administrators from 2024.4.
   */
  haVersion?: string;
  /** Default true: honour `supported_features.coalesce_messages` and batch one tick's messages. */
  coalesce?: boolean;
  /** Delay between a call_service result and the state change it causes; default 0. */
  stateChangeDelayMs?: number;
  /** Default true. False: a non-admin user's token (HA refuses fire_event, most event subscriptions). */
  admin?: boolean;
  /** How long a client may take to send `auth`; HA's is 10 s. */
  authTimeoutMs?: number;
  /**
   * Default true: HA's recorder and `history/history_during_period`, as `default_config:`
   * loads them. False: an HA without them (the command is unknown).
   */
  history?: boolean;
  /**
   * Serve the API the way the Supervisor proxies it to add-ons: REST under `/core/api/` and
   * the websocket at `/core/websocket` (instead of `/api/` and `/api/websocket`).
   */
  supervisorProxy?: boolean;
  /**
   * HA's `http: login_attempts_threshold`: after this many failed logins in a row (websocket
   * auth_invalid or REST 401; a websocket login resets the count) the fake bans the client:
   * `banned` becomes true. Default: no ban.
   */
  loginAttemptsThreshold?: number;
}

export interface FakeContext {
  id: string;
  parent_id: string | null;
  user_id: string | null;
}

/** HA's `State.as_dict()`: what get_states and state_changed events carry. */
export interface FakeState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  /** HA 2024.4+ only. */
  last_reported?: string;
  last_updated: string;
  context: FakeContext;
}

export interface HaError {
  code: string;
  message: string;
}

export interface RecordedServiceCall {
  domain: string;
  service: string;
  service_data?: Record<string, unknown>;
  target?: Record<string, unknown>;
  return_response?: boolean;
  contextId: string;
  at: number;
}

export interface ServiceHandlerResult {
  error?: HaError;
  response?: unknown;
  /** Skip the built-in state change of a known service. */
  noStateChange?: boolean;
}

/**
 * Sees every call_service first. Returning undefined keeps the built-in behaviour; returning
 * an object answers the call (so a handler can also define services the fake does not know).
 */
export type ServiceHandler = (
  call: RecordedServiceCall,
) => ServiceHandlerResult | void | Promise<ServiceHandlerResult | void>;

export interface CommandHandlerResult {
  result?: unknown;
  error?: HaError;
}

/** Answers a websocket command type the fake does not know (e.g. `conversation/process`). */
export type CommandHandler = (
  msg: Record<string, unknown>,
) => CommandHandlerResult | Promise<CommandHandlerResult>;

export type CoreState = 'RUNNING' | 'NOT_RUNNING' | 'STARTING';
