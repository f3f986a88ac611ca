import {
  BAND_HEIGHT,
  COLORS,
  FONT_FAMILY,
  LINE_PLOT_HEIGHT,
  PLOT_LEFT,
  PLOT_WIDTH,
  SERIES_COLORS,
  WIDTH,
  stateColor,
} from './layout.js';
import type { ChartData, NumericSeries, NumericStep, StateSeries } from './series.js';
import { PathData } from './path-data.js';
import { r, text, truncate } from './svg-parts.js';
import { timeTicks } from './time-axis.js';
import { formatValue, valueScale } from './value-axis.js';

export interface RenderedSvg {
  svg: string;
  width: number;
  height: number;
}

/** Where a numeric panel's plot area sits (for tests that look at its pixels). */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The value at the plot's top and bottom edges. */
  yMax: number;
  yMin: number;
}

const TITLE_SIZE = 30;
const TEXT_SIZE = 22;
const TICK_SIZE = 20;
const LABEL_CHARS = 28;

/**
 * A chart as SVG text, pure: numeric series sharing a unit on one line panel each (a step
 * line, with HA statistics' min–max as a band, gaps where there was no value), text states
 * as coloured timeline bands, one time axis in HA's time zone.
 */
export function renderChartSvg(
  data: ChartData,
): RenderedSvg & { plots: PlotBox[]; bands: { top: number; height: number }[] } {
  const out: string[] = [];
  const plots: PlotBox[] = [];
  const bands: { top: number; height: number }[] = [];
  const x = (t: number) => PLOT_LEFT + ((t - data.start) / (data.end - data.start)) * PLOT_WIDTH;
  const ticks = timeTicks(data.start, data.end, data.timeZone);
  const gridX = (top: number, height: number) =>
    ticks
      .map(
        (tick) =>
          `<line x1="${r(x(tick.t))}" y1="${r(top)}" x2="${r(x(tick.t))}" y2="${r(top + height)}" stroke="${COLORS.grid}" stroke-width="1"/>`,
      )
      .join('');

  let y = 20;
  const labels = data.series.map((s) => s.label);
  const title = labels.length === 1 ? labels[0]! : `${labels[0]!} and ${labels.length - 1} more`;
  y += TITLE_SIZE;
  out.push(text(24, y, truncate(title, 40), TITLE_SIZE, COLORS.text, { bold: true }));
  y += 34;
  const source =
    data.source === 'history'
      ? 'every change (history)'
      : `${data.source === 'statistics (daily)' ? 'daily' : 'hourly'} statistics: mean, min–max`;
  out.push(text(24, y, `Last ${data.periodText} · ${source}`, TICK_SIZE, COLORS.muted));
  y += 18;

  // Numeric series: one panel per unit, in the order the entities came.
  const byUnit = new Map<string, NumericSeries[]>();
  for (const s of data.series) {
    if (s.kind !== 'numeric') continue;
    const group = byUnit.get(s.unit) ?? [];
    group.push(s);
    byUnit.set(s.unit, group);
  }
  let colorIndex = 0;
  const colors = new Map<NumericSeries, string>();
  for (const [unit, group] of byUnit) {
    for (const s of group) {
      const color = SERIES_COLORS[colorIndex++ % SERIES_COLORS.length]!;
      y += 32;
      out.push(`<circle cx="34" cy="${y - 8}" r="8" fill="${color}"/>`);
      out.push(text(52, y, legendText(s), TEXT_SIZE, COLORS.text));
      colors.set(s, color);
    }
    y += 40;
    const top = y;
    const height = LINE_PLOT_HEIGHT;
    const marks = plots.length === 0 ? (data.marks ?? []) : [];
    const [yMin, yMax, yTicks] = valueScale(
      group,
      marks.map((m) => m.value),
    );
    const yOf = (v: number) => top + ((yMax - v) / (yMax - yMin)) * height;
    out.push(
      `<rect x="${PLOT_LEFT}" y="${top}" width="${PLOT_WIDTH}" height="${height}" fill="none" stroke="${COLORS.grid}" stroke-width="1"/>`,
    );
    out.push(gridX(top, height));
    for (const v of yTicks) {
      const ty = yOf(v);
      out.push(
        `<line x1="${PLOT_LEFT}" y1="${r(ty)}" x2="${PLOT_LEFT + PLOT_WIDTH}" y2="${r(ty)}" stroke="${COLORS.grid}" stroke-width="1"/>`,
      );
      out.push(
        text(PLOT_LEFT - 10, ty + 7, formatValue(v), TICK_SIZE, COLORS.muted, { anchor: 'end' }),
      );
    }
    if (unit !== '')
      out.push(text(PLOT_LEFT - 10, top - 8, unit, TICK_SIZE, COLORS.muted, { anchor: 'end' }));
    // Labelled at the left: the alert's crossing is at the right end.
    for (const mark of marks) {
      const my = r(yOf(mark.value));
      out.push(
        `<line x1="${PLOT_LEFT}" y1="${my}" x2="${PLOT_LEFT + PLOT_WIDTH}" y2="${my}" stroke="${COLORS.mark}" stroke-width="2" stroke-dasharray="10 6"/>`,
      );
      out.push(text(PLOT_LEFT + 8, my - 6, mark.label, TICK_SIZE, COLORS.mark));
    }
    for (const s of group) {
      out.push(stepPaths(s.steps, data, x, yOf, colors.get(s)!));
    }
    plots.push({ left: PLOT_LEFT, top, width: PLOT_WIDTH, height, yMin, yMax });
    y += height;
  }

  // Text states: one band each.
  for (const s of data.series) {
    if (s.kind !== 'state') continue;
    y += 36;
    const now = s.spans.at(-1)?.state ?? '';
    out.push(
      text(
        24,
        y,
        `${truncate(s.label, LABEL_CHARS)} · now ${truncate(now, 20)}`,
        TEXT_SIZE,
        COLORS.text,
      ),
    );
    y += 10;
    out.push(band(s, data, x, y));
    bands.push({ top: y, height: BAND_HEIGHT });
    out.push(gridX(y, BAND_HEIGHT));
    y += BAND_HEIGHT;
  }

  // The time axis, once, under everything.
  y += 30;
  for (const tick of ticks) {
    out.push(text(x(tick.t), y, tick.label, TICK_SIZE, COLORS.muted, { anchor: 'middle' }));
  }
  const height = Math.round(y + 20);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT_FAMILY}">` +
    `<rect width="100%" height="100%" fill="${COLORS.background}"/>` +
    out.join('') +
    '</svg>';
  return { svg, width: WIDTH, height, plots, bands };
}

/** The step line (and statistics' min–max band) of one series; gaps stay empty. */
function stepPaths(
  steps: readonly NumericStep[],
  data: ChartData,
  x: (t: number) => number,
  yOf: (v: number) => number,
  color: string,
): string {
  const line = new PathData(steps.length);
  let bandPath: PathData | undefined;
  let drawing = false;
  let penX = NaN;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const from = Math.max(step.t, data.start);
    const to = Math.min(steps[i + 1]?.t ?? data.end, data.end);
    if (to <= data.start || from >= data.end || step.v === null) {
      if (step.v === null && from < data.end) drawing = false;
      continue;
    }
    const x0 = r(x(from));
    const x1 = r(x(to));
    const yv = r(yOf(step.v));
    // Drawing on, the pen is already at x0 (the last step ended there): up or down, then along.
    if (drawing && x0 === penX) line.cmd('V', yv).cmd('H', x1);
    else line.cmd('M', x0, yv).cmd('H', x1);
    drawing = true;
    penX = x1;
    if (
      step.lo !== undefined &&
      step.hi !== undefined &&
      (step.lo !== step.v || step.hi !== step.v)
    ) {
      bandPath ??= new PathData(steps.length);
      bandPath
        .cmd('M', x0, r(yOf(step.hi)))
        .cmd('H', x1)
        .cmd('V', r(yOf(step.lo)));
      bandPath.cmd('H', x0).cmd('Z');
    }
  }
  const bandSvg =
    bandPath !== undefined
      ? `<path d="${bandPath.toString()}" fill="${color}" fill-opacity="0.25"/>`
      : '';
  return (
    bandSvg +
    `<path d="${line.toString()}" fill="none" stroke="${color}" stroke-width="3" stroke-linejoin="round"/>`
  );
}

/** A timeline band: one rectangle per span, its state written in it where it fits. */
function band(s: StateSeries, data: ChartData, x: (t: number) => number, top: number): string {
  const parts: string[] = [];
  for (let i = 0; i < s.spans.length; i++) {
    const span = s.spans[i]!;
    const from = Math.max(span.t, data.start);
    const to = Math.min(s.spans[i + 1]?.t ?? data.end, data.end);
    if (to <= from) continue;
    const [x0, x1] = [x(from), x(to)];
    parts.push(
      `<rect x="${r(x0)}" y="${top}" width="${r(Math.max(x1 - x0, 1))}" height="${BAND_HEIGHT}" fill="${stateColor(span.state)}"/>`,
    );
    const label = truncate(span.state, 16);
    if (x1 - x0 > label.length * 12 + 12) {
      parts.push(
        text((x0 + x1) / 2, top + BAND_HEIGHT / 2 + 7, label, TICK_SIZE, '#111214', {
          anchor: 'middle',
        }),
      );
    }
  }
  return parts.join('');
}

function legendText(s: NumericSeries): string {
  let lo = Infinity;
  let hi = -Infinity;
  let last: number | null = null;
  for (const step of s.steps) {
    last = step.v;
    if (step.v === null) continue;
    lo = Math.min(lo, step.lo ?? step.v);
    hi = Math.max(hi, step.hi ?? step.v);
  }
  const unit = s.unit === '' ? '' : ` ${s.unit}`;
  const now = last === null ? 'now unavailable' : `${formatValue(last)}${unit}`;
  const range = Number.isFinite(lo) ? ` · min ${formatValue(lo)} · max ${formatValue(hi)}` : '';
  return `${truncate(s.label, LABEL_CHARS)}  ${now}${range}`;
}
