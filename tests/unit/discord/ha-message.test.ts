import type { HaMessage } from '../../../src/alerts/types.js';
import {
  fitHaMessages,
  haMessageEmbed,
  haMessageRequest,
  renderHaMessages,
} from '../../../src/discord/ha-message.js';
import type { RowOf } from '../../../src/discord/renderers.js';
import { createLogger } from '../../../src/logging/logger.js';
import type { OutboxRow } from '../../../src/storage/outbox.js';
import { haMessage, outboxRow } from '../../helpers/outbox-rows.js';

let nextId = 1;
function row(over: Partial<HaMessage> = {}, kind = 'message'): OutboxRow {
  const id = nextId++;
  return outboxRow(id, kind, haMessage({ id: `m${id}`, ...over }));
}

describe('fitHaMessages', () => {
  it('puts text-only messages together, at most 10', () => {
    expect(fitHaMessages(Array.from({ length: 14 }, () => row()))).toBe(10);
    expect(fitHaMessages([row(), row(), row()])).toBe(3);
  });

  it('stays within 6,000 characters across the embeds', () => {
    const long = () => row({ text: 'x'.repeat(2500) });
    expect(fitHaMessages([long(), long(), long()])).toBe(2);
    expect(fitHaMessages([row({ text: 'x'.repeat(4000), title: 't'.repeat(256) })])).toBe(1);
  });

  it('sends a message with an image alone, and stops a run before one', () => {
    expect(fitHaMessages([row({ imageEntity: 'camera.a' }), row()])).toBe(1);
    expect(fitHaMessages([row(), row(), row({ imageEntity: 'camera.a' }), row()])).toBe(2);
  });

  it('stops at the first row of another kind', () => {
    expect(fitHaMessages([row(), row({}, 'alert'), row()])).toBe(1);
    expect(fitHaMessages([row({}, 'notice')])).toBe(0);
  });
});

describe('haMessageEmbed', () => {
  it('keeps the markdown, drops control characters, and shows the time HA fired it', () => {
    const embed = haMessageEmbed(
      row({ text: '**Bold**\u202e and <@123>', title: 'T', color: 0xff0000 }).payload as HaMessage,
      undefined,
      undefined,
    );
    expect(embed).toEqual({
      title: 'T',
      description: '**Bold** and <@123>',
      color: 0xff0000,
      timestamp: new Date(1_700_000_000_000).toISOString(),
    });
  });

  it('gives a text of only control characters a blank description, so the embed is valid', () => {
    const m = row({ text: '\u202e\u0007' }).payload as HaMessage;
    expect(haMessageEmbed(m, undefined, undefined).description).toBe('\u200b');
  });

  it('points at the attached image, or says in the footer why there is none', () => {
    const m = row({ imageEntity: 'camera.a' }).payload as HaMessage;
    expect(haMessageEmbed(m, { fileName: '1-camera_a.png' }, undefined).image).toEqual({
      url: 'attachment://1-camera_a.png',
    });
    expect(haMessageEmbed(m, undefined, 'no image').footer).toEqual({ text: 'no image' });
  });
});

describe('richer HA messages', () => {
  const images = {
    fetch: (id: string) =>
      id === 'camera.broken'
        ? Promise.reject(new Error('gone'))
        : Promise.resolve({ data: Buffer.from(id), contentType: 'image/jpeg' }),
    describe: () => 'HA answered 404',
  };
  const log = createLogger({ level: 'silent', secrets: [] });

  it('shows fields, url, thumbnail, author, footer and the given time', () => {
    const m = row({
      title: 'Washer',
      embed: {
        url: 'https://example.com/w',
        thumbnail: 'https://example.com/t.png',
        footer: 'Laundry',
        timestamp: 1_800_000_000,
        author: { name: 'Home', iconUrl: 'https://example.com/h.png' },
        fields: [{ name: 'Program', value: 'Cotton', inline: true }],
      },
    }).payload as HaMessage;
    expect(haMessageEmbed(m, undefined, 'no image')).toEqual({
      title: 'Washer',
      description: 'hello',
      color: 0x3498db,
      url: 'https://example.com/w',
      thumbnail: { url: 'https://example.com/t.png' },
      author: { name: 'Home', icon_url: 'https://example.com/h.png' },
      fields: [{ name: 'Program', value: 'Cotton', inline: true }],
      footer: { text: 'Laundry · no image' },
      timestamp: new Date(1_800_000_000_000).toISOString(),
    });
  });

  it('sends several images as a gallery sharing the url, and says which could not be had', async () => {
    const m = row({
      imageEntity: 'camera.a',
      moreImages: ['camera.b', 'camera.broken'],
      embed: { url: 'https://example.com/door' },
    }).payload as HaMessage;
    const request = await haMessageRequest([m], images, log);
    expect(request.files!.map((f) => f.name)).toEqual(['1-camera_a.jpg', '1-2-camera_b.jpg']);
    const embeds = request.body.embeds as Record<string, unknown>[];
    expect(embeds).toHaveLength(2);
    expect(embeds[1]).toEqual({
      url: 'https://example.com/door',
      image: { url: 'attachment://1-2-camera_b.jpg' },
    });
    expect(embeds[0]!.footer).toEqual({
      text: '1 of 3 images could not be attached: camera.broken: HA answered 404',
    });
  });

  it('sends a message with several images alone', () => {
    expect(fitHaMessages([row({ imageEntity: 'camera.a', moreImages: ['camera.b'] }), row()])).toBe(
      1,
    );
  });

  it('renders a tagged message alone, and a removal as such', () => {
    const tagged = (over: Partial<HaMessage>) => row(over, 'tagged') as RowOf<'tagged'>;
    const rendered = renderHaMessages([tagged({}), tagged({})], images, log);
    expect(rendered.count).toBe(1);
    expect(rendered.remove).toBe(false);
    expect(renderHaMessages([tagged({ remove: true })], images, log).remove).toBe(true);
  });
});

describe('HA messages with a chart', () => {
  const chartLog = createLogger({ level: 'silent', secrets: [] });
  const camera = {
    fetch: () => Promise.resolve({ data: Buffer.from('jpeg'), contentType: 'image/jpeg' }),
    describe: () => 'unreachable',
  };
  const drawn: string[][] = [];
  const charts = {
    entity: (entityId: string) => ({ entityId, label: entityId }),
    draw: (entities: readonly { entityId: string }[]) => {
      drawn.push(entities.map((e) => e.entityId));
      return Promise.resolve({ ok: true as const, png: Buffer.from('png') });
    },
  };
  const chart = { entities: ['sensor.a', 'sensor.b'], periodMs: 86_400_000 };

  it('sends a message with a chart alone', () => {
    expect(fitHaMessages([row({ chart }), row()])).toBe(1);
    expect(fitHaMessages([row(), row({ chart }), row()])).toBe(1);
  });

  it('attaches the chart as the picture, or after the message’s own picture', async () => {
    const alone = await haMessageRequest(
      [row({ chart }).payload as HaMessage],
      camera,
      chartLog,
      charts,
    );
    expect(drawn.at(-1)).toEqual(['sensor.a', 'sensor.b']);
    expect(alone.files?.map((f) => f.name)).toEqual(['chart.png']);
    expect((alone.body.embeds as { image?: { url: string } }[]).map((e) => e.image?.url)).toEqual([
      'attachment://chart.png',
    ]);
    const withCamera = await haMessageRequest(
      [row({ chart, imageEntity: 'camera.porch' }).payload as HaMessage],
      camera,
      chartLog,
      charts,
    );
    expect(withCamera.files?.map((f) => f.name)).toEqual(['1-camera_porch.jpg', 'chart.png']);
    expect(
      (withCamera.body.embeds as { image?: { url: string } }[]).map((e) => e.image?.url),
    ).toEqual(['attachment://1-camera_porch.jpg', 'attachment://chart.png']);
    expect(JSON.stringify(withCamera.withoutFiles?.body)).toContain(
      'Chart not attached: the bot lacks Attach Files',
    );
  });

  it('says in the footer why a chart is missing', async () => {
    const failing = {
      ...charts,
      draw: () => Promise.resolve({ ok: false as const, why: 'HA said no' }),
    };
    const request = await haMessageRequest(
      [row({ chart }).payload as HaMessage],
      camera,
      chartLog,
      failing,
    );
    expect(request.files).toBeUndefined();
    expect((request.body.embeds as { footer?: { text: string } }[])[0]!.footer?.text).toBe(
      'Chart not attached: HA said no',
    );
  });
});
