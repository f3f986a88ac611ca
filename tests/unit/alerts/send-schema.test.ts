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
        moreImages: [],
        posting: {
          target: { kind: 'channel', channelId: undefined },
          tag: undefined,
          remove: false,
          embed: {},
        },
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
        moreImages: [],
        posting: {
          target: { kind: 'channel', channelId: '123456789012345678' },
          tag: undefined,
          remove: false,
          embed: {},
        },
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

describe('where and how a message posts', () => {
  const ok = (data: Record<string, unknown>) => {
    const parsed = parseSendEvent(data, noPictures);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    return parsed.request;
  };
  const problems = (data: Record<string, unknown>) => {
    const parsed = parseSendEvent(data, noPictures);
    return parsed.ok ? [] : parsed.problems;
  };

  it('reads the embed parts, an author as text or a mapping, times as ISO or epoch', () => {
    const request = ok({
      message: 'Washer done',
      url: 'https://example.com/washer',
      thumbnail: 'https://example.com/w.png',
      footer: 'Laundry',
      timestamp: '2026-12-01T06:00:00+00:00',
      author: 'Home',
      fields: [
        { name: 'Program', value: 'Cotton 60', inline: true },
        { name: 'Duration', value: 95, inline: 'false' },
      ],
    });
    expect(request.posting.embed).toEqual({
      url: 'https://example.com/washer',
      thumbnail: 'https://example.com/w.png',
      footer: 'Laundry',
      timestamp: Date.parse('2026-12-01T06:00:00Z') / 1000,
      author: { name: 'Home' },
      fields: [
        { name: 'Program', value: 'Cotton 60', inline: true },
        { name: 'Duration', value: '95', inline: false },
      ],
    });
    expect(
      ok({
        message: 'x',
        timestamp: 1_700_000_000,
        author: { name: 'HA', url: 'https://ha.local/', icon_url: 'https://ha.local/i.png' },
      }).posting.embed,
    ).toEqual({
      timestamp: 1_700_000_000,
      author: { name: 'HA', url: 'https://ha.local/', iconUrl: 'https://ha.local/i.png' },
    });
  });

  it("refuses what Discord would refuse, each with its key and Discord's limit", () => {
    const field = { name: 'n', value: 'v' };
    expect(
      problems({
        message: 'x',
        url: 'ftp://x',
        thumbnail: 'not a url',
        timestamp: 'yesterday',
        fields: Array.from({ length: 26 }, () => field),
      }).map((p) => p.split(':')[0]),
    ).toEqual(['url', 'thumbnail', 'timestamp', 'fields']);
    expect(problems({ message: 'x', fields: [{ name: 'n', value: 'v'.repeat(1025) }] })).toEqual([
      'fields.0.value: must be at most 1024 characters',
    ]);
    expect(problems({ message: 'x', fields: [{ name: 'n' }] })[0]).toMatch(/^fields\.0\.value/);
    const big = Array.from({ length: 7 }, () => ({ name: 'n', value: 'v'.repeat(1000) }));
    expect(problems({ message: 'x', fields: big })[0]).toMatch(
      /together are 7008 characters; Discord allows 6000/,
    );
  });

  it('takes up to 4 images, each checked', () => {
    expect(ok({ message: 'x', image_entity: ['camera.a', 'image.b'] })).toMatchObject({
      imageEntity: 'camera.a',
      moreImages: ['image.b'],
    });
    expect(problems({ message: 'x', image_entity: ['camera.a', 'sensor.t'] })).toEqual([
      'image_entity.1: must be a camera.* or image.* entity, or an entity with a picture (entity_picture)',
    ]);
    expect(
      problems({
        message: 'x',
        image_entity: ['camera.a', 'camera.b', 'camera.c', 'camera.d', 'camera.e'],
      }),
    ).toEqual(['image_entity: must have at most 4 entities (Discord shows 4 images)']);
  });

  it('reads one destination: a user, a thread by id, or a thread by name in a channel', () => {
    const ID = '811111111111111111';
    expect(ok({ message: 'x', user_id: ID }).posting.target).toEqual({ kind: 'dm', userId: ID });
    expect(ok({ message: 'x', thread_id: ID }).posting.target).toEqual({
      kind: 'thread_id',
      threadId: ID,
    });
    expect(ok({ message: 'x', thread: ' Front door ', channel_id: ID }).posting.target).toEqual({
      kind: 'thread',
      channelId: ID,
      name: 'Front door',
    });
    expect(problems({ message: 'x', user_id: ID, thread: 'a' })).toEqual([
      'user_id, thread: give one of them (where the message goes)',
    ]);
    expect(problems({ message: 'x', user_id: ID, channel_id: ID })).toEqual([
      'channel_id: not with user_id (it names the whole destination)',
    ]);
    expect(problems({ message: 'x', user_id: 8.1e17 })[0]).toMatch(
      /^user_id: must be text: quote it/,
    );
    expect(problems({ message: 'x', thread: 'x'.repeat(101) })).toEqual([
      'thread: must be at most 100 characters',
    ]);
  });

  it('needs a message, except to delete a tagged one; delete needs the tag', () => {
    expect(ok({ tag: 'washer', delete: true }).posting).toMatchObject({
      tag: 'washer',
      remove: true,
    });
    expect(problems({ tag: 'washer' })).toEqual(['message: is required']);
    expect(problems({ message: 'x', delete: true })).toEqual([
      'delete: needs tag (the message to remove is the one posted with that tag)',
    ]);
  });
});

describe('parseSendEvent: chart', () => {
  const parse = (chart: unknown) => parseSendEvent({ message: 'Daily report', chart }, noPictures);

  it('reads the entities and period of a chart (24 h by default)', () => {
    const day = parse({ entities: ['sensor.outdoor', 'sensor.indoor'] });
    expect(day.ok && day.request.chart).toEqual({
      entities: ['sensor.outdoor', 'sensor.indoor'],
      periodMs: 86_400_000,
    });
    const week = parse({ entities: 'sensor.outdoor', period: '7d' });
    expect(week.ok && week.request.chart).toEqual({
      entities: ['sensor.outdoor'],
      periodMs: 7 * 86_400_000,
    });
    const none = parseSendEvent({ message: 'x' }, noPictures);
    expect(none.ok && none.request.chart).toBeUndefined();
    expect(none.ok && none.ignoredKeys).toEqual([]);
  });

  it('says what is wrong with a chart', () => {
    const problems = (chart: unknown) => {
      const r = parse(chart);
      return r.ok ? [] : r.problems;
    };
    expect(problems({ entities: [] })).toEqual(['chart.entities: must name at least one entity']);
    expect(problems({ entities: ['Outdoor'] })[0]).toMatch(
      /^chart\.entities\.0: must be entity ids/,
    );
    expect(problems({ entities: Array.from({ length: 6 }, (_, i) => `sensor.s${i}`) })).toEqual([
      'chart.entities: must name at most 5 entities',
    ]);
    expect(problems({ entities: ['sensor.a'], period: 'soon' })[0]).toMatch(/^chart\.period: /);
    expect(problems({ entities: ['sensor.a'], period: '2y' })[0]).toMatch(/^chart\.period: /);
    expect(problems({ entities: ['sensor.a'], colour: 'red' })[0]).toMatch(/^chart: .*colour/);
    expect(problems('sensor.a')[0]).toMatch(/^chart: /);
  });
});
