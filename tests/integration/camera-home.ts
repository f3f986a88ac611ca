import { fakeEntity, HA_TOKEN, HOME, type World } from './world.js';

/** The test home plus cameras, an image entity and a person whose picture is on HA. */
export const CAMERA_HOME = {
  entities: [
    ...HOME.entities,
    fakeEntity('camera.front_door', 'idle', 'Front Door Camera', {
      access_token: 'camera-access-token',
    }),
    fakeEntity('camera.back_yard', 'idle', 'Back Yard Camera'),
    fakeEntity('camera.garage', 'off', 'Garage Camera'),
    fakeEntity('image.doorbell_snapshot', '2024-03-01T10:00:00+00:00', 'Doorbell snapshot'),
    fakeEntity('person.alice', 'home', 'Alice', {
      entity_picture: '/api/image_proxy/image.doorbell_snapshot',
    }),
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
