/**
 * The shapes of Home Assistant's websocket messages, as the real releases in
 * tests/e2e/ha/releases.txt send them (2024.3.3 and 2025.4.4), read from their replies
 * (HA_CONTRACT_DUMP, see ha-contract.ts). Strict objects: a key the release does not send,
 * or one it sends that is missing here, fails the contract, so the fake HA (tests/fakes/ha)
 * cannot drift from the real one unnoticed. `later(x)`: a key 2025.4.4 sends and 2024.3.3 does
 * not (it came in a release between them): required from 2024.4 on, absent before.
 * `.optional()`: a key that depends on the data, not the release.
 */
import { z } from 'zod';

const releaseAtLeast = (version: string, floor: string) =>
  version.localeCompare(floor, undefined, { numeric: true }) >= 0;

/** The shapes `version` sends. */
export function shapesOf(version: string) {
  const later = <T extends z.ZodType>(schema: T) =>
    releaseAtLeast(version, '2024.4') ? schema : z.never().optional();

  const isoTime = z.iso.datetime({ offset: true });
  const nullableString = z.string().nullable();

  const Context = z.strictObject({
    id: z.string().min(1),
    parent_id: nullableString,
    user_id: nullableString,
  });

  /** `State.as_dict()`: get_states and state_changed events. */
  const State = z.strictObject({
    entity_id: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/),
    state: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    last_changed: isoTime,
    last_reported: later(isoTime),
    last_updated: isoTime,
    context: Context,
  });

  const AuthRequired = z.strictObject({
    type: z.literal('auth_required'),
    ha_version: z.string(),
  });
  const AuthOk = z.strictObject({ type: z.literal('auth_ok'), ha_version: z.string() });
  const AuthInvalid = z.strictObject({ type: z.literal('auth_invalid'), message: z.string() });

  const ErrorPayload = z.strictObject({
    code: z.string().min(1),
    message: z.string(),
    translation_key: z.string().optional(),
    translation_domain: z.string().optional(),
    translation_placeholders: z.record(z.string(), z.string()).nullable().optional(),
  });

  const ResultOk = z.strictObject({
    id: z.number().int().positive(),
    type: z.literal('result'),
    success: z.literal(true),
    result: z.unknown(),
  });

  const ResultError = z.strictObject({
    id: z.number().int().positive(),
    type: z.literal('result'),
    success: z.literal(false),
    error: ErrorPayload,
  });

  const Pong = z.strictObject({ id: z.number().int().positive(), type: z.literal('pong') });

  const EventMessage = z.strictObject({
    id: z.number().int().positive(),
    type: z.literal('event'),
    event: z.unknown(),
  });

  const StateChangedEvent = z.strictObject({
    event_type: z.literal('state_changed'),
    data: z.strictObject({
      entity_id: z.string(),
      old_state: State.nullable(),
      new_state: State.nullable(),
    }),
    origin: z.enum(['LOCAL', 'REMOTE']),
    time_fired: isoTime,
    context: Context,
  });

  const CustomEvent = z.strictObject({
    event_type: z.string(),
    data: z.record(z.string(), z.unknown()),
    origin: z.enum(['LOCAL', 'REMOTE']),
    time_fired: isoTime,
    context: Context,
  });

  /** call_service and fire_event results. */
  const ContextResult = z.strictObject({ context: Context });
  const ServiceResult = z.strictObject({
    context: Context,
    response: z.unknown().optional(),
  });

  /** subscribe_entities: compressed states. */
  const CompressedContext = z.union([z.string(), Context.partial()]);
  const CompressedState = z.strictObject({
    s: z.string(),
    a: z.record(z.string(), z.unknown()),
    c: CompressedContext,
    lc: z.number(),
    lu: z.number().optional(),
  });
  const CompressedDiff = z.strictObject({
    '+': z
      .strictObject({
        s: z.string().optional(),
        a: z.record(z.string(), z.unknown()).optional(),
        c: CompressedContext.optional(),
        lc: z.number().optional(),
        lu: z.number().optional(),
      })
      .optional(),
    '-': z.strictObject({ a: z.array(z.string()) }).optional(),
  });
  const EntitiesEvent = z.strictObject({
    a: z.record(z.string(), CompressedState).optional(),
    c: z.record(z.string(), CompressedDiff).optional(),
    r: z.array(z.string()).optional(),
  });

  const UnitSystem = z.strictObject({
    length: z.string(),
    accumulated_precipitation: z.string(),
    mass: z.string(),
    pressure: z.string(),
    temperature: z.string(),
    volume: z.string(),
    wind_speed: z.string(),
    area: later(z.string()),
  });

  const Config = z.strictObject({
    latitude: z.number(),
    longitude: z.number(),
    elevation: z.number(),
    radius: later(z.number()),
    unit_system: UnitSystem,
    location_name: z.string(),
    time_zone: z.string(),
    components: z.array(z.string()),
    config_dir: z.string(),
    allowlist_external_dirs: z.array(z.string()),
    allowlist_external_urls: z.array(z.string()),
    // the deprecated name of allowlist_external_dirs, still sent
    whitelist_external_dirs: z.array(z.string()),
    version: z.string(),
    config_source: z.string(),
    recovery_mode: z.boolean(),
    safe_mode: z.boolean(),
    state: z.enum(['NOT_RUNNING', 'STARTING', 'RUNNING', 'STOPPING', 'FINAL_WRITE', 'STOPPED']),
    external_url: nullableString,
    internal_url: nullableString,
    currency: z.string(),
    country: nullableString,
    language: z.string(),
    debug: later(z.boolean()),
  });

  const ServiceField = z.record(z.string(), z.unknown());
  const Services = z.record(
    z.string(),
    z.record(
      z.string(),
      z.strictObject({
        name: z.string().optional(),
        description: z.string().optional(),
        fields: z.record(z.string(), ServiceField),
        target: z.record(z.string(), z.unknown()).optional(),
        response: z.strictObject({ optional: z.boolean() }).optional(),
      }),
    ),
  );

  const epoch = z.number();

  const Area = z.strictObject({
    aliases: z.array(z.string()),
    area_id: z.string(),
    name: z.string(),
    picture: nullableString,
    icon: nullableString,
    floor_id: later(nullableString),
    labels: later(z.array(z.string())),
    humidity_entity_id: later(nullableString),
    temperature_entity_id: later(nullableString),
    created_at: later(epoch),
    modified_at: later(epoch),
  });

  const Floor = z.strictObject({
    floor_id: z.string(),
    name: z.string(),
    icon: nullableString,
    level: z.number().nullable(),
    aliases: later(z.array(z.string())),
    created_at: later(epoch),
    modified_at: later(epoch),
  });

  const Label = z.strictObject({
    label_id: z.string(),
    name: z.string(),
    color: nullableString,
    icon: nullableString,
    description: nullableString,
    created_at: later(epoch),
    modified_at: later(epoch),
  });

  const Device = z.strictObject({
    area_id: nullableString,
    config_entries: z.array(z.string()),
    configuration_url: nullableString,
    connections: z.array(z.tuple([z.string(), z.string()])),
    disabled_by: nullableString,
    entry_type: nullableString,
    hw_version: nullableString,
    id: z.string(),
    identifiers: z.array(z.tuple([z.string(), z.string()])),
    // 2025.4.4 sends it; 2024.3.3 lists no device here to tell.
    labels: z.array(z.string()).optional(),
    manufacturer: nullableString,
    model: nullableString,
    name_by_user: nullableString,
    name: nullableString,
    serial_number: nullableString,
    sw_version: nullableString,
    via_device_id: nullableString,
    config_entries_subentries: later(z.record(z.string(), z.array(z.string().nullable()))),
    model_id: later(nullableString),
    primary_config_entry: later(nullableString),
    created_at: later(epoch),
    modified_at: later(epoch),
  });

  /** `config/entity_registry/list`: each entry's `as_partial_dict`. */
  const EntityEntry = z.strictObject({
    area_id: nullableString,
    config_entry_id: nullableString,
    device_id: nullableString,
    disabled_by: nullableString,
    entity_category: nullableString,
    entity_id: z.string(),
    has_entity_name: z.boolean(),
    hidden_by: nullableString,
    icon: nullableString,
    id: z.string(),
    name: nullableString,
    options: z.record(z.string(), z.unknown()),
    original_name: nullableString,
    platform: z.string(),
    translation_key: nullableString,
    unique_id: z.string(),
    labels: z.array(z.string()),
    categories: later(z.record(z.string(), z.string())),
    config_subentry_id: later(nullableString),
    created_at: later(epoch),
    modified_at: later(epoch),
  });

  /** `config/entity_registry/list_for_display`: compact keys, present only when set. */
  const DisplayList = z.strictObject({
    entity_categories: z.record(z.string(), z.string()),
    entities: z.array(
      z.strictObject({
        ei: z.string(),
        pl: z.string(),
        ai: z.string().optional(),
        di: z.string().optional(),
        ec: z.number().optional(),
        en: z.string().optional(),
        hb: z.boolean().optional(),
        hn: z.boolean().optional(),
        ic: z.string().optional(),
        lb: z.array(z.string()).optional(),
        tk: z.string().optional(),
      }),
    ),
  });

  /** history/history_during_period as the bot asks: minimal_response, no_attributes. */
  const History = z.record(
    z.string(),
    z.array(
      z.strictObject({
        s: z.string(),
        lc: z.number().optional(),
        lu: z.number().optional(),
      }),
    ),
  );
  return {
    Context,
    State,
    AuthRequired,
    AuthOk,
    AuthInvalid,
    ErrorPayload,
    ResultOk,
    ResultError,
    Pong,
    EventMessage,
    StateChangedEvent,
    CustomEvent,
    ContextResult,
    ServiceResult,
    CompressedState,
    CompressedDiff,
    EntitiesEvent,
    UnitSystem,
    Config,
    Services,
    Area,
    Floor,
    Label,
    Device,
    EntityEntry,
    DisplayList,
    History,
  };
}
