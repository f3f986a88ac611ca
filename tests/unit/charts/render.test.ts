import { createChartRenderer } from '../../../src/charts/png.js';
import { renderChartSvg } from '../../../src/charts/svg.js';
import {
  COLORS,
  PLOT_LEFT,
  PLOT_WIDTH,
  SERIES_COLORS,
  WIDTH,
  stateColor,
} from '../../../src/charts/layout.js';
import type { ChartData } from '../../../src/charts/series.js';

const HOUR = 3_600_000;
const end = Date.UTC(2026, 11, 1, 6, 0);
const start = end - 24 * HOUR;

/** 12 for 8 h, nothing (unavailable) for 4 h, then 18: a known step function with a gap. */
const data: ChartData = {
  start,
  end,
  source: 'history',
  timeZone: 'Europe/Amsterdam',
  periodText: '24 h',
  series: [
    {
      kind: 'numeric',
      entityId: 'sensor.nursery',
      label: 'Nursery',
      unit: '°C',
      steps: [
        { t: start, v: 12 },
        { t: start + 8 * HOUR, v: null },
        { t: start + 12 * HOUR, v: 18 },
      ],
    },
    {
      kind: 'state',
      entityId: 'binary_sensor.door',
      label: 'Garage door',
      spans: [
        { t: start, state: 'off' },
        { t: start + 6 * HOUR, state: 'on' },
        { t: start + 18 * HOUR, state: 'off' },
      ],
    },
  ],
};

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

function pixelAt(image: { width: number; pixels: Buffer }, x: number, y: number): number[] {
  const i = (Math.round(y) * image.width + Math.round(x)) * 4;
  return [...image.pixels.subarray(i, i + 3)];
}

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 24);

/** The rows of column x whose pixel is the colour (anti-aliased edges aside). */
function rowsOf(
  image: { width: number; height: number; pixels: Buffer },
  x: number,
  color: number[],
  from: number,
  to: number,
): number[] {
  const rows: number[] = [];
  for (let y = Math.ceil(from); y < Math.floor(to); y++)
    if (near(pixelAt(image, x, y), color)) rows.push(y);
  return rows;
}

/** The bot's renderer (its worker thread), shared by the tests of this file. */
const renderer = createChartRenderer();
const svgToPng = (svg: string) => renderer.png(svg);
const svgToPixels = (svg: string) => renderer.pixels(svg);
afterAll(() => renderer.close());

describe('chart rendering', () => {
  const rendered = renderChartSvg(data);
  let image: Awaited<ReturnType<typeof svgToPixels>>;
  beforeAll(async () => {
    image = await svgToPixels(rendered.svg);
  });
  const plot = rendered.plots[0]!;
  const xOf = (t: number) => PLOT_LEFT + ((t - start) / (end - start)) * PLOT_WIDTH;
  const yOf = (v: number) => plot.top + ((plot.yMax - v) / (plot.yMax - plot.yMin)) * plot.height;
  const line = rgb(SERIES_COLORS[0]!);

  it('is a PNG of the stated size, not blank', async () => {
    const png = await svgToPng(rendered.svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(WIDTH);
    expect(png.readUInt32BE(20)).toBe(rendered.height);
    expect([image.width, image.height]).toEqual([WIDTH, rendered.height]);
    const colors = new Set<number>();
    for (let i = 0; i < image.pixels.length; i += 4 * 97) colors.add(image.pixels.readUInt32BE(i));
    expect(colors.size).toBeGreaterThan(10);
  });

  it('draws the line where the step function says, and nothing in the gap', () => {
    const first = rowsOf(image, xOf(start + 4 * HOUR), line, plot.top, plot.top + plot.height);
    expect(first.length).toBeGreaterThan(0);
    for (const y of first) expect(Math.abs(y - yOf(12))).toBeLessThanOrEqual(2);
    const second = rowsOf(image, xOf(start + 20 * HOUR), line, plot.top, plot.top + plot.height);
    expect(second.length).toBeGreaterThan(0);
    for (const y of second) expect(Math.abs(y - yOf(18))).toBeLessThanOrEqual(2);
    // Unavailable from 8 h to 12 h: no line at all in those columns.
    expect(rowsOf(image, xOf(start + 10 * HOUR), line, plot.top, plot.top + plot.height)).toEqual(
      [],
    );
    // 18 is above 12 (SVG y grows downwards).
    expect(yOf(18)).toBeLessThan(yOf(12));
  });

  it('colours timeline bands per state', () => {
    const band = rendered.bands[0]!;
    const y = band.top + 4;
    expect(near(pixelAt(image, xOf(start + 3 * HOUR), y), rgb(stateColor('off')))).toBe(true);
    expect(near(pixelAt(image, xOf(start + 12 * HOUR), y), rgb(stateColor('on')))).toBe(true);
    expect(stateColor('on')).not.toBe(stateColor('off'));
  });

  it('writes the unit, last, min and max as text, and times in HA’s zone', () => {
    expect(rendered.svg).toContain('>°C</text>');
    expect(rendered.svg).toContain('Nursery  18 °C · min 12 · max 18');
    // 06:00 UTC is 07:00 in Amsterdam in December.
    expect(rendered.svg).toContain('>12:00</text>');
    expect(rendered.svg).not.toContain('>11:00</text>');
  });

  it('escapes names as XML', async () => {
    const svg = renderChartSvg({
      ...data,
      series: [{ ...data.series[0]!, label: '<Kid\'s & "room">' }],
    }).svg;
    expect(svg).toContain('&lt;Kid&apos;s &amp; &quot;room&quot;&gt;');
    await expect(svgToPixels(svg)).resolves.toMatchObject({ width: WIDTH });
  });
});

describe('a chart with marks (an alert rule’s thresholds)', () => {
  it('draws each mark as a dashed line at its value, within the value axis', async () => {
    const marked: ChartData = {
      ...data,
      series: [data.series[0]!],
      marks: [{ value: 25, label: 'above 25 °C' }],
    };
    const rendered = renderChartSvg(marked);
    const plot = rendered.plots[0]!;
    // 25 is above every value (12, 18): the axis grows to show it.
    expect(plot.yMax).toBeGreaterThanOrEqual(25);
    expect(rendered.svg).toContain('>above 25 °C</text>');
    const image = await svgToPixels(rendered.svg);
    const y = plot.top + ((plot.yMax - 25) / (plot.yMax - plot.yMin)) * plot.height;
    const red = rgb(COLORS.mark);
    // Dashes: some columns along the line are the mark's colour, right at its row.
    const hits: number[] = [];
    for (let x = PLOT_LEFT + 2; x < PLOT_LEFT + 200; x++)
      if (rowsOf(image, x, red, y - 3, y + 3).length > 0) hits.push(x);
    expect(hits.length).toBeGreaterThan(50);
    expect(hits.length).toBeLessThan(198);
    // Without marks, nothing of that colour is drawn there.
    const plain = await svgToPixels(renderChartSvg({ ...marked, marks: [] }).svg);
    expect(rowsOf(plain, PLOT_LEFT + 5, red, plot.top, plot.top + plot.height)).toEqual([]);
  });
});

describe('the chart renderer (a worker thread of its own)', () => {
  const tiny = (w: number, h: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#ff0000"/></svg>`;

  it('answers each chart with its own image when several are drawn at once', async () => {
    const sizes = [
      [40, 10],
      [10, 40],
      [25, 25],
    ] as const;
    const images = await Promise.all(sizes.map(([w, h]) => svgToPixels(tiny(w, h))));
    expect(images.map((i) => [i.width, i.height])).toEqual(sizes);
    expect([...images[0]!.pixels.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
  });

  it('answers charts asked for at once in order, each while the next waits for its nudge', async () => {
    const own = createChartRenderer();
    const order: number[] = [];
    try {
      await Promise.all(
        [3, 4, 5, 6].map((w) => own.pixels(tiny(w, 2)).then((p) => order.push(p.width))),
      );
      expect(order).toEqual([3, 4, 5, 6]);
    } finally {
      await own.close();
    }
  });

  it('draws without the nudge when the purge delay is the user’s own', async () => {
    const before = process.env.MIMALLOC_PURGE_DELAY;
    process.env.MIMALLOC_PURGE_DELAY = '50';
    const own = createChartRenderer();
    try {
      const images = await Promise.all([own.pixels(tiny(7, 3)), own.pixels(tiny(3, 7))]);
      expect(images.map((i) => [i.width, i.height])).toEqual([
        [7, 3],
        [3, 7],
      ]);
    } finally {
      await own.close();
      if (before === undefined) delete process.env.MIMALLOC_PURGE_DELAY;
      else process.env.MIMALLOC_PURGE_DELAY = before;
    }
  });

  it('rejects an SVG it cannot draw, and draws the next chart', async () => {
    await expect(svgToPng('<svg this is not xml')).rejects.toThrow(Error);
    const png = await svgToPng(tiny(8, 8));
    expect(png.readUInt32BE(16)).toBe(8);
  });

  it('after close, starts its thread again for the next chart', async () => {
    const own = createChartRenderer();
    try {
      expect((await own.pixels(tiny(4, 4))).width).toBe(4);
      await own.close();
      expect((await own.pixels(tiny(6, 4))).width).toBe(6);
    } finally {
      await own.close();
    }
  });

  it('stops its thread when idle, and starts it again for the next chart', async () => {
    const own = createChartRenderer(0);
    try {
      expect((await own.png(tiny(4, 4))).readUInt32BE(16)).toBe(4);
      // Idle for 0 ms: its timer (set first) stops the thread before this one fires; the
      // next chart gets a new thread, which the old one's exit must not fail.
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect((await own.png(tiny(5, 4))).readUInt32BE(16)).toBe(5);
    } finally {
      await own.close();
    }
  });
});
