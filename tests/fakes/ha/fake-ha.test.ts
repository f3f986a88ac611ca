import WebSocket from 'ws';
import {
  ERR_INVALID_AUTH,
  callService,
  createConnection,
  getConfig,
  getStates,
  subscribeEntities,
  type Connection,
  type HassEntities,
} from 'home-assistant-js-websocket';
import { waitFor } from '../../helpers/wait.js';
import { FakeHomeAssistant, INVALID_WS_FRAME, type FakeHaOptions } from './fake-ha.js';
import { wsSocketFactory } from './haws-socket.js';

const TOKEN = 'test-token';

// Wire messages are checked by shape with toEqual; typing each one would only repeat them
// (the other no-unsafe-* rules are already off for tests).
/* eslint-disable @typescript-eslint/no-unsafe-return */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const HOME: FakeHaOptions = {
  token: TOKEN,
  entities: [
    { entity_id: 'light.kitchen', state: 'off', attributes: { friendly_name: 'Kitchen' } },
    { entity_id: 'switch.kettle', state: 'off', attributes: { friendly_name: 'Kettle' } },
    { entity_id: 'lock.front_door', state: 'locked' },
    { entity_id: 'sensor.temp', state: '21.5', attributes: { unit_of_measurement: '°C' } },
  ],
  areas: [{ area_id: 'kitchen', name: 'Kitchen', aliases: ['cookhouse'] }],
  devices: [{ id: 'dev1', name: 'Kettle plug', area_id: 'kitchen' }],
  registry: [
    { entity_id: 'light.kitchen', area_id: 'kitchen', name: 'Ceiling', aliases: ['big light'] },
    { entity_id: 'switch.kettle', device_id: 'dev1' },
    { entity_id: 'sensor.temp', entity_category: 'diagnostic', hidden: true },
  ],
};

/** A bare websocket client, to see HA's frames exactly as they are sent. */
class RawClient {
  readonly frames: string[] = [];
  readonly ws: WebSocket;
  closed = false;

  constructor(ha: FakeHomeAssistant) {
    this.ws = new WebSocket(`${ha.url.replace('http', 'ws')}/api/websocket`);
    this.ws.on('message', (data) => this.frames.push((data as Buffer).toString('utf8')));
    this.ws.on('close', () => (this.closed = true));
    this.ws.on('error', () => undefined);
  }

  /** Every message so far, coalesced frames unpacked. */
  get messages(): Json[] {
    return this.frames.flatMap((frame) => {
      const parsed = JSON.parse(frame);
      return Array.isArray(parsed) ? parsed : [parsed];
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  async nextMessage(match: (m: Json) => boolean = () => true): Promise<Json> {
    return waitFor(() => this.messages.find(match), 3000, 'message');
  }

  async authenticate(token = TOKEN): Promise<void> {
    await this.nextMessage((m) => m.type === 'auth_required');
    this.send({ type: 'auth', access_token: token });
    await this.nextMessage((m) => m.type === 'auth_ok');
  }

  close(): void {
    this.ws.terminate();
  }
}

let ha: FakeHomeAssistant;
const connections: Connection[] = [];
const rawClients: RawClient[] = [];

async function connect(opts: { token?: string } = {}): Promise<Connection> {
  const conn = await createConnection({
    createSocket: wsSocketFactory(ha.url, () => opts.token ?? TOKEN),
  });
  connections.push(conn);
  return conn;
}

function raw(): RawClient {
  const client = new RawClient(ha);
  rawClients.push(client);
  return client;
}

/** Raw subscribe_entities events, as the bot reads them (no haws store in between). */
async function entityEvents(conn: Connection): Promise<Json[]> {
  const events: Json[] = [];
  await conn.subscribeMessage((event) => events.push(event), { type: 'subscribe_entities' });
  await waitFor(() => events.length > 0, 2000, 'snapshot');
  return events;
}

function getStatesOf(fake: FakeHomeAssistant): [string, { state: string; last_changed: string }][] {
  return [...fake.states].map(([id, state]) => [id, { ...state }]);
}

async function start(opts: FakeHaOptions = {}): Promise<void> {
  ha = new FakeHomeAssistant({ ...HOME, ...opts });
  await ha.start();
}

afterEach(async () => {
  for (const conn of connections.splice(0)) conn.close();
  for (const client of rawClients.splice(0)) client.close();
  await ha.stop();
});

describe('auth', () => {
  it('accepts the token and reports the HA version to haws', async () => {
    await start();
    const conn = await connect();
    expect(conn.haVersion).toBe('2024.3.3');
    await waitFor(() => ha.connections === 1);
    expect(ha.authSuccesses).toBe(1);
    await waitFor(() => ha.received.length === 2);
    expect(ha.received[0]).toEqual({ type: 'auth', access_token: TOKEN });
    expect(ha.received[1]).toEqual({
      type: 'supported_features',
      id: 1,
      features: { coalesce_messages: 1 },
    });
  });

  it('rejects a wrong token with auth_invalid and closes the socket', async () => {
    await start();
    await expect(connect({ token: 'wrong' })).rejects.toBe(ERR_INVALID_AUTH);
    const client = raw();
    await client.nextMessage((m) => m.type === 'auth_required');
    client.send({ type: 'auth', access_token: 'wrong' });
    expect(await client.nextMessage((m) => m.type === 'auth_invalid')).toEqual({
      type: 'auth_invalid',
      message: 'Invalid access token or password',
    });
    await waitFor(() => client.closed);
    expect(ha.authFailures).toBe(2);
    expect(ha.connections).toBe(0);
  });

  it('answers a first message that is not auth with auth_invalid', async () => {
    await start();
    const client = raw();
    await client.nextMessage((m) => m.type === 'auth_required');
    client.send({ id: 1, type: 'ping' });
    const invalid = await client.nextMessage((m) => m.type === 'auth_invalid');
    expect(invalid.message).toMatch(/^Auth message incorrectly formatted: /);
    await waitFor(() => client.closed);
  });

  it('closes a client that sends no auth in time', async () => {
    await start({ authTimeoutMs: 100 });
    const client = raw();
    await client.nextMessage((m) => m.type === 'auth_required');
    await waitFor(() => client.closed, 2000);
  });

  it('revokes connections when the token changes, and haws stops with reconnect-error', async () => {
    await start();
    const conn = await connect();
    const reconnectError = new Promise((resolve) =>
      conn.addEventListener('reconnect-error', (_c, err) => resolve(err)),
    );
    ha.token = 'rotated';
    expect(await reconnectError).toBe(ERR_INVALID_AUTH);
    expect(ha.connections).toBe(0);
  });
});

describe('tokens and the login ban', () => {
  it("lists the user's tokens, makes long-lived ones, and deletes them as HA 2024.3 does", async () => {
    await start();
    const conn = await connect();
    const made = await conn.sendMessagePromise<string>({
      type: 'auth/long_lived_access_token',
      client_name: 'bot',
      lifespan: 30,
    });
    expect(made).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/);
    const claims = JSON.parse(Buffer.from(made.split('.')[1]!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(30 * 86_400);
    await expect(
      conn.sendMessagePromise({
        type: 'auth/long_lived_access_token',
        client_name: 'bot',
        lifespan: 1,
      }),
    ).rejects.toEqual({ code: 'unknown_error', message: 'Unknown error' });
    const tokens = await conn.sendMessagePromise<Json[]>({ type: 'auth/refresh_tokens' });
    expect(tokens.map((t) => [t.client_name, t.is_current, t.type])).toEqual([
      [null, true, 'long_lived_access_token'],
      ['bot', false, 'long_lived_access_token'],
    ]);
    expect(tokens[1]).toMatchObject({ id: claims.iss, client_id: null, last_used_ip: '127.0.0.1' });
    // A second connection with the new token; deleting it closes that connection.
    const second = await connect({ token: made });
    const closed = new Promise((resolve) => second.addEventListener('disconnected', resolve));
    await conn.sendMessagePromise({
      type: 'auth/delete_refresh_token',
      refresh_token_id: claims.iss,
    });
    await closed;
    await expect(
      conn.sendMessagePromise({ type: 'auth/delete_refresh_token', refresh_token_id: claims.iss }),
    ).rejects.toEqual({ code: 'invalid_token_id', message: 'Received invalid token' });
  });

  it('bans the address at login_attempts_threshold: REST 403, websocket upgrade 403', async () => {
    await start({ loginAttemptsThreshold: 2 });
    await expect(connect({ token: 'wrong' })).rejects.toBe(ERR_INVALID_AUTH);
    // A websocket login resets HA's count.
    (await connect()).close();
    expect(ha.failedLoginsInARow).toBe(0);
    expect((await fetch(`${ha.url}/api/`, { headers: { authorization: 'Bearer x' } })).status).toBe(
      401,
    );
    await expect(connect({ token: 'wrong' })).rejects.toBe(ERR_INVALID_AUTH);
    expect(ha.banned).toBe(true);
    expect((await fetch(`${ha.url}/api/`)).status).toBe(403);
    const upgrade = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${ha.url.replace('http', 'ws')}/api/websocket`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(upgrade).toBe(403);
  });
});

describe('commands', () => {
  it('serves get_states in HA State.as_dict form', async () => {
    await start();
    const states = await getStates(await connect());
    const kitchen = states.find((s) => s.entity_id === 'light.kitchen')!;
    expect(kitchen).toEqual({
      entity_id: 'light.kitchen',
      state: 'off',
      attributes: { friendly_name: 'Kitchen' },
      last_changed: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/),
      last_updated: kitchen.last_changed,
      context: {
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        parent_id: null,
        user_id: null,
      },
    });
    expect(states).toHaveLength(4);
  });

  it('serves get_config with the core state', async () => {
    await start();
    const config = await getConfig(await connect());
    expect(config).toMatchObject({
      state: 'RUNNING',
      version: '2024.3.3',
      location_name: 'Home',
      unit_system: { temperature: '°C' },
    });
    expect(config.components).toEqual(expect.arrayContaining(['light', 'lock', 'websocket_api']));
  });

  it('answers ping with pong and rejects reused ids and unknown commands', async () => {
    await start();
    const client = raw();
    await client.authenticate();
    client.send({ id: 5, type: 'ping' });
    expect(await client.nextMessage((m) => m.id === 5)).toEqual({ id: 5, type: 'pong' });
    client.send({ id: 5, type: 'get_states' });
    client.send({ id: 6, type: 'no_such_command' });
    expect(await client.nextMessage((m) => m.success === false && m.id === 5)).toEqual({
      id: 5,
      type: 'result',
      success: false,
      error: { code: 'id_reuse', message: 'Identifier values have to increase.' },
    });
    expect((await client.nextMessage((m) => m.id === 6)).error).toEqual({
      code: 'unknown_command',
      message: 'Unknown command.',
    });
  });

  it('rejects malformed command parameters with invalid_format', async () => {
    await start();
    const conn = await connect();
    await expect(
      conn.sendMessagePromise({ type: 'call_service', service: 'toggle' }),
    ).rejects.toEqual({
      code: 'invalid_format',
      message: "required key not provided @ data['domain']. Got None",
    });
  });

  it('describes services in get_services form', async () => {
    await start();
    const services: Json = await (await connect()).sendMessagePromise({ type: 'get_services' });
    expect(services.light.turn_on).toMatchObject({
      fields: { brightness: expect.any(Object) },
      target: { entity: [{ domain: ['light'] }] },
    });
    expect(services.input_number.set_value.fields.value.required).toBe(true);
  });

  it('serves the area, device and entity registries in their real formats', async () => {
    await start();
    const conn = await connect();
    expect(await conn.sendMessagePromise({ type: 'config/area_registry/list' })).toEqual([
      { aliases: ['cookhouse'], area_id: 'kitchen', icon: null, name: 'Kitchen', picture: null },
    ]);
    expect(await conn.sendMessagePromise({ type: 'config/device_registry/list' })).toEqual([
      expect.objectContaining({ id: 'dev1', area_id: 'kitchen', name: 'Kettle plug' }),
    ]);
    expect(
      await conn.sendMessagePromise({ type: 'config/entity_registry/list_for_display' }),
    ).toEqual({
      entity_categories: { '0': 'config', '1': 'diagnostic' },
      entities: [
        { ei: 'light.kitchen', pl: 'template', ai: 'kitchen', en: 'Ceiling', lb: [] },
        { ei: 'switch.kettle', pl: 'template', di: 'dev1', lb: [] },
        { ei: 'sensor.temp', pl: 'template', ec: 1, hb: true, lb: [] },
      ],
    });
    const entries: Json = await conn.sendMessagePromise({
      type: 'config/entity_registry/get_entries',
      entity_ids: ['light.kitchen', 'light.nope'],
    });
    expect(entries['light.kitchen']).toMatchObject({ aliases: ['big light'], name: 'Ceiling' });
    expect(entries['light.nope']).toBeNull();
  });

  describe('answers joined from cached JSON follow every change', () => {
    const ask = (conn: Connection, message: Record<string, unknown>) =>
      conn.sendMessagePromise<Json>(message as { type: string });

    it.each([
      ['asked before', false],
      ['warmed', true],
    ])('states: get_states and a new subscribe_entities snapshot (%s)', async (_, warm) => {
      await start();
      if (warm) ha.warm();
      const conn = await connect();
      const kitchen = async () =>
        (await ask(conn, { type: 'get_states' })).find(
          (s: Json) => s.entity_id === 'light.kitchen',
        );
      expect((await kitchen()).state).toBe('off');
      expect((await entityEvents(conn))[0].a['light.kitchen'].s).toBe('off');

      ha.setState('light.kitchen', 'on', { friendly_name: 'Kitchen', brightness: 3 });
      ha.removeEntity('lock.front_door');
      ha.setState('fan.attic', 'on');
      expect(await kitchen()).toMatchObject({ state: 'on', attributes: { brightness: 3 } });
      const snapshot = (await entityEvents(conn))[0].a;
      expect(snapshot['light.kitchen']).toMatchObject({ s: 'on', a: { brightness: 3 } });
      expect(Object.keys(snapshot)).toEqual([
        'light.kitchen',
        'switch.kettle',
        'sensor.temp',
        'fan.attic',
      ]);
      // get_config's components follow the domains that have entities.
      const { components } = await getConfig(conn);
      expect(components).toContain('fan');
      expect(components).not.toContain('lock');
    });

    it.each([
      ['asked before', false],
      ['warmed', true],
    ])('entity registry: get_entries, get, list and list_for_display (%s)', async (_, warm) => {
      await start();
      if (warm) ha.warm();
      const conn = await connect();
      const ids = ['light.kitchen', 'switch.kettle', 'fan.attic'];
      const entries = () =>
        ask(conn, { type: 'config/entity_registry/get_entries', entity_ids: ids });
      const display = async () =>
        (await ask(conn, { type: 'config/entity_registry/list_for_display' })).entities;
      const list = () => ask(conn, { type: 'config/entity_registry/list' });
      const before = await entries();
      expect(before['light.kitchen']).toMatchObject({ name: 'Ceiling', aliases: ['big light'] });
      expect(before['fan.attic']).toBeNull();
      expect((await display())[0]).toMatchObject({ ei: 'light.kitchen', en: 'Ceiling' });
      expect((await list())[0]).toMatchObject({ entity_id: 'light.kitchen', name: 'Ceiling' });

      const [kitchen, ...rest] = HOME.registry!;
      ha.setRegistry([
        { ...kitchen!, name: 'Pendant', aliases: ['hanging lamp'] },
        ...rest,
        { entity_id: 'fan.attic', name: 'Attic fan' },
      ]);
      const after = await entries();
      expect(after['light.kitchen']).toMatchObject({ name: 'Pendant', aliases: ['hanging lamp'] });
      // HA keeps an entry's registry id when the entry changes.
      expect(after['light.kitchen'].id).toBe(before['light.kitchen'].id);
      expect(after['switch.kettle']).toEqual(before['switch.kettle']);
      expect(after['fan.attic']).toMatchObject({ entity_id: 'fan.attic', name: 'Attic fan' });
      expect(
        await ask(conn, { type: 'config/entity_registry/get', entity_id: 'light.kitchen' }),
      ).toEqual(after['light.kitchen']);
      expect((await display()).map((e: Json) => [e.ei, e.en])).toEqual([
        ['light.kitchen', 'Pendant'],
        ['switch.kettle', undefined],
        ['sensor.temp', undefined],
        ['fan.attic', 'Attic fan'],
      ]);
      expect((await list()).map((e: Json) => [e.entity_id, e.name])).toEqual([
        ['light.kitchen', 'Pendant'],
        ['switch.kettle', null],
        ['sensor.temp', null],
        ['fan.attic', 'Attic fan'],
      ]);

      ha.setRegistry(rest);
      expect((await entries())['light.kitchen']).toBeNull();
      await expect(
        ask(conn, { type: 'config/entity_registry/get', entity_id: 'light.kitchen' }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  it('delivers subscribe_events events, fire_event and unsubscribe', async () => {
    await start();
    const conn = await connect();
    const events: Json[] = [];
    const unsubscribe = await conn.subscribeEvents((e) => events.push(e), 'custom_event');
    ha.fireEvent('custom_event', { answer: 42 });
    await conn.sendMessagePromise({ type: 'fire_event', event_type: 'custom_event' });
    await waitFor(() => events.length === 2);
    expect(events[0]).toMatchObject({
      event_type: 'custom_event',
      data: { answer: 42 },
      origin: 'LOCAL',
      context: { parent_id: null, user_id: null },
    });
    await unsubscribe();
    ha.fireEvent('custom_event');
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(2);
  });

  it('sends state_changed events with the old and new state', async () => {
    await start();
    const events: Json[] = [];
    await (await connect()).subscribeEvents((e) => events.push(e), 'state_changed');
    ha.setState('switch.kettle', 'on', undefined, { contextId: 'ctx-kettle' });
    await waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({
      event_type: 'state_changed',
      data: {
        entity_id: 'switch.kettle',
        old_state: { state: 'off' },
        new_state: { state: 'on', context: { id: 'ctx-kettle' } },
      },
      context: { id: 'ctx-kettle' },
    });
  });

  describe('floors and labels', () => {
    const FLOORS: FakeHaOptions = {
      floors: [{ floor_id: 'up', name: 'Upstairs', aliases: ['first floor'], level: 1 }],
      labels: [{ label_id: 'xmas', name: 'Christmas lights', color: '#ff0000' }],
      areas: [{ area_id: 'kitchen', name: 'Kitchen', floor_id: 'up', labels: ['xmas'] }],
      devices: [{ id: 'dev1', name: 'Kettle plug', labels: ['xmas'] }],
      registry: [
        { entity_id: 'light.kitchen', area_id: 'kitchen' },
        { entity_id: 'switch.kettle', device_id: 'dev1' },
        { entity_id: 'lock.front_door', labels: ['xmas'] },
      ],
    };
    const list = async (type: string) => (await connect()).sendMessagePromise<Json>({ type });

    it("lists them in 2024.3.3's formats: no floor aliases, nothing assigned", async () => {
      await start({ ...FLOORS });
      expect(await list('config/floor_registry/list')).toEqual([
        { floor_id: 'up', icon: null, level: 1, name: 'Upstairs' },
      ]);
      expect(await list('config/label_registry/list')).toEqual([
        {
          label_id: 'xmas',
          name: 'Christmas lights',
          color: '#ff0000',
          icon: null,
          description: null,
        },
      ]);
      expect((await list('config/area_registry/list'))[0]).not.toHaveProperty('floor_id');
      const display = await list('config/entity_registry/list_for_display');
      expect(display.entities.map((e: Json) => e.lb)).toEqual([[], [], []]);
    });

    it("lists and assigns them from 2024.4 on, in 2025.4.4's formats", async () => {
      await start({ ...FLOORS, haVersion: '2025.4.4' });
      const stamps = { created_at: expect.any(Number), modified_at: expect.any(Number) };
      expect(await list('config/floor_registry/list')).toEqual([
        {
          floor_id: 'up',
          name: 'Upstairs',
          aliases: ['first floor'],
          icon: null,
          level: 1,
          ...stamps,
        },
      ]);
      expect((await list('config/label_registry/list'))[0]).toMatchObject(stamps);
      expect((await list('config/area_registry/list'))[0]).toMatchObject({
        area_id: 'kitchen',
        floor_id: 'up',
        labels: ['xmas'],
        ...stamps,
      });
      expect((await list('config/device_registry/list'))[0]).toMatchObject({ labels: ['xmas'] });
      const display = await list('config/entity_registry/list_for_display');
      expect(display.entities.map((e: Json) => [e.ei, e.lb])).toEqual([
        ['light.kitchen', []],
        ['switch.kettle', []],
        ['lock.front_door', ['xmas']],
      ]);
    });

    it('answers unknown_command for them before 2024.3', async () => {
      await start({ ...FLOORS, haVersion: '2024.2.5' });
      await expect(list('config/floor_registry/list')).rejects.toMatchObject({
        code: 'unknown_command',
      });
      await expect(list('config/label_registry/list')).rejects.toMatchObject({
        code: 'unknown_command',
      });
    });

    it('targets floors and labels as HA does: a label reaches entities, devices and areas', async () => {
      await start({ ...FLOORS, haVersion: '2025.4.4' });
      const conn = await connect();
      await callService(conn, 'homeassistant', 'turn_on', undefined, { floor_id: 'up' });
      expect(ha.states.get('light.kitchen')!.state).toBe('on');
      expect(ha.states.get('switch.kettle')!.state).toBe('off');
      await callService(conn, 'homeassistant', 'turn_off', undefined, { label_id: 'xmas' });
      expect(ha.states.get('light.kitchen')!.state).toBe('off');
      await callService(conn, 'homeassistant', 'turn_on', undefined, { label_id: 'xmas' });
      expect(ha.states.get('switch.kettle')!.state).toBe('on');
    });

    it('fires their update events, which non-admins may hear from 2024.4 only', async () => {
      await start({ ...FLOORS, haVersion: '2025.4.4', admin: false });
      const events: Json[] = [];
      const conn = await connect();
      await conn.subscribeEvents((e) => events.push(e), 'floor_registry_updated');
      await conn.subscribeEvents((e) => events.push(e), 'label_registry_updated');
      ha.setFloors([...FLOORS.floors!, { floor_id: 'down', name: 'Downstairs' }]);
      ha.setLabels([]);
      await waitFor(() => events.length === 2);
      expect(events.map((e) => [e.event_type, e.data])).toEqual([
        ['floor_registry_updated', { action: 'create', floor_id: 'down' }],
        ['label_registry_updated', { action: 'remove', label_id: 'xmas' }],
      ]);
      await ha.stop();
      await start({ ...FLOORS, admin: false });
      await expect(
        (await connect()).subscribeEvents(() => undefined, 'floor_registry_updated'),
      ).rejects.toMatchObject({ code: 'unauthorized' });
    });
  });

  it('fires registry update events when a test changes the registries', async () => {
    await start();
    const events: Json[] = [];
    await (await connect()).subscribeEvents((e) => events.push(e), 'area_registry_updated');
    ha.setAreas([...HOME.areas!, { area_id: 'garden', name: 'Garden' }]);
    await waitFor(() => events.length === 1);
    expect(events[0].data).toEqual({ action: 'create', area_id: 'garden' });
  });

  it('answers the REST API with the bearer token only', async () => {
    await start();
    const config = await fetch(`${ha.url}/api/config`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(await config.json()).toMatchObject({ state: 'RUNNING' });
    expect((await fetch(`${ha.url}/api/config`)).status).toBe(401);
  });

  it('lets a test answer commands the fake does not know', async () => {
    await start();
    ha.setCommandHandler('conversation/process', (msg) => ({
      result: { response: { speech: { plain: { speech: `You said ${String(msg.text)}` } } } },
    }));
    const reply: Json = await (
      await connect()
    ).sendMessagePromise({ type: 'conversation/process', text: 'hi' });
    expect(reply.response.speech.plain.speech).toBe('You said hi');
  });
});

describe('call_service', () => {
  it('toggles a light, and the entity diff carries the context id of the result', async () => {
    await start();
    const conn = await connect();
    const events = await entityEvents(conn);
    const result: Json = await callService(conn, 'light', 'toggle', undefined, {
      entity_id: 'light.kitchen',
    });
    expect(result).toEqual({
      context: { id: expect.any(String), parent_id: null, user_id: expect.any(String) },
    });
    const diff = await waitFor(() => events.find((e) => e.c?.['light.kitchen']));
    // The user id changed (none before) so `c` is an object with both; lc moved with s.
    expect(diff.c['light.kitchen']).toEqual({
      '+': {
        s: 'on',
        lc: expect.any(Number),
        c: { user_id: result.context.user_id, id: result.context.id },
      },
    });
    expect(ha.states.get('light.kitchen')!.context.id).toBe(result.context.id);
    expect(ha.serviceCalls).toEqual([
      {
        domain: 'light',
        service: 'toggle',
        target: { entity_id: 'light.kitchen' },
        contextId: result.context.id,
        at: expect.any(Number),
      },
    ]);

    // Same user again: `c` is just the new id.
    const second: Json = await callService(conn, 'homeassistant', 'toggle', undefined, {
      entity_id: ['light.kitchen', 'lock.front_door', 'light.missing'],
    });
    const diff2 = await waitFor(() =>
      events.find((e) => e.c?.['light.kitchen']?.['+'].c === second.context.id),
    );
    expect(diff2.c['light.kitchen']['+'].s).toBe('off');
    expect(ha.states.get('lock.front_door')!.state).toBe('locked');
  });

  it('keeps haws subscribeEntities in step with the context of the call', async () => {
    await start();
    const conn = await connect();
    let entities: HassEntities = {};
    subscribeEntities(conn, (e) => (entities = e));
    await waitFor(() => entities['light.kitchen']);
    const result: Json = await callService(conn, 'switch', 'turn_on', undefined, {
      entity_id: 'switch.kettle',
    });
    await waitFor(() => entities['switch.kettle']?.context.id === result.context.id);
    expect(entities['switch.kettle']!.state).toBe('on');
  });

  it('targets areas and devices through the registries', async () => {
    await start();
    const conn = await connect();
    await callService(conn, 'homeassistant', 'turn_on', undefined, { area_id: 'kitchen' });
    expect(ha.states.get('light.kitchen')!.state).toBe('on');
    expect(ha.states.get('switch.kettle')!.state).toBe('on');
  });

  it('sends the result before the state change when stateChangeDelayMs is set', async () => {
    await start({ stateChangeDelayMs: 100 });
    const conn = await connect();
    await callService(conn, 'lock', 'unlock', undefined, { entity_id: 'lock.front_door' });
    expect(ha.states.get('lock.front_door')!.state).toBe('locked');
    await waitFor(() => ha.states.get('lock.front_door')!.state === 'unlocked');
  });

  it('answers an unknown service with not_found, as HA does', async () => {
    await start();
    const conn = await connect();
    await expect(callService(conn, 'light', 'explode')).rejects.toEqual({
      code: 'not_found',
      message: 'Service light.explode not found.',
      translation_key: 'service_not_found',
      translation_placeholders: { domain: 'light', service: 'explode' },
      translation_domain: 'homeassistant',
    });
  });

  it('fails the next call on request, and lets a handler answer with a response', async () => {
    await start();
    const conn = await connect();
    ha.failNextServiceCall({ code: 'home_assistant_error', message: 'Device offline' });
    await expect(
      callService(conn, 'light', 'turn_on', undefined, { entity_id: 'light.kitchen' }),
    ).rejects.toEqual({ code: 'home_assistant_error', message: 'Device offline' });
    expect(ha.states.get('light.kitchen')!.state).toBe('off');

    ha.setServiceHandler((call) =>
      call.domain === 'weather' ? { response: { forecast: [] } } : undefined,
    );
    const result: Json = await callService(conn, 'weather', 'get_forecasts', {}, {}, true);
    expect(result.response).toEqual({ forecast: [] });
    await expect(
      callService(conn, 'light', 'turn_on', {}, { entity_id: 'light.kitchen' }, true),
    ).rejects.toMatchObject({
      code: 'unknown_error',
      message: 'Invalid argument return_response=True when handler does not support responses',
    });
  });

  it('validates input_number values like HA', async () => {
    await start({
      entities: [
        { entity_id: 'input_number.level', state: '1.0', attributes: { min: 0, max: 10 } },
      ],
    });
    const conn = await connect();
    await callService(
      conn,
      'input_number',
      'set_value',
      { value: 5 },
      {
        entity_id: 'input_number.level',
      },
    );
    expect(ha.states.get('input_number.level')!.state).toBe('5.0');
    await expect(
      callService(
        conn,
        'input_number',
        'set_value',
        { value: 50 },
        {
          entity_id: 'input_number.level',
        },
      ),
    ).rejects.toEqual({
      code: 'invalid_format',
      message: 'Invalid value for input_number.level: 50.0 (range 0.0 - 10.0)',
    });
  });
});

describe('subscribe_entities format', () => {
  it('sends the snapshot as compressed states, lu only when it differs from lc', async () => {
    await start();
    ha.setAttributes('sensor.temp', { battery: 90 });
    const [snapshot] = await entityEvents(await connect());
    expect(snapshot.a['light.kitchen']).toEqual({
      s: 'off',
      a: { friendly_name: 'Kitchen' },
      c: expect.any(String),
      lc: expect.any(Number),
    });
    expect(snapshot.a['sensor.temp'].lu).toBeGreaterThan(snapshot.a['sensor.temp'].lc);
    expect(snapshot.a['light.kitchen'].lc).toBeCloseTo(Date.now() / 1000, -1);
  });

  it('sends attribute-only changes with lu, and removed attributes under "-"', async () => {
    await start();
    const events = await entityEvents(await connect());
    ha.setAttributes('sensor.temp', { battery: 80 });
    ha.setAttributes('sensor.temp', { unit_of_measurement: undefined });
    ha.setState('sensor.temp', '22', undefined, { contextId: 'ctx-1' });
    await waitFor(() => events.length === 4);
    expect(events[1].c['sensor.temp']).toEqual({
      '+': { lu: expect.any(Number), c: expect.any(String), a: { battery: 80 } },
    });
    expect(events[2].c['sensor.temp']).toEqual({
      '+': { lu: expect.any(Number), c: expect.any(String) },
      '-': { a: ['unit_of_measurement'] },
    });
    expect(events[3].c['sensor.temp']).toEqual({
      '+': { s: '22', lc: expect.any(Number), c: 'ctx-1' },
    });
  });

  it('sends nothing when neither state nor attributes change', async () => {
    await start();
    const events = await entityEvents(await connect());
    ha.setState('light.kitchen', 'off');
    ha.setState('light.kitchen', 'on');
    await waitFor(() => events.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(2);
  });

  it('sends new entities under "a" and removed ones under "r", honouring entity_ids', async () => {
    await start();
    const conn = await connect();
    const all = await entityEvents(conn);
    const some: Json[] = [];
    await conn.subscribeMessage((e) => some.push(e), {
      type: 'subscribe_entities',
      entity_ids: ['sensor.new'],
    });
    ha.setState('sensor.new', '1', { unit_of_measurement: 'W' });
    ha.removeEntity('light.kitchen');
    await waitFor(() => all.length === 3);
    expect(all[1]).toEqual({
      a: {
        'sensor.new': {
          s: '1',
          a: { unit_of_measurement: 'W' },
          c: expect.any(String),
          lc: expect.any(Number),
        },
      },
    });
    expect(all[2]).toEqual({ r: ['light.kitchen'] });
    await waitFor(() => some.length === 2);
    expect(some[0]).toEqual({ a: {} });
    expect(some[1].a['sensor.new']).toBeDefined();
  });

  it('coalesces the messages of one tick into a JSON array once asked to', async () => {
    await start();
    const client = raw();
    await client.authenticate();
    client.send({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
    client.send({ id: 2, type: 'subscribe_entities' });
    await client.nextMessage((m) => m.id === 2 && m.type === 'event');
    ha.setState('light.kitchen', 'on');
    ha.setState('switch.kettle', 'on');
    await waitFor(() => client.messages.filter((m) => m.type === 'event').length === 3);
    const arrays = client.frames.filter((frame) => frame.startsWith('['));
    expect(arrays.length).toBeGreaterThanOrEqual(2); // result + snapshot, then both changes
    expect(JSON.parse(arrays.at(-1)!)).toEqual([
      { id: 2, type: 'event', event: { c: { 'light.kitchen': expect.any(Object) } } },
      { id: 2, type: 'event', event: { c: { 'switch.kettle': expect.any(Object) } } },
    ]);
  });

  it('sends one frame per message when coalescing is off', async () => {
    await start({ coalesce: false });
    const client = raw();
    await client.authenticate();
    client.send({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
    client.send({ id: 2, type: 'subscribe_entities' });
    await client.nextMessage((m) => m.id === 2 && m.type === 'event');
    expect(client.frames.some((frame) => frame.startsWith('['))).toBe(false);
  });
});

describe('failures and restarts', () => {
  it('comes back after restart on the same port, and haws reconnects and resubscribes', async () => {
    await start();
    const conn = await connect();
    let entities: HassEntities = {};
    subscribeEntities(conn, (e) => (entities = e));
    await waitFor(() => entities['light.kitchen']);
    const url = ha.url;
    await ha.restart({ downMs: 200 });
    expect(ha.url).toBe(url);
    await waitFor(() => ha.connections === 1, 5000, 'haws reconnect');
    ha.setState('light.kitchen', 'on');
    await waitFor(() => entities['light.kitchen']?.state === 'on', 3000);
  });

  it('reports NOT_RUNNING and unavailable entities while starting, then restores them', async () => {
    await start();
    await ha.restart({ startingMs: 300 });
    const conn = await connect();
    expect((await getConfig(conn)).state).toBe('NOT_RUNNING');
    const events: Json[] = [];
    await conn.subscribeEvents((e) => events.push(e), 'homeassistant_started');
    const kitchen = (await getStates(conn)).find((s) => s.entity_id === 'light.kitchen')!;
    expect(kitchen.state).toBe('unavailable');
    expect(kitchen.attributes).toEqual({ restored: true, friendly_name: 'Kitchen' });
    await waitFor(() => events.length === 1, 2000);
    expect((await getConfig(conn)).state).toBe('RUNNING');
    expect(ha.states.get('light.kitchen')).toMatchObject({
      state: 'off',
      attributes: { friendly_name: 'Kitchen' },
    });
  });

  it('writes every entity anew on a restart, as HA restores into a fresh state machine', async () => {
    await start();
    const before = new Map(getStatesOf(ha));
    await ha.restart();
    for (const [entityId, state] of getStatesOf(ha)) {
      expect(state.state).toBe(before.get(entityId)!.state);
      expect(state.last_changed > before.get(entityId)!.last_changed).toBe(true);
    }
  });

  it('crashes without a stop event or a close frame, and restores stale states', async () => {
    await start();
    const conn = await connect();
    const stops: Json[] = [];
    await conn.subscribeEvents((e) => stops.push(e), 'homeassistant_stop');
    const client = raw();
    await client.authenticate();
    let closeCode = 0;
    client.ws.on('close', (code) => (closeCode = code));
    ha.setState('light.kitchen', 'on');
    let atRunning = '';
    await ha.restart({
      crash: true,
      stale: { 'light.kitchen': 'off' },
      onRunning: () => (atRunning = ha.states.get('light.kitchen')!.state),
    });
    await waitFor(() => client.closed);
    expect(closeCode).toBe(1006);
    expect(stops).toEqual([]);
    // The stale 'off' stays: nothing but the device (the test) says otherwise.
    expect(atRunning).toBe('off');
    expect(ha.states.get('light.kitchen')!.state).toBe('off');
  });

  it('fires core_config_updated as it starts and again the moment it runs', async () => {
    await start();
    const conn = await connect();
    const events: Json[] = [];
    await conn.subscribeEvents((e) => events.push(e), 'core_config_updated');
    const atRunning: string[] = [];
    await ha.restart({ startingMs: 100, onRunning: () => atRunning.push(ha.coreState) });
    await waitFor(() => events.length === 2, 3000, 'two core_config_updated');
    expect(atRunning).toEqual(['RUNNING']);
    expect((await getConfig(conn)).state).toBe('RUNNING');
  });

  it('answers history/history_during_period from its recorder, as HA 2024.3', async () => {
    await start();
    // A start time after the entities were made, and before the changes below.
    const made = Date.now();
    await waitFor(() => Date.now() > made + 1);
    const t0 = new Date(Date.now() - 1).toISOString();
    await waitFor(() => Date.now() > Date.parse(t0) + 1);
    ha.setState('light.kitchen', 'on');
    ha.setAttributes('light.kitchen', { brightness: 3 });
    ha.setState('light.kitchen', 'off');
    const conn = await connect();
    const history = (msg: Json) =>
      conn.sendMessagePromise<Json>({ type: 'history/history_during_period', ...msg });
    const result = await history({
      start_time: t0,
      entity_ids: ['light.kitchen', 'sensor.temp', 'light.nothing'],
      minimal_response: true,
      no_attributes: true,
      significant_changes_only: false,
    });
    // The state at the start (at the start time), then each change of state, no repeats.
    expect(Object.keys(result)).toEqual(['light.kitchen', 'sensor.temp']);
    expect(result['light.kitchen'].map((r: Json) => r.s)).toEqual(['off', 'on', 'off']);
    expect(result['light.kitchen'][0].lu).toBeCloseTo(Date.parse(t0) / 1000, 3);
    expect(result['sensor.temp']).toEqual([{ s: '21.5', lu: expect.any(Number) }]);
    // Rows the recorder has not committed yet are not read.
    ha.recorder!.commitEvery(60_000);
    ha.setState('light.kitchen', 'on');
    const later = await history({ start_time: t0, entity_ids: ['light.kitchen'] });
    expect(later['light.kitchen'].map((r: Json) => r.s)).toEqual(['off', 'on', 'off']);
    ha.recorder!.commitEvery(0);
    const committed = await history({ start_time: t0, entity_ids: ['light.kitchen'] });
    expect(committed['light.kitchen'].map((r: Json) => r.s)).toEqual(['off', 'on', 'off', 'on']);
  });

  it('answers history of seeded past states and recorder/statistics_during_period, as HA 2024.3', async () => {
    await start();
    const hour = 3_600_000;
    const t0 = Date.UTC(2026, 10, 1);
    ha.recorder!.seed('sensor.temp', [
      { state: '20', at: t0 },
      { state: 'unavailable', at: t0 + hour },
      { state: '22', at: t0 + 2 * hour },
    ]);
    // Hours 0, 1 and 3 (hour 2 missing, as when HA was down); hour 23 UTC is the next day
    // in HA's time zone (Amsterdam, UTC+1 in November), as is hour 24.
    ha.recorder!.seedStatistics('sensor.temp', [
      { start: t0, mean: 20, min: 19, max: 21 },
      { start: t0 + hour, mean: 22, min: 21, max: 24 },
      { start: t0 + 3 * hour, mean: 18, min: 17, max: 19 },
      { start: t0 + 23 * hour, mean: 30, min: 30, max: 30 },
      { start: t0 + 24 * hour, mean: 10, min: 10, max: 10 },
    ]);
    const conn = await connect();
    const history = await conn.sendMessagePromise<Json>({
      type: 'history/history_during_period',
      start_time: new Date(t0 + 30 * 60_000).toISOString(),
      end_time: new Date(t0 + 3 * hour).toISOString(),
      entity_ids: ['sensor.temp'],
      minimal_response: true,
      no_attributes: true,
    });
    expect(history['sensor.temp']).toEqual([
      { s: '20', lu: (t0 + 30 * 60_000) / 1000 },
      { s: 'unavailable', lu: (t0 + hour) / 1000 },
      { s: '22', lu: (t0 + 2 * hour) / 1000 },
    ]);
    const stats = (msg: Json) =>
      conn.sendMessagePromise<Json>({ type: 'recorder/statistics_during_period', ...msg });
    const hourly = await stats({
      start_time: new Date(t0).toISOString(),
      end_time: new Date(t0 + 4 * hour).toISOString(),
      statistic_ids: ['sensor.temp', 'sensor.none'],
      period: 'hour',
      types: ['mean', 'max'],
    });
    // Times in epoch ms, only the asked types, no row for the missing hour nor the id without any.
    expect(hourly).toEqual({
      'sensor.temp': [
        { start: t0, end: t0 + hour, mean: 20, max: 21 },
        { start: t0 + hour, end: t0 + 2 * hour, mean: 22, max: 24 },
        { start: t0 + 3 * hour, end: t0 + 4 * hour, mean: 18, max: 19 },
      ],
    });
    const daily = await stats({
      start_time: new Date(t0).toISOString(),
      statistic_ids: ['sensor.temp'],
      period: 'day',
    });
    // Days are HA's local days: from Amsterdam's midnight (23:00 UTC) to the next.
    expect(daily['sensor.temp']).toEqual([
      { start: t0 - hour, end: t0 + 23 * hour, mean: 20, min: 17, max: 24 },
      { start: t0 + 23 * hour, end: t0 + 47 * hour, mean: 20, min: 10, max: 30 },
    ]);
    // The day summer time ends has 25 hours.
    const dstEnd = Date.UTC(2026, 9, 25);
    ha.recorder!.seedStatistics('sensor.dst', [
      { start: dstEnd + 12 * hour, mean: 5, min: 5, max: 5 },
    ]);
    const dst = await stats({
      start_time: new Date(dstEnd).toISOString(),
      end_time: new Date(dstEnd + 24 * hour).toISOString(),
      statistic_ids: ['sensor.dst'],
      period: 'day',
    });
    expect(dst['sensor.dst']).toEqual([
      { start: dstEnd - 2 * hour, end: dstEnd + 23 * hour, mean: 5, min: 5, max: 5 },
    ]);
    await expect(
      stats({ start_time: 'yesterday', statistic_ids: ['sensor.temp'], period: 'hour' }),
    ).rejects.toEqual({ code: 'invalid_start_time', message: 'Invalid start_time' });
  });

  it('answers logbook/get_events with state changes, who made them and seeded entries', async () => {
    await start();
    const made = Date.now();
    await waitFor(() => Date.now() > made + 1);
    const t0 = new Date(Date.now()).toISOString();
    ha.setState('light.kitchen', 'on');
    ha.setAttributes('light.kitchen', { brightness: 3 }); // not a logbook entry
    ha.setState('sensor.temp', '22'); // a sensor with a unit: continuous, left out
    const conn = await connect();
    await conn.sendMessagePromise({
      type: 'call_service',
      domain: 'light',
      service: 'turn_off',
      target: { entity_id: 'light.kitchen' },
    });
    const when = Date.now() / 1000 + 0.5;
    ha.recorder!.seedLogbook([
      {
        when,
        name: 'Night',
        message: 'triggered',
        entity_id: 'automation.night',
        domain: 'automation',
      },
    ]);
    const entries = await conn.sendMessagePromise<Json[]>({
      type: 'logbook/get_events',
      start_time: t0,
      end_time: new Date(Date.now() + 1000).toISOString(),
    });
    expect(entries).toEqual([
      { when: expect.any(Number), state: 'on', entity_id: 'light.kitchen' },
      {
        when: expect.any(Number),
        state: 'off',
        entity_id: 'light.kitchen',
        context_user_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
      {
        when,
        name: 'Night',
        message: 'triggered',
        entity_id: 'automation.night',
        domain: 'automation',
      },
    ]);
    const only = await conn.sendMessagePromise<Json[]>({
      type: 'logbook/get_events',
      start_time: t0,
      end_time: new Date(Date.now() + 1000).toISOString(),
      entity_ids: ['automation.night'],
    });
    expect(only.map((e) => e.entity_id)).toEqual(['automation.night']);
  });

  it('knows no history/history_during_period without a recorder', async () => {
    await start({ history: false });
    const conn = await connect();
    await expect(
      conn.sendMessagePromise({
        type: 'history/history_during_period',
        start_time: new Date().toISOString(),
        entity_ids: ['light.kitchen'],
      }),
    ).rejects.toEqual({ code: 'unknown_command', message: 'Unknown command.' });
  });

  it('answers nothing while frozen, keeps the socket, and answers again after unfreeze', async () => {
    await start();
    const conn = await connect();
    ha.freeze();
    const pong = conn.ping();
    const timedOut = await Promise.race([
      pong.then(() => false),
      new Promise((r) => setTimeout(() => r(true), 200)),
    ]);
    expect(timedOut).toBe(true);
    expect(conn.connected).toBe(true);
    ha.unfreeze();
    await conn.ping();
  });

  it('drops connections abruptly, and haws reconnects', async () => {
    await start();
    const conn = await connect();
    const disconnected = new Promise((r) => conn.addEventListener('disconnected', r));
    ha.dropConnections();
    await disconnected;
    await waitFor(() => ha.connections === 1, 3000, 'haws reconnect');
    expect(ha.authSuccesses).toBe(2);
  });

  it('can send garbage and invalid frames without crashing itself', async () => {
    await start();
    const client = raw();
    await client.authenticate();
    ha.sendRaw(INVALID_WS_FRAME);
    await waitFor(() => client.closed, 2000);
    const conn = await connect();
    await conn.ping();
  });
});
