import { HA_TOKEN, HOME, type World } from './world.js';

/** The test home plus cameras, an image entity and a person whose picture is on HA. */
export const CAMERA_HOME = {
  entities: [
    ...HOME.entities,
    {
      entity_id: 'camera.front_door',
      state: 'idle',
      attributes: { friendly_name: 'Front Door Camera', access_token: 'camera-access-token' },
    },
    {
      entity_id: 'camera.back_yard',
      state: 'idle',
      attributes: { friendly_name: 'Back Yard Camera' },
    },
    {
      entity_id: 'camera.garage',
      state: 'off',
      attributes: { friendly_name: 'Garage Camera' },
    },
    {
      entity_id: 'image.doorbell_snapshot',
      state: '2024-03-01T10:00:00+00:00',
      attributes: { friendly_name: 'Doorbell snapshot' },
    },
    {
      entity_id: 'person.alice',
      state: 'home',
      attributes: {
        friendly_name: 'Alice',
        entity_picture: '/api/image_proxy/image.doorbell_snapshot',
      },
    },
  ],
};

/**
 * Since `from` (a count of HA's HTTP requests), the bot fetched the front door camera's picture
 * once, from HA's camera proxy with a valid token, and never wrote that token out.
 */
export function expectFrontDoorSnapshotFetched(world: World, from: number): void {
  expect(world.ha.httpRequests.slice(from)).toEqual([
    {
      method: 'GET',
      path: '/api/camera_proxy/camera.front_door',
      query: '',
      authorization: 'valid',
    },
  ]);
  expect(world.bot.output).not.toContain(HA_TOKEN);
}
