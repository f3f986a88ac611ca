/**
 * The chart's geometry and palette. 800 px wide: Discord shows it about 400 px wide on a
 * phone, so 22 px type reads as 11 px there; a dark card of its own reads on both of
 * Discord's themes.
 */
export const WIDTH = 800;
export const MARGIN_LEFT = 96;
export const MARGIN_RIGHT = 36;
export const PLOT_LEFT = MARGIN_LEFT;
export const PLOT_WIDTH = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/** One data column per plot pixel: what downsampling keeps. */
export const PLOT_COLUMNS = PLOT_WIDTH;
export const LINE_PLOT_HEIGHT = 300;
export const BAND_HEIGHT = 40;
export const FONT_FAMILY = 'DejaVu Sans';

export const COLORS = {
  background: '#232428',
  text: '#f2f3f5',
  muted: '#b5bac1',
  grid: '#3f4147',
  axis: '#6d6f78',
  gap: '#4e5058',
  /** A threshold line (an alert rule's `above`/`below`). */
  mark: '#f23f43',
};

/** Line colours, one per entity: bright enough on the dark card, distinct from each other. */
export const SERIES_COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#f06292', '#ba68c8'];

/** Timeline colours of states HA uses everywhere: "active" ones warm, "resting" ones muted. */
const STATE_COLORS: Record<string, string> = {
  on: '#ffc107',
  open: '#ffc107',
  unlocked: '#ff8a65',
  home: '#81c784',
  playing: '#81c784',
  heat: '#ff7043',
  heating: '#ff7043',
  cool: '#4fc3f7',
  cooling: '#4fc3f7',
  detected: '#ffc107',
  off: '#546e7a',
  closed: '#546e7a',
  locked: '#546e7a',
  not_home: '#607d8b',
  idle: '#607d8b',
  paused: '#78909c',
  standby: '#78909c',
  unavailable: COLORS.gap,
  unknown: COLORS.gap,
};
const OTHER_STATE_COLORS = [
  '#4fc3f7',
  '#81c784',
  '#ba68c8',
  '#f06292',
  '#4db6ac',
  '#9575cd',
  '#e57373',
  '#aed581',
];

/** A state's timeline colour: fixed for common states, else stable per state text. */
export function stateColor(state: string): string {
  const known = STATE_COLORS[state];
  if (known !== undefined) return known;
  let hash = 0;
  for (let i = 0; i < Math.min(state.length, 64); i++) hash = (hash * 31 + state.charCodeAt(i)) | 0;
  return OTHER_STATE_COLORS[Math.abs(hash) % OTHER_STATE_COLORS.length]!;
}
