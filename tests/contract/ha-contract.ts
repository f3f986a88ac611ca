/**
 * One contract for Home Assistant's websocket API, run against the fake HA (tests/contract,
 * in `npm test`) and against each real release (tests/e2e/contract.e2e.test.ts): a plain
 * websocket client sends what the bot sends and checks every reply against the schemas in
 * schemas.ts. Where the fake and the real HA disagree, one of the two runs fails.
 */
import { appendFileSync } from 'node:fs';
import type { z } from 'zod';
import { HaAuthError, HaSocket, type HaMessage } from '../e2e/ha/ha-socket.js';
import { shapesOf } from './schemas.js';

/** The result and error envelopes, the same in every release. */
const envelope = shapesOf('2024.3.3');

export interface ContractTarget {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** An administrator's long-lived access token. */
  token: string;
  /** The release it is (or plays): what auth_required and get_config must say. */
  version: string;
  /** Whether the release has a device registry entry without any setup (2025.4's backup). */
  hasDevices: boolean;
  /** Releases before 2024.4 list floors and labels but cannot assign them. */
  assignsFloorsAndLabels: boolean;
}

/** The entity every contract test acts on; both the fake's and the real HA's config have it. */
const LIGHT = 'light.kitchen_light';

/** Checks `value` against `schema`, showing every problem and the value on failure. */
export function expectShape(schema: z.ZodType, value: unknown, what: string): void {
  const parsed = schema.safeParse(value);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  if (problems.length > 0) {
    throw new Error(
      `${what} does not match the contract:\n  ${problems.slice(0, 20).join('\n  ')}\n` +
        `value: ${JSON.stringify(value, null, 1).slice(0, 3000)}`,
    );
  }
}

/** HA_CONTRACT_DUMP=<file>: appends every request and raw reply, to read a release's shapes. */
function dump(msg: Record<string, unknown>, reply: unknown): void {
  const file = process.env.HA_CONTRACT_DUMP;
  if (file) appendFileSync(file, `${JSON.stringify({ msg, reply })}\n`);
}

/** The raw reply (the whole `result` message) to `msg`, whether it succeeded or not. */
async function rawReply(socket: HaSocket, msg: Record<string, unknown>): Promise<HaMessage> {
  const from = socket.received.length;
  await socket.command(msg).catch(() => undefined);
  const reply = socket.received.slice(from).find((m) => m.type === 'result');
  if (reply === undefined) throw new Error(`no result for ${JSON.stringify(msg)}`);
  dump(msg, reply);
  return reply;
}

/** Sends `msg`, checks the envelope is a success and its result has `schema`; returns it. */
async function ok<T>(
  socket: HaSocket,
  msg: Record<string, unknown>,
  schema: z.ZodType<T>,
): Promise<T> {
  const reply = await rawReply(socket, msg);
  expectShape(envelope.ResultOk, reply, `the reply to ${String(msg.type)}`);
  expectShape(schema, reply.result, `the result of ${String(msg.type)}`);
  return reply.result as T;
}

/** Sends `msg`, checks the envelope is an error in HA's shape; returns the error payload. */
async function fails(
  socket: HaSocket,
  msg: Record<string, unknown>,
): Promise<z.infer<typeof envelope.ErrorPayload>> {
  const reply = await rawReply(socket, msg);
  expectShape(envelope.ResultError, reply, `the error reply to ${String(msg.type)}`);
  return (reply as unknown as z.infer<typeof envelope.ResultError>).error;
}

const nullResult = (envelope.ResultOk.shape.result as z.ZodType).refine((v) => v === null, 'null');

/** Defines the contract's tests for the HA `target()` gives once the tests run. */
export function haContract(target: () => ContractTarget): void {
  let socket: HaSocket;
  let shape: ReturnType<typeof shapesOf>;

  beforeAll(async () => {
    shape = shapesOf(target().version);
    socket = await HaSocket.connect(target().url, target().token);
  });
  afterAll(() => socket?.close());

  it('authenticates: auth_required, then auth_ok, with the version', () => {
    const [required, okay] = socket.received;
    expectShape(shape.AuthRequired, required, 'auth_required');
    expectShape(shape.AuthOk, okay, 'auth_ok');
    expect(required!.ha_version).toBe(target().version);
    expect(okay!.ha_version).toBe(target().version);
  });

  it('rejects an unknown token with auth_invalid and closes the connection', async () => {
    const wrong = `${target().token.slice(0, -4)}abcd`;
    const error = await HaSocket.connect(target().url, wrong).then(
      (s) => {
        s.close();
        throw new Error('a wrong token was accepted');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HaAuthError);
    expectShape(shape.AuthInvalid, (error as HaAuthError).reply, 'auth_invalid');
  });

  it('answers supported_features and ping', async () => {
    await ok(
      socket,
      { type: 'supported_features', features: { coalesce_messages: 1 } },
      nullResult,
    );
    const pong = await socket.ping();
    expectShape(shape.Pong, pong, 'pong');
  });

  it('serves get_states as State.as_dict', async () => {
    const states = await ok(socket, { type: 'get_states' }, shape.State.array().min(1));
    expect(states.map((s) => s.entity_id)).toContain(LIGHT);
  });

  it('serves get_config', async () => {
    const config = await ok(socket, { type: 'get_config' }, shape.Config);
    expect(config.version).toBe(target().version);
    expect(config.state).toBe('RUNNING');
  });

  it('serves get_services', async () => {
    const services = await ok(socket, { type: 'get_services' }, shape.Services);
    expect(Object.keys(services.light ?? {})).toEqual(
      expect.arrayContaining(['turn_on', 'turn_off', 'toggle']),
    );
  });

  it('sends state_changed events after call_service, whose result is its context', async () => {
    const events: unknown[] = [];
    const sub = await socket.subscribe(
      { type: 'subscribe_events', event_type: 'state_changed' },
      (e) => events.push(e),
    );
    const subReply = socket.received.find((m) => m.id === sub && m.type === 'result');
    expectShape(shape.ResultOk, subReply, 'the reply to subscribe_events');
    expect(subReply!.result).toBeNull();
    const result = await ok(
      socket,
      { type: 'call_service', domain: 'light', service: 'toggle', target: { entity_id: LIGHT } },
      shape.ServiceResult,
    );
    const event = await socket.waitFor(
      (m) =>
        m.type === 'event' &&
        m.id === sub &&
        (m.event as { data?: { entity_id?: string } }).data?.entity_id === LIGHT,
    );
    expectShape(shape.EventMessage, event, 'the event message');
    expectShape(shape.StateChangedEvent, event.event, 'a state_changed event');
    expect((event.event as { context: { id: string } }).context.id).toBe(result.context.id);
    await ok(socket, { type: 'unsubscribe_events', subscription: sub }, nullResult);
  });

  it('fires events with fire_event, heard by subscribe_events', async () => {
    const sub = await socket.subscribe(
      { type: 'subscribe_events', event_type: 'contract_test_event' },
      () => undefined,
    );
    await ok(
      socket,
      { type: 'fire_event', event_type: 'contract_test_event', event_data: { n: 1 } },
      shape.ContextResult,
    );
    const event = await socket.waitFor((m) => m.type === 'event' && m.id === sub);
    expectShape(shape.CustomEvent, event.event, 'a fired event');
    expect(event.event).toMatchObject({ event_type: 'contract_test_event', data: { n: 1 } });
    await ok(socket, { type: 'unsubscribe_events', subscription: sub }, nullResult);
  });

  it('sends subscribe_entities snapshots and diffs in the compressed format', async () => {
    const sub = await socket.subscribe(
      { type: 'subscribe_entities', entity_ids: [LIGHT] },
      () => undefined,
    );
    const first = await socket.waitFor((m) => m.type === 'event' && m.id === sub);
    expectShape(shape.EntitiesEvent, first.event, 'the subscribe_entities snapshot');
    expect(Object.keys((first.event as { a: object }).a)).toEqual([LIGHT]);
    await ok(
      socket,
      { type: 'call_service', domain: 'light', service: 'toggle', target: { entity_id: LIGHT } },
      shape.ServiceResult,
    );
    const diff = await socket.waitFor(
      (m) => m.type === 'event' && m.id === sub && (m.event as { c?: object }).c !== undefined,
    );
    expectShape(shape.EntitiesEvent, diff.event, 'a subscribe_entities diff');
    await ok(socket, { type: 'unsubscribe_events', subscription: sub }, nullResult);
  });

  it('reports errors in one shape: unknown command, unknown service, bad format, bad subscription', async () => {
    expect(await fails(socket, { type: 'no/such_command' })).toEqual({
      code: 'unknown_command',
      message: 'Unknown command.',
    });
    const notFound = await fails(socket, {
      type: 'call_service',
      domain: 'light',
      service: 'nonexistent_service',
      target: { entity_id: LIGHT },
    });
    expect(notFound).toMatchObject({
      code: 'not_found',
      message: 'Service light.nonexistent_service not found.',
    });
    const badFormat = await fails(socket, { type: 'call_service', service: 'toggle' });
    expect(badFormat.code).toBe('invalid_format');
    const noSubscription = await fails(socket, {
      type: 'unsubscribe_events',
      subscription: 999_999,
    });
    expect(noSubscription.code).toBe('not_found');
  });

  it('lists the area, floor, label, device and entity registries', async () => {
    const areas = await ok(
      socket,
      { type: 'config/area_registry/list' },
      shape.Area.array().min(1),
    );
    const floors = await ok(
      socket,
      { type: 'config/floor_registry/list' },
      shape.Floor.array().min(1),
    );
    const labels = await ok(
      socket,
      { type: 'config/label_registry/list' },
      shape.Label.array().min(1),
    );
    const devices = await ok(socket, { type: 'config/device_registry/list' }, shape.Device.array());
    if (target().hasDevices) expect(devices.length).toBeGreaterThan(0);
    const entries = await ok(
      socket,
      { type: 'config/entity_registry/list' },
      shape.EntityEntry.array().min(1),
    );
    const display = await ok(
      socket,
      { type: 'config/entity_registry/list_for_display' },
      shape.DisplayList,
    );
    const light = entries.find((e) => e.entity_id === LIGHT);
    expect(light?.area_id).toEqual(expect.any(String));
    expect(display.entities.find((e) => e.ei === LIGHT)?.ai).toBe(light?.area_id);
    if (target().assignsFloorsAndLabels) {
      expect(areas.some((a) => floors.some((f) => f.floor_id === a.floor_id))).toBe(true);
      expect(light?.labels).toEqual([labels[0]!.label_id]);
    } else {
      expect(areas.every((a) => a.floor_id === undefined)).toBe(true);
    }
  });

  it('serves history/history_during_period', async () => {
    const history = await ok(
      socket,
      {
        type: 'history/history_during_period',
        start_time: new Date(Date.now() - 3600_000).toISOString(),
        entity_ids: [LIGHT],
        include_start_time_state: true,
        // As the bot asks (src/ha/history.ts).
        significant_changes_only: false,
        minimal_response: true,
        no_attributes: true,
      },
      shape.History,
    );
    expect(history[LIGHT]?.length).toBeGreaterThan(0);
    const bad = await fails(socket, {
      type: 'history/history_during_period',
      start_time: 'not a time',
      entity_ids: [LIGHT],
    });
    expect(bad.code).toBe('invalid_start_time');
  });
}
