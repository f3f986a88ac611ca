import {
  createConnection,
  subscribeEntities,
  type Connection,
  type HassEntities,
} from 'home-assistant-js-websocket';
import { waitFor } from '../../helpers/wait.js';
import { FakeHomeAssistant } from './fake-ha.js';
import { wsSocketFactory } from './haws-socket.js';
import { entitiesSubscriptionId, renderStateChanges } from './stream.js';

const TOKEN = 'stream-token';

describe('renderStateChanges', () => {
  let ha: FakeHomeAssistant;
  let conn: Connection;

  beforeEach(async () => {
    ha = new FakeHomeAssistant({
      token: TOKEN,
      entities: [
        { entity_id: 'light.a', state: 'off', attributes: { friendly_name: 'A' } },
        { entity_id: 'sensor.b', state: '1' },
      ],
    });
    await ha.start();
    conn = await createConnection({ createSocket: wsSocketFactory(ha.url, () => TOKEN) });
  });

  afterEach(async () => {
    conn.close();
    await ha.stop();
  });

  it("streams changes a subscribe_entities client applies as it applies the fake's own", async () => {
    let entities: HassEntities = {};
    subscribeEntities(conn, (e) => (entities = e));
    await waitFor(() => entities['light.a'] !== undefined);
    // The same change through the fake's state machine, for comparison.
    ha.setState('light.a', 'on');
    await waitFor(() => entities['light.a']?.state === 'on');
    const viaMachine = entities['light.a']!;

    const id = entitiesSubscriptionId(ha.received)!;
    ha.sendRaw(renderStateChanges(id, [{ entityId: 'light.a', state: 'off' }]));
    await waitFor(() => entities['light.a']?.state === 'off');
    ha.sendRaw(
      renderStateChanges(id, [
        { entityId: 'light.a', state: 'on' },
        { entityId: 'sensor.b', state: '2' },
      ]),
    );
    await waitFor(() => entities['sensor.b']?.state === '2');

    const streamed = entities['light.a']!;
    expect(streamed.state).toBe('on');
    expect(streamed.attributes).toEqual(viaMachine.attributes);
    expect(streamed.last_updated).toBe(streamed.last_changed);
    expect(Date.parse(streamed.last_changed)).toBeGreaterThanOrEqual(
      Date.parse(viaMachine.last_changed),
    );
    expect(streamed.context).toEqual({
      id: expect.any(String),
      parent_id: null,
      user_id: null,
    });
    expect(streamed.context.id).not.toBe(viaMachine.context.id);
  });
});
