import { COLOR_NAMES, parseColor, parseSendEvent } from '../../../src/alerts/send-schema.js';

const noPictures = { hasPicture: () => false };

describe('parseColor', () => {
  it.each([
    ['#ff8800', 0xff8800],
    ['#FF8800', 0xff8800],
    [' #00ff00 ', 0x00ff00],
    [255, 255],
    [0, 0],
    [0xffffff, 0xffffff],
    ['16746496', 0xff8800],
    [[255, 136, 0], 0xff8800],
    ['red', COLOR_NAMES.red],
    ['Orange', COLOR_NAMES.orange],
    ['blue', COLOR_NAMES.blue],
    ['green', COLOR_NAMES.green],
  ])('reads %j as %i', (input, expected) => {
    expect(parseColor(input)).toBe(expected);
  });

  it.each([
    ['#ff88'],
    ['#gg8800'],
    ['ff8800'],
    ['ultraviolet'],
    [-1],
    [0x1000000],
    [1.5],
    [[255, 136]],
    [[256, 0, 0]],
    [true],
    [{}],
  ])('refuses %j', (input) => {
    expect(parseColor(input)).toBeUndefined();
  });
});

describe('parseSendEvent', () => {
  it('accepts a message alone, and takes every optional key', () => {
    expect(parseSendEvent({ message: 'Hello' }, noPictures)).toEqual({
      ok: true,
      request: {
        message: 'Hello',
        channelId: undefined,
        title: undefined,
        color: undefined,
        imageEntity: undefined,
      },
      ignoredKeys: [],
    });
    const full = parseSendEvent(
      {
        message: '  Door open  ',
        channel_id: '123456789012345678',
        title: 'Door',
        color: 'red',
        image_entity: 'camera.front_door',
      },
      noPictures,
    );
    expect(full).toEqual({
      ok: true,
      request: {
        message: 'Door open',
        channelId: '123456789012345678',
        title: 'Door',
        color: COLOR_NAMES.red,
        imageEntity: 'camera.front_door',
      },
      ignoredKeys: [],
    });
  });

  it('takes numbers a template rendered as text, and null as absent', () => {
    const parsed = parseSendEvent({ message: 42, title: null, color: null }, noPictures);
    expect(parsed).toMatchObject({ ok: true, request: { message: '42', title: undefined } });
  });

  it('lists every problem at once, as key: reason', () => {
    const parsed = parseSendEvent(
      { channel_id: 'general', color: 'ultraviolet', title: 't'.repeat(257), image_entity: 'x' },
      noPictures,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['message', 'channel_id', 'color', 'title', 'image_entity']),
    );
    expect(parsed.problems).toHaveLength(5);
  });

  it('limits the message to 1..4000 characters', () => {
    expect(parseSendEvent({ message: '   ' }, noPictures)).toEqual({
      ok: false,
      problems: ['message: must not be empty'],
    });
    expect(parseSendEvent({ message: 'x'.repeat(4000) }, noPictures).ok).toBe(true);
    expect(parseSendEvent({ message: 'x'.repeat(4001) }, noPictures)).toEqual({
      ok: false,
      problems: ['message: must be at most 4000 characters'],
    });
  });

  it('refuses a channel id given as a number: it has lost digits already', () => {
    const parsed = parseSendEvent({ message: 'x', channel_id: 123456789012345680 }, noPictures);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toContain('quote it in YAML');
  });

  it('accepts camera and image entities, and others only with a picture', () => {
    const withPicture = { hasPicture: (id: string) => id === 'person.alice' };
    for (const id of ['camera.front_door', 'image.doorbell', 'person.alice'])
      expect(parseSendEvent({ message: 'x', image_entity: id }, withPicture).ok).toBe(true);
    const refused = parseSendEvent({ message: 'x', image_entity: 'sensor.temp' }, withPicture);
    expect(refused).toEqual({
      ok: false,
      problems: [
        'image_entity: must be a camera.* or image.* entity, or an entity with a picture (entity_picture)',
      ],
    });
  });

  it('reports unknown keys without refusing the message', () => {
    const parsed = parseSendEvent({ message: 'x', colour: 'red', target: 'y' }, noPictures);
    expect(parsed).toMatchObject({ ok: true, ignoredKeys: ['colour', 'target'] });
  });

  it('refuses data that is not a mapping', () => {
    for (const data of [null, 'hello', ['message']])
      expect(parseSendEvent(data, noPictures).ok).toBe(false);
  });
});
