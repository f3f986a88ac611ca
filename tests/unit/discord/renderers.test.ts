import type { Client } from 'discord.js';
import type { Alert, Notice } from '../../../src/alerts/types.js';
import type { AlertChart, AlertCharts } from '../../../src/charts/alert-chart.js';
import { createLogger } from '../../../src/logging/logger.js';
import { renderAlerts, renderNotice } from '../../../src/discord/alert-format.js';
import { createOutboxSender } from '../../../src/discord/outbox-sender.js';
import { createRenderers, render, type Renderers } from '../../../src/discord/renderers.js';
import type { OutboxRow } from '../../../src/storage/outbox.js';
import { alertOf, haMessage, outboxRow } from '../../helpers/outbox-rows.js';

const log = createLogger({ level: 'silent', secrets: [] });
const images = {
  fetch: () => Promise.resolve({ data: Buffer.from('png'), contentType: 'image/png' }),
  describe: () => 'unreachable',
};

let nextId = 1;
function row(kind: string, payload: unknown, statusKey: string | null = null): OutboxRow {
  return outboxRow(nextId++, kind, payload, statusKey);
}

const alert = (entityId: string): Alert =>
  alertOf({ id: `a-${entityId}`, entityId, name: entityId });
const notice: Notice = { id: 'n1', title: 'Token', text: 'rejected' };

describe('renderers', () => {
  it('has one renderer per kind, checked by the compiler', () => {
    // @ts-expect-error: a table without 'message' does not compile.
    const incomplete: Renderers = {
      alert: renderAlerts,
      status: renderAlerts,
      notice: renderNotice,
    };
    expect(Object.keys(createRenderers({ images, log })).sort()).toEqual([
      'actionable',
      'alert',
      'message',
      'notice',
      'status',
      'tagged',
    ]);
    expect(incomplete).toBeDefined();
  });

  it("renders the head's kind only, up to the first row of another kind", () => {
    const renderers = createRenderers({ images, log });
    const a = (id: string) => row('alert', alert(id));
    expect(render(renderers, [a('x.1'), a('x.2'), row('notice', notice), a('x.3')]).count).toBe(2);
    expect(render(renderers, [row('notice', notice), row('notice', notice)]).count).toBe(1);
    expect(
      render(renderers, [row('message', haMessage()), row('message', haMessage()), a('x.4')]).count,
    ).toBe(2);
  });

  it('renders a tagged message without components, so its edit drops earlier buttons', async () => {
    const rendered = render(createRenderers({ images, log }), [row('tagged', haMessage())]);
    expect((await rendered.request()).body.components).toEqual([]);
  });

  it('keeps a row of a kind it does not know, failing its send with what to do', async () => {
    const rendered = render(createRenderers({ images, log }), [row('chart', {})]);
    expect(rendered.count).toBe(1);
    await expect(async () => rendered.request()).rejects.toThrow(
      /unknown kind 'chart'.*newer version/,
    );
  });
});

describe('createOutboxSender', () => {
  const gatewayUp = { up: true, on: () => () => {} };
  const noThreads = { get: () => undefined, set: () => undefined, forget: () => undefined };

  function fakeClient(failWith?: { code: number }) {
    const posts: { body: Record<string, unknown>; files?: unknown[] }[] = [];
    const client = {
      isReady: () => true,
      on: () => client,
      rest: {
        post: (_route: string, req: { body: Record<string, unknown>; files?: unknown[] }) => {
          if (failWith && req.files)
            return Promise.reject(Object.assign(new Error('no'), failWith));
          posts.push(req);
          return Promise.resolve({ id: `m${posts.length}` });
        },
        // A message with files: one multipart body (src/discord/upload.ts).
        request: (req: { passThroughBody?: boolean }) =>
          failWith && req.passThroughBody
            ? Promise.reject(Object.assign(new Error('no'), failWith))
            : Promise.resolve({ id: 'upload' }),
      },
    };
    return { client: client as unknown as Client, posts };
  }

  it('posts the message it composed, with the nonce', async () => {
    const { client, posts } = fakeClient();
    const port = createOutboxSender(client, gatewayUp, { images, log, threads: noThreads });
    const composed = port.compose([row('alert', alert('x.1')), row('alert', alert('x.2'))]);
    expect(composed.count).toBe(2);
    expect(await port.post('c', composed, 'b1')).toBe('m1');
    expect(posts[0]!.body).toMatchObject({ nonce: 'b1', enforce_nonce: true });
    expect(posts[0]!.body.embeds).toHaveLength(2);
  });

  it('posts a message without its picture where the bot lacks Attach Files', async () => {
    const { client, posts } = fakeClient({ code: 50013 });
    const port = createOutboxSender(client, gatewayUp, { images, log, threads: noThreads });
    const composed = port.compose([row('message', haMessage({ imageEntity: 'camera.porch' }))]);
    expect(await port.post('c', composed, 'b2')).toBe('m1');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.files).toBeUndefined();
    expect(JSON.stringify(posts[0]!.body.embeds)).toContain('could not be attached');
  });
});

describe('alerts with a chart', () => {
  const PNG = Buffer.from('chart-png');
  function charts(answer: AlertChart = { ok: true, png: PNG }) {
    const drawn: { entityId: string; periodMs: number; marks?: unknown }[] = [];
    const source: AlertCharts = {
      entity: (entityId) => ({ entityId, label: `Name of ${entityId}`, unit: '°C' }),
      draw: (entities, periodMs, marks) => {
        for (const entity of entities)
          drawn.push({ entityId: entity.entityId, periodMs, ...(marks?.length ? { marks } : {}) });
        return Promise.resolve(answer);
      },
    };
    return { source, drawn };
  }
  const charted = (entityId: string): Alert => ({ ...alert(entityId), chartMs: 6 * 3_600_000 });

  it('attaches the chart to its alert’s embed, drawn when the message is sent', async () => {
    const { source, drawn } = charts();
    const rendered = createRenderers({ images, log, charts: source }).alert([
      row('alert', { ...charted('sensor.t'), unit: '°C', chartMarks: { above: 25 } }) as never,
    ]);
    expect(drawn).toEqual([]);
    const request = await rendered.request();
    // The rule's threshold is marked on the chart.
    expect(drawn).toEqual([
      {
        entityId: 'sensor.t',
        periodMs: 6 * 3_600_000,
        marks: [{ value: 25, label: 'above 25 °C' }],
      },
    ]);
    expect(request.files).toEqual([{ name: 'chart.png', data: PNG, contentType: 'image/png' }]);
    expect((request.body.embeds as { image?: unknown }[])[0]!.image).toEqual({
      url: 'attachment://chart.png',
    });
    expect(JSON.stringify(request.withoutFiles?.body)).toContain(
      'Chart not attached: the bot lacks Attach Files',
    );
  });

  it('draws one chart per message, and none for a summary of many', async () => {
    const { source, drawn } = charts();
    const renderers = createRenderers({ images, log, charts: source });
    const two = await renderers
      .alert([
        row('alert', alert('x.1')),
        row('alert', charted('s.1')),
        row('alert', charted('s.2')),
      ] as never)
      .request();
    expect(drawn.map((d) => d.entityId)).toEqual(['s.1']);
    expect(two.files).toHaveLength(1);
    const withImage = (two.body.embeds as { image?: unknown }[]).map((e) => e.image !== undefined);
    expect(withImage).toEqual([false, true, false]);

    const many = Array.from({ length: 12 }, (_, i) => row('alert', charted(`s.${i}`)));
    const summary = renderers.alert(many as never);
    const request = await summary.request();
    expect(request.files).toBeUndefined();
    expect(drawn).toHaveLength(1);
  });

  it('sends the alert without the chart, saying why, when it cannot be drawn', async () => {
    const { source } = charts({ ok: false, why: 'Home Assistant was unreachable' });
    const request = await createRenderers({ images, log, charts: source })
      .alert([row('alert', charted('sensor.t')) as never])
      .request();
    expect(request.files).toBeUndefined();
    const [embed] = request.body.embeds as { description: string; image?: unknown }[];
    expect(embed!.image).toBeUndefined();
    expect(embed!.description).toMatch(/\n_Chart not attached: Home Assistant was unreachable\._$/);
  });

  it('never draws for a status edited in place', async () => {
    const { source, drawn } = charts();
    const request = await createRenderers({ images, log, charts: source })
      .status([row('status', charted('sensor.t'), 'k') as never])
      .request();
    expect(drawn).toEqual([]);
    expect(request.files).toBeUndefined();
  });
});
