import { CAMERA_PNG } from '../fakes/ha/fake-ha.js';
import { CAMERA_HOME, expectFrontDoorSnapshotFetched } from './camera-home.js';
import { EPHEMERAL, sharedWorld } from './world.js';

describe('/ha camera', () => {
  const world = sharedWorld({ ha: CAMERA_HOME, env: { HA_IMAGE_TIMEOUT_MS: '1000' } });

  /** The private answer to `/ha camera entity:<typed>`, as Discord shows it. */
  async function privateAnswer(typed: string): Promise<string> {
    const reply = await (await world().command('camera', { entity: typed })).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.embeds ?? []).toEqual([]);
    return String(reply.content);
  }

  it('posts a snapshot from the camera proxy as an attached image in an embed', async () => {
    const from = world().ha.httpRequests.length;
    const handle = await world().command('camera', { entity: 'camera.front_door' });
    const reply = await handle.waitForReply();
    expect(reply.flags ?? 0).toBe(0);
    const files = handle.replies.find((r) => r.status < 300)?.files ?? [];
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toBe('camera_front_door.png');
    expect(files[0]!.data.equals(CAMERA_PNG)).toBe(true);
    expect(reply.embeds[0]).toMatchObject({
      title: 'Front Door Camera',
      image: { url: 'attachment://camera_front_door.png' },
      footer: { text: 'camera.front_door' },
    });
    expectFrontDoorSnapshotFetched(world(), from);
  });

  it('finds a camera by its name', async () => {
    const handle = await world().command('camera', { entity: 'back yard camera' });
    const reply = await handle.waitForReply();
    expect(reply.embeds[0].title).toBe('Back Yard Camera');
  });

  it('autocompletes cameras only', async () => {
    const choices = await (
      await world().autocomplete('camera', 'entity', 'front')
    ).waitForAutocomplete();
    expect(choices.map((c) => c.value)).toContain('camera.front_door');
    expect(choices.every((c) => String(c.value).startsWith('camera.'))).toBe(true);
  });

  it('answers privately that an entity that is not a camera is not one', async () => {
    expect(await privateAnswer('sensor.temp')).toBe(
      'Temperature (`sensor.temp`) is a sensor, not a camera. Pick a camera from the suggestions.',
    );
  });

  it('answers privately when nothing matches', async () => {
    expect(await privateAnswer('camera.nowhere')).toMatch(
      /^No entity, area, floor or label matches/,
    );
  });

  it('explains HA answering 404, 401, 503 and a camera that is too slow', async () => {
    const ha = world().ha;
    try {
      ha.setImage('camera.back_yard', { status: 404 });
      expect(await privateAnswer('camera.back_yard')).toContain(
        'Home Assistant has no camera or image `camera.back_yard` (HTTP 404)',
      );
      ha.setImage('camera.back_yard', { status: 401 });
      expect(await privateAnswer('camera.back_yard')).toContain(
        "Home Assistant rejected the bot's access token (HTTP 401)",
      );
      expect(await privateAnswer('camera.garage')).toContain(
        'Home Assistant could not get a picture (HTTP 503): the camera may be off or unavailable.',
      );
      ha.setImage('camera.back_yard', { delayMs: 2500 });
      expect(await privateAnswer('camera.back_yard')).toBe(
        'The camera did not send a picture within 1 s. It may be offline or slow; try again.',
      );
    } finally {
      ha.setImage('camera.back_yard', null);
    }
  });
});
