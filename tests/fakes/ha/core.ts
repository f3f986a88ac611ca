import { FakeAuth } from './auth.js';
import { EventBus } from './bus.js';
import { isoFromMicros, nowMicros, randomHex, ulid } from './clock.js';
import { FakeRecorder } from './recorder.js';
import { Registries, releaseAtLeast } from './registries.js';
import { StateMachine, type StateChange } from './state-machine.js';
import type { CoreState, FakeContext, FakeHaOptions } from './types.js';

/**
 * The `hass` object of the fake: state machine, event bus, registries and core config.
 * It outlives the server, so states survive restart() as they survive an HA restart.
 */
export class HaCore {
  readonly bus = new EventBus();
  readonly machine: StateMachine;
  readonly registries: Registries;
  /** The user's tokens: which are valid, and the refresh token behind each. */
  readonly auth = new FakeAuth();
  /** The user every token belongs to (an admin and owner, as a LLAT's user usually is). */
  readonly userId = randomHex();
  readonly haVersion: string;
  /**
   * HA 2024.4 and later (2025.4.4 here): states carry `last_reported`, the core config `radius`,
   * `debug` and an area unit, as the contract (tests/contract) found the real releases do.
   */
  readonly since2024_4: boolean;
  /** False: the token's user is not an administrator, and HA refuses what needs one. */
  readonly isAdmin: boolean;
  /** HA's recorder with the history API; undefined as in an HA without `recorder:`. */
  readonly recorder: FakeRecorder | undefined;
  coreState: CoreState = 'RUNNING';

  constructor(opts: FakeHaOptions) {
    this.haVersion = opts.haVersion ?? '2024.3.3';
    this.since2024_4 = releaseAtLeast(this.haVersion, '2024.4');
    this.machine = new StateMachine((change) => this.onStateChange(change), {
      lastReported: this.since2024_4,
    });
    this.isAdmin = opts.admin ?? true;
    this.recorder = opts.history === false ? undefined : new FakeRecorder(this.bus, TIME_ZONE);
    this.registries = new Registries(opts.areas, opts.devices, opts.registry, {
      floors: opts.floors,
      labels: opts.labels,
      haVersion: this.haVersion,
    });
  }

  /** A context as an integration or automation makes it: no user, no parent. */
  static context(id: string = ulid(), userId: string | null = null): FakeContext {
    return { id, parent_id: null, user_id: userId };
  }

  userContext(): FakeContext {
    return HaCore.context(ulid(), this.userId);
  }

  fireEvent(eventType: string, data: Record<string, unknown>, context = HaCore.context()): void {
    this.bus.fire({
      event: {
        event_type: eventType,
        data,
        origin: 'LOCAL',
        time_fired: isoFromMicros(nowMicros()),
        context,
      },
    });
  }

  /** `hass.config.as_dict()`, what get_config and GET /api/config return. */
  config(): Record<string, unknown> {
    const domains = this.machine.domains();
    return {
      latitude: 52.3731,
      longitude: 4.8922,
      elevation: 0,
      ...(this.since2024_4 ? { radius: 100 } : {}),
      unit_system: {
        length: 'km',
        accumulated_precipitation: 'mm',
        ...(this.since2024_4 ? { area: 'm²' } : {}),
        mass: 'g',
        pressure: 'Pa',
        temperature: '°C',
        volume: 'L',
        wind_speed: 'm/s',
      },
      location_name: 'Home',
      time_zone: TIME_ZONE,
      components: [...new Set([...BASE_COMPONENTS, ...domains])].sort(),
      config_dir: '/config',
      allowlist_external_dirs: ['/config/www', '/media'],
      allowlist_external_urls: [],
      version: this.haVersion,
      config_source: 'storage',
      recovery_mode: false,
      state: this.coreState,
      external_url: null,
      internal_url: null,
      currency: 'EUR',
      country: 'NL',
      language: 'en',
      safe_mode: false,
      whitelist_external_dirs: ['/config/www', '/media'],
      ...(this.since2024_4 ? { debug: false } : {}),
    };
  }

  /** `auth/current_user` */
  currentUser(): Record<string, unknown> {
    return {
      id: this.userId,
      name: 'Fake Owner',
      is_owner: true,
      is_admin: this.isAdmin,
      credentials: [{ auth_provider_type: 'homeassistant', auth_provider_id: null }],
      mfa_modules: [{ id: 'totp', name: 'Authenticator app', enabled: false }],
    };
  }

  private onStateChange(change: StateChange): void {
    this.bus.fire({
      event: {
        event_type: 'state_changed',
        data: {
          entity_id: change.entityId,
          old_state: change.old?.state ?? null,
          new_state: change.new?.state ?? null,
        },
        origin: 'LOCAL',
        time_fired: change.new?.state.last_updated ?? isoFromMicros(nowMicros()),
        context: change.context,
      },
      change,
    });
  }
}

/** Integrations HA 2024.3 loads even with a minimal configuration. */
/** HA's configured time zone (`get_config`), by which its daily statistics run. */
export const TIME_ZONE = 'Europe/Amsterdam';

const BASE_COMPONENTS = [
  'api',
  'auth',
  'backup',
  'config',
  'frontend',
  'hardware',
  'homeassistant',
  'http',
  'network',
  'onboarding',
  'person',
  'websocket_api',
];
