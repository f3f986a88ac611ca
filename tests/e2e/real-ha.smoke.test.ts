/**
 * Smoke test of the real-HA harness (tests/e2e/ha): a real Home Assistant (each release in
 * tests/e2e/ha/releases.txt, one jest project each) starts, the
 * config's entities exist, services work, the token survives a restart and dies when revoked.
 * It also records the exact shapes real HA sends (printed at the end) that our fakes must match.
 */
import {
  byRelease,
  HA_VERSION,
  HaAuthError,
  HaCommandError,
  HaSocket,
  startRealHa,
  type RealHa,
} from './ha/real-ha.js';

interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
}

/** subscribe_entities payloads: `a` added (full), `c` changed (diff), `r` removed. */
interface EntityDiff {
  '+'?: { s?: string; a?: Record<string, unknown>; c?: unknown; lc?: number; lu?: number };
  '-'?: { a?: string[] };
}
interface EntitiesEvent {
  a?: Record<
    string,
    { s: string; a: Record<string, unknown>; c: unknown; lc: number; lu?: number }
  >;
  c?: Record<string, EntityDiff>;
  r?: string[];
}

const shapes: Record<string, unknown> = {};
const timings: Record<string, number> = {};
let ha: RealHa | undefined;

function realHa(): RealHa {
  if (!ha) throw new Error('HA did not start');
  return ha;
}

async function errorOf(promise: Promise<unknown>): Promise<HaCommandError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HaCommandError) return err;
    throw err;
  }
  throw new Error('expected the command to fail');
}

async function states(socket: HaSocket): Promise<Map<string, HaState>> {
  const list = await socket.command<HaState[]>({ type: 'get_states' });
  return new Map(list.map((s) => [s.entity_id, s]));
}

beforeAll(async () => {
  const started = Date.now();
  ha = await startRealHa();
  timings.startToRunningMs = Date.now() - started;
}, 15 * 60_000); // includes setup.sh when the venv is missing

afterAll(async () => {
  await ha?.stop();
  process.stdout.write(
    `\n[real-ha smoke ${HA_VERSION}] timings: ${JSON.stringify(timings)}\n` +
      `[real-ha smoke ${HA_VERSION}] shapes from real HA:\n${JSON.stringify(shapes, null, 2)}\n`,
  );
}, 60_000);

describe(`real Home Assistant ${HA_VERSION} (smoke)`, () => {
  let socket: HaSocket;
  const events: EntitiesEvent[] = [];

  /** Resolves once a subscribe_entities event satisfies `match`. */
  async function entityEvent(match: (e: EntitiesEvent) => boolean): Promise<EntitiesEvent> {
    const msg = await socket.waitFor(
      (m) => m.type === 'event' && match(m.event as EntitiesEvent),
      10_000,
    );
    return msg.event as EntitiesEvent;
  }

  beforeAll(async () => {
    socket = await HaSocket.connect(realHa().url, realHa().token);
  });

  afterAll(() => socket?.close());

  it('authenticates the long-lived token like HA does', () => {
    const [required, ok] = socket.received;
    shapes.authRequired = required;
    shapes.authOk = ok;
    expect(required).toEqual({ type: 'auth_required', ha_version: HA_VERSION });
    expect(ok).toEqual({ type: 'auth_ok', ha_version: HA_VERSION });
  });

  it('accepts supported_features (coalesce_messages) as the app sends it', async () => {
    // The app sends this right after auth_ok; HA may then batch messages in JSON arrays.
    const result = await socket.command({
      type: 'supported_features',
      features: { coalesce_messages: 1 },
    });
    expect(result).toBeNull();
  });

  it('has the configured entities', async () => {
    const all = await states(socket);
    expect(all.get('light.kitchen_light')).toMatchObject({
      state: 'off',
      attributes: { friendly_name: 'Kitchen Light' },
    });
    expect(all.get('switch.coffee_maker')).toMatchObject({
      state: 'off',
      attributes: { friendly_name: 'Coffee Maker' },
    });
    expect(all.get('sensor.temp')).toMatchObject({
      state: '21.0',
      attributes: { friendly_name: 'Temp', unit_of_measurement: '°C', device_class: 'temperature' },
    });
    expect(all.get('binary_sensor.front_door')).toMatchObject({
      state: 'off',
      attributes: { friendly_name: 'Front Door', device_class: 'door' },
    });
    shapes.getStatesLight = all.get('light.kitchen_light');
  });

  it('sends subscribe_entities snapshots and diffs', async () => {
    await socket.subscribe({ type: 'subscribe_entities' }, (e) => events.push(e as EntitiesEvent));
    const first = await entityEvent((e) => e.a !== undefined);
    expect(first.a?.['light.kitchen_light']).toMatchObject({ s: 'off' });
    shapes.subscribeEntitiesFirstEventLight = first.a?.['light.kitchen_light'];
    shapes.subscribeEntitiesFirstEventKeys = Object.keys(first);
  });

  it('turns the light on with call_service', async () => {
    const result = await socket.command<{ context: Record<string, unknown> }>({
      type: 'call_service',
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen_light' },
    });
    shapes.callServiceResult = result;
    expect(result.context).toEqual(expect.objectContaining({ id: expect.any(String) }));
    const diff = await entityEvent((e) => e.c?.['light.kitchen_light']?.['+']?.s === 'on');
    shapes.subscribeEntitiesChangeLightOn = diff;
    // Which reached the client first: the state change or the call_service result?
    const resultAt = socket.received.findIndex((m) => m.type === 'result' && m.result === result);
    const eventAt = socket.received.findIndex((m) => m.event === diff);
    shapes.lightOnOrder = eventAt < resultAt ? 'event before result' : 'result before event';
    expect((await states(socket)).get('light.kitchen_light')?.state).toBe('on');
  });

  it('sensor.temp follows input_number.temperature', async () => {
    await socket.command({
      type: 'call_service',
      domain: 'input_number',
      service: 'set_value',
      service_data: { value: 23.5 },
      target: { entity_id: 'input_number.temperature' },
    });
    const diff = await entityEvent((e) => e.c?.['sensor.temp']?.['+']?.s === '23.5');
    shapes.subscribeEntitiesChangeTemp = diff;
    shapes.coalescedFramesSoFar = socket.coalescedFrames;
  });

  it('reports errors in HA’s exact shapes', async () => {
    const unknownService = await errorOf(
      socket.command({
        type: 'call_service',
        domain: 'light',
        service: 'nonexistent_service',
        target: { entity_id: 'light.kitchen_light' },
      }),
    );
    shapes.errorUnknownService = unknownService.error;
    expect(unknownService.error).toEqual({
      code: 'not_found',
      message: 'Service light.nonexistent_service not found.',
      translation_key: 'service_not_found',
      translation_domain: 'homeassistant',
      translation_placeholders: { domain: 'light', service: 'nonexistent_service' },
    });

    const outOfRange = await errorOf(
      socket.command({
        type: 'call_service',
        domain: 'input_number',
        service: 'set_value',
        service_data: { value: 999 },
        target: { entity_id: 'input_number.temperature' },
      }),
    );
    shapes.errorOutOfRange = outOfRange.error;
    // vol.Invalid raised by the service handler: invalid_format, not service_validation_error.
    expect(outOfRange.error).toEqual({
      code: 'invalid_format',
      message: 'Invalid value for input_number.temperature: 999.0 (range -20.0 - 50.0)',
    });

    // ServiceValidationError: scene.delete on an entity that is no scene.
    const validation = await errorOf(
      socket.command({
        type: 'call_service',
        domain: 'scene',
        service: 'delete',
        target: { entity_id: 'scene.nope' },
      }),
    );
    shapes.errorServiceValidation = validation.error;
    expect(validation.error).toEqual({
      code: 'service_validation_error',
      // HA reworded it between the releases.
      message: byRelease({
        '2024.3.3': 'Validation error: scene.nope is not a valid scene entity_id',
        '2025.4.4': 'Validation error: scene.nope is not a valid entity ID of a scene',
      }),
      translation_key: 'entity_not_scene',
      translation_domain: 'scene',
      translation_placeholders: { entity_id: 'scene.nope' },
    });

    const noResponse = await errorOf(
      socket.command({
        type: 'call_service',
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: 'light.kitchen_light' },
        return_response: true,
      }),
    );
    shapes.errorReturnResponseUnsupported = noResponse.error;
    // 2024.3 raises a bare ValueError here; 2025.4 a translated ServiceValidationError.
    expect(noResponse.error).toEqual(
      byRelease<unknown>({
        '2024.3.3': {
          code: 'unknown_error',
          message: 'Invalid argument return_response=True when handler does not support responses',
        },
        '2025.4.4': {
          code: 'service_validation_error',
          message:
            "Validation error: An action which does not return responses can't be called with return_response=True",
          translation_key: 'service_does_not_support_response',
          translation_domain: 'homeassistant',
          translation_placeholders: { return_response: 'return_response=True' },
        },
      }),
    );

    const unknownCommand = await errorOf(socket.command({ type: 'no/such_command' }));
    shapes.errorUnknownCommand = unknownCommand.error;
    expect(unknownCommand.error).toEqual({ code: 'unknown_command', message: 'Unknown command.' });
  });

  it('assigns the light to a new Kitchen area', async () => {
    const areaId = await realHa().setupArea('Kitchen', ['light.kitchen_light']);
    shapes.areaId = areaId;
    const areas = await realHa().ws<{ area_id: string; name: string }[]>({
      type: 'config/area_registry/list',
    });
    expect(areas).toContainEqual(expect.objectContaining({ area_id: areaId, name: 'Kitchen' }));
    const display = await realHa().ws<{ entities: Record<string, unknown>[] }>({
      type: 'config/entity_registry/list_for_display',
    });
    const light = display.entities.find((e) => e.ei === 'light.kitchen_light');
    shapes.listForDisplayLight = light;
    expect(light).toMatchObject({ ai: areaId });

    // What the app's registry sync reads besides: devices and entries with aliases.
    const devices = await realHa().ws<Record<string, unknown>[]>({
      type: 'config/device_registry/list',
    });
    shapes.devices = devices;
    // No device in this config, but 2025.4's always-loaded backup integration registers a service
    // device "Backup" (with sensors of its own).
    expect(devices.map((d) => d.name)).toEqual(
      byRelease({ '2024.3.3': [], '2025.4.4': ['Backup'] }),
    );
    const entries = await realHa().ws<Record<string, Record<string, unknown> | null>>({
      type: 'config/entity_registry/get_entries',
      entity_ids: ['light.kitchen_light', 'light.not_there'],
    });
    shapes.getEntriesUnknownEntity = entries['light.not_there'];
    expect(entries['light.kitchen_light']).toMatchObject({ area_id: areaId, aliases: [] });
    expect(entries['light.not_there']).toBeNull();
  });

  // HA's UI has floors and labels from 2024.4. 2024.3.3's websocket API already lists, creates
  // and deletes both, but cannot put an area on a floor or a label on an entity: in it nothing
  // has a floor or a label (entities list `labels: []`), and areas list no floor_id.
  it('has floor and label registries', async () => {
    const ha = realHa();
    const floor = await ha.ws<{ floor_id: string }>({
      type: 'config/floor_registry/create',
      name: 'Downstairs',
      level: 0,
      // 2024.3.3's floors have aliases in the registry, but its websocket API neither takes
      // nor lists them ("extra keys not allowed @ data['aliases']").
      ...byRelease({ '2024.3.3': {}, '2025.4.4': { aliases: ['ground floor'] } }),
    });
    const label = await ha.ws<{ label_id: string }>({
      type: 'config/label_registry/create',
      name: 'Christmas lights',
      color: '#ff0000', // 2024.3.3 takes only #rrggbb; 2025.4.4 also theme colour names ('red')
      icon: 'mdi:pine-tree',
    });
    const areaId = await ha.setupArea('Kitchen', []);
    const assignments = [
      { type: 'config/area_registry/update', area_id: areaId, floor_id: floor.floor_id },
      {
        type: 'config/entity_registry/update',
        entity_id: 'light.kitchen_light',
        labels: [label.label_id],
      },
    ];
    if (byRelease({ '2024.3.3': false, '2025.4.4': true })) {
      for (const msg of assignments) await ha.ws(msg);
    } else {
      for (const msg of assignments) {
        const error = await errorOf(ha.ws(msg));
        expect(error.error.message).toMatch(
          /^extra keys not allowed @ data\['(floor_id|labels)'\]/,
        );
      }
    }
    const floors = await ha.ws<Record<string, unknown>[]>({ type: 'config/floor_registry/list' });
    const labels = await ha.ws<Record<string, unknown>[]>({ type: 'config/label_registry/list' });
    const areas = await ha.ws<Record<string, unknown>[]>({ type: 'config/area_registry/list' });
    const display = await ha.ws<{ entities: Record<string, unknown>[] }>({
      type: 'config/entity_registry/list_for_display',
    });
    const entries = await ha.ws<Record<string, Record<string, unknown>>>({
      type: 'config/entity_registry/get_entries',
      entity_ids: ['light.kitchen_light'],
    });
    const area = areas.find((a) => a.area_id === areaId);
    const light = display.entities.find((e) => e.ei === 'light.kitchen_light');
    Object.assign(shapes, {
      floorRegistryList: floors,
      labelRegistryList: labels,
      areaWithFloor: area,
      listForDisplayLabelledLight: light,
      getEntriesLabelledLight: entries['light.kitchen_light'],
    });
    const floorShape = { floor_id: floor.floor_id, name: 'Downstairs', icon: null, level: 0 };
    const labelShape = {
      label_id: label.label_id,
      name: 'Christmas lights',
      color: '#ff0000',
      icon: 'mdi:pine-tree',
      description: null,
    };
    // 2025.4.4's entries also carry created_at and modified_at (epoch seconds), and floor aliases.
    const stamps = { created_at: expect.any(Number), modified_at: expect.any(Number) };
    expect(floors).toEqual([
      byRelease<unknown>({
        '2024.3.3': floorShape,
        '2025.4.4': { ...floorShape, aliases: ['ground floor'], ...stamps },
      }),
    ]);
    expect(labels).toEqual([
      byRelease<unknown>({ '2024.3.3': labelShape, '2025.4.4': { ...labelShape, ...stamps } }),
    ]);
    if (byRelease({ '2024.3.3': false, '2025.4.4': true })) {
      expect(area).toMatchObject({ floor_id: floor.floor_id, labels: [] });
      // list_for_display's compact key for labels is `lb`.
      expect(light).toMatchObject({ lb: [label.label_id] });
      expect(entries['light.kitchen_light']).toMatchObject({ labels: [label.label_id] });
    } else {
      expect(area).not.toHaveProperty('floor_id');
      expect(light).toMatchObject({ lb: [] });
      expect(entries['light.kitchen_light']).toMatchObject({ labels: [] });
    }
  });

  it('answers Assist (conversation/process) in the shape the bot reads', async () => {
    const result = await socket.command<{
      conversation_id: string | null;
      response: Record<string, unknown>;
    }>({ type: 'conversation/process', text: 'turn on the coffee maker', language: 'en' });
    shapes.conversationProcess = result;
    expect(result.response).toMatchObject({
      response_type: 'action_done',
      speech: { plain: { speech: expect.any(String) } },
      data: {
        success: [{ type: 'entity', id: 'switch.coffee_maker', name: 'Coffee Maker' }],
        failed: [],
      },
    });
    // 2024.3 answers the built-in agent's sentences without a conversation id; 2025.4 always
    // gives one (and `continue_conversation`).
    expect(typeof result.conversation_id).toBe(
      byRelease({ '2024.3.3': 'object', '2025.4.4': 'string' }),
    );
  });

  it('keeps the token, states and areas across a restart', async () => {
    socket.close();
    const started = Date.now();
    await realHa().restart();
    timings.restartToRunningMs = Date.now() - started;
    socket = await HaSocket.connect(realHa().url, realHa().token);
    expect((await states(socket)).get('light.kitchen_light')?.state).toBe('on');
    const areas = await realHa().ws<{ name: string }[]>({ type: 'config/area_registry/list' });
    expect(areas.map((a) => a.name)).toContain('Kitchen');
  });

  it('rejects the token once it is revoked', async () => {
    const ha = realHa();
    const closed = socket.closed(10_000);
    await ha.revokeToken(ha.token);
    // HA closes connections authenticated with the revoked token.
    shapes.openSocketOnRevoke = await closed;

    const reply = await HaSocket.probeAuth(ha.url, ha.token);
    shapes.authInvalid = reply;
    expect(reply).toEqual({ type: 'auth_invalid', message: 'Invalid access token or password' });
    await expect(HaSocket.connect(ha.url, ha.token)).rejects.toBeInstanceOf(HaAuthError);

    const rest = await fetch(`${ha.url}/api/`, {
      headers: { Authorization: `Bearer ${ha.token}` },
      signal: AbortSignal.timeout(5000),
    });
    shapes.restWithRevokedToken = { status: rest.status, body: await rest.text() };
    expect(rest.status).toBe(401);

    // The harness' own token is unaffected.
    await expect(ha.ws({ type: 'auth/current_user' })).resolves.toMatchObject({
      name: 'E2E Owner',
      is_owner: true,
    });
  });
});
