/**
 * Text for the README picture: Discord's markdown (the little the bot uses), relative
 * timestamps against a fixed "now", approximate text widths and word wrapping.
 */

/** A stretch of text shown one way. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  /** A `<t:N:R>` timestamp: Discord draws it on a faint pill and never breaks it. */
  time?: boolean;
}

type Style = Omit<Run, 'text'>;

const sameStyle = (a: Style, b: Style) =>
  !a.bold === !b.bold && !a.italic === !b.italic && !a.code === !b.code && !a.time === !b.time;

/** Appends text in a style, merging it into the last run when that has the same style. */
function push(runs: Run[], text: string, style: Style): void {
  if (text === '') return;
  const last = runs[runs.length - 1];
  if (last && sameStyle(last, style)) last.text += text;
  else runs.push({ text, ...flags(style) });
}

const flags = (s: Style): Style => ({
  ...(s.bold ? { bold: true } : {}),
  ...(s.italic ? { italic: true } : {}),
  ...(s.code ? { code: true } : {}),
  ...(s.time ? { time: true } : {}),
});

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const two = (n: number) => String(n).padStart(2, '0');

/** "18:42", in UTC so that the picture is the same on every machine. */
export function clockTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** Discord's relative timestamp (`<t:N:R>`): "a few seconds ago", "2 minutes ago", "in an hour". */
export function relativeTime(at: number, now: number): string {
  const d = Math.abs(now - at);
  const n = (unit: number, word: string) => `${Math.round(d / unit)} ${word}`;
  const phrase =
    d < 45
      ? 'a few seconds'
      : d < 90
        ? 'a minute'
        : d < 45 * 60
          ? n(60, 'minutes')
          : d < 90 * 60
            ? 'an hour'
            : d < 22 * 3600
              ? n(3600, 'hours')
              : d < 36 * 3600
                ? 'a day'
                : d < 26 * 86400
                  ? n(86400, 'days')
                  : d < 45 * 86400
                    ? 'a month'
                    : d < 320 * 86400
                      ? n(30.44 * 86400, 'months')
                      : d < 548 * 86400
                        ? 'a year'
                        : n(365.25 * 86400, 'years');
  return at > now ? `in ${phrase}` : `${phrase} ago`;
}

/** `<t:N:S>` in style S (R relative, t time, d date, default date and time), in UTC. */
export function timestamp(at: number, style: string | undefined, now: number): string {
  if (style === 'R') return relativeTime(at, now);
  const d = new Date(at * 1000);
  const date = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (style === 't' || style === 'T') return clockTime(at);
  if (style === 'd' || style === 'D') return date;
  return `${date} ${clockTime(at)}`;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const TIMESTAMP = /^<t:(-?\d{1,12})(?::([tTdDfFR]))?>/;

/**
 * Discord markdown as the bot writes it, into lines of runs: **bold**, *italic* and _italic_,
 * `code`, backslash escapes and `<t:N:R>` timestamps. One pass over the text.
 */
export function parseMarkdown(text: string, now: number): Run[][] {
  return text.split('\n').map((line) => {
    const runs: Run[] = [];
    const style: Style = {};
    for (let i = 0; i < line.length;) {
      const ch = line[i]!;
      const next = line[i + 1];
      if (ch === '\\' && next !== undefined && PUNCTUATION.test(next)) {
        push(runs, next, style);
        i += 2;
      } else if (ch === '`' && line.indexOf('`', i + 1) > i + 1) {
        const end = line.indexOf('`', i + 1);
        push(runs, line.slice(i + 1, end), { ...style, code: true });
        i = end + 1;
      } else if (ch === '*' && next === '*') {
        style.bold = !style.bold;
        i += 2;
      } else if (ch === '*' || ch === '_') {
        style.italic = !style.italic;
        i += 1;
      } else if (ch === '<' && TIMESTAMP.test(line.slice(i, i + 20))) {
        const m = TIMESTAMP.exec(line.slice(i, i + 20))!;
        push(runs, timestamp(Number(m[1]), m[2], now), { ...style, time: true });
        i += m[0].length;
      } else {
        push(runs, ch, style);
        i += 1;
      }
    }
    return runs;
  });
}

// Helvetica's advance widths (thousandths of the font size) for ASCII 32-126, regular and bold.
// prettier-ignore
const REGULAR = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
// prettier-ignore
const BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
  975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
  611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
const OTHER: Record<string, number> = {
  '\u200b': 0,
  '°': 400,
  '·': 278,
  '–': 556,
  '—': 1000,
  '…': 1000,
  '→': 1000,
};

/**
 * The reader's font is not known (an SVG in a README is drawn with the viewer's fonts): widths
 * are Helvetica's (Arial's) made a little wider, between Arial and the widest common sans-serif
 * (DejaVu Sans, about 12% wider). The renderer pins every run to this width (SVG `textLength`,
 * adjusting only the spacing between letters), so the layout holds in whichever font is drawn.
 */
export const FONT_SCALE = 1.05;
/** Monospace fonts advance 0.6 of their size per character (Consolas 0.55, Menlo 0.6). */
const MONO_ADVANCE = 0.6;
/** Inline code is drawn at this fraction of the surrounding text's size, as Discord does. */
export const CODE_SCALE = 0.85;

/** The width of `text` at `size` pixels, as the picture lays it out. */
export function textWidth(text: string, size: number, style: Style = {}): number {
  if (style.code) return [...text].length * MONO_ADVANCE * size * CODE_SCALE;
  const table = style.bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? table[code - 32]! : (OTHER[ch] ?? 600);
  }
  return (units / 1000) * size * FONT_SCALE;
}

/** Padding either side of an inline code span's box, and of a timestamp's pill. */
export const codePad = (size: number) => Math.round(size * 0.2 * 10) / 10;
export const TIME_PAD = 2;

/** The room a run takes on its line: its text, and the padding of its box if it has one. */
export const runWidth = (run: Run, size: number) =>
  textWidth(run.text, size, run) + (run.code ? 2 * codePad(size) : run.time ? 2 * TIME_PAD : 0);

export const runsWidth = (runs: readonly Run[], size: number) =>
  runs.reduce((w, r) => w + runWidth(r, size), 0);

/**
 * Greedy word wrap of one line of runs into lines at most `maxWidth` wide; a word longer
 * than a line is cut where it must be.
 */
export function wrap(runs: readonly Run[], maxWidth: number, size: number): Run[][] {
  const lines: Run[][] = [];
  let line: Run[] = [];
  let width = 0;
  const breakLine = () => {
    // Trailing spaces take no room at the end of a line.
    const last = line[line.length - 1];
    if (last) last.text = last.text.replace(/\s+$/, '');
    lines.push(line.filter((r) => r.text !== ''));
    line = [];
    width = 0;
  };
  for (const run of runs) {
    const style = flags(run);
    for (const piece of run.time ? [run.text] : run.text.split(/(\s+)/)) {
      if (piece === '') continue;
      if (/^\s+$/.test(piece)) {
        if (line.length > 0) {
          push(line, piece, style);
          width += runWidth({ ...style, text: piece }, size);
        }
        continue;
      }
      let word = piece;
      while (word !== '') {
        const w = runWidth({ ...style, text: word }, size);
        if (width + w <= maxWidth) {
          push(line, word, style);
          width += w;
          break;
        }
        if (line.length > 0) {
          breakLine();
          continue;
        }
        // Alone and still too wide: as many characters as fit (at least one).
        const chars = [...word];
        let n = 1;
        let fits = runWidth({ ...style, text: chars[0]! }, size);
        for (; n < chars.length; n++) {
          fits += textWidth(chars[n]!, size, style);
          if (fits > maxWidth) break;
        }
        push(line, chars.slice(0, n).join(''), style);
        word = chars.slice(n).join('');
        breakLine();
      }
    }
  }
  if (line.length > 0 || lines.length === 0) breakLine();
  return lines;
}
