import { z } from 'zod';

/**
 * The one reader of durations, wherever a person writes one: a rule's `for` and `cooldown`,
 * the confirm timeout, `/ha mute`'s `for`, OUTBOX_MAX_AGE and the *_MS settings. It takes
 * Home Assistant's own forms (cv.time_period) and the bot's short ones:
 *
 *   '00:10:00', '0:10', '00:00:02.5'        HH:MM, HH:MM:SS, HH:MM:SS.F
 *   600, '600', '2.5'                       a number of seconds (milliseconds for *_MS)
 *   {minutes: 10}, {hours: 1, minutes: 30}  days, hours, minutes, seconds, milliseconds
 *   '30s', '10m', '1h30m', '1d 12h', '250ms', '2 hours'
 */

/** Longer text is refused before any parsing: no duration needs it. */
export const MAX_DURATION_TEXT = 64;

const DAY = 86_400_000;
/** Beyond a year a duration is a mistake (and far past what a timer can wait). */
const DEFAULT_MAX_MS = 365 * DAY;

const UNITS = new Map<string, number>(
  Object.entries({
    ms: 1,
    millisecond: 1,
    milliseconds: 1,
    s: 1000,
    sec: 1000,
    secs: 1000,
    second: 1000,
    seconds: 1000,
    m: 60_000,
    min: 60_000,
    mins: 60_000,
    minute: 60_000,
    minutes: 60_000,
    h: 3_600_000,
    hr: 3_600_000,
    hrs: 3_600_000,
    hour: 3_600_000,
    hours: 3_600_000,
    d: DAY,
    day: DAY,
    days: DAY,
  }),
);

/** HA's time_period_dict keys. */
const DICT_KEYS = new Map<string, number>(
  Object.entries({
    days: DAY,
    hours: 3_600_000,
    minutes: 60_000,
    seconds: 1000,
    milliseconds: 1,
  }),
);

const NUMBER = /^\+?\d+(?:\.\d+)?$/;
const CLOCK = /^\+?(\d+):(\d+)(?::(\d+(?:\.\d+)?))?$/;
const PART = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/iy;

export interface DurationOptions {
  /** What a bare number counts: seconds, as in HA (default), or milliseconds (*_MS settings). */
  bareNumber?: 'seconds' | 'milliseconds';
  /** Whether the `{minutes: 10}` form can be written here (YAML: yes; a text field: no). */
  objectForm?: boolean;
  /** Whether 0 is allowed (default yes). */
  allowZero?: boolean;
  /** The longest allowed, in ms, and how to say it (default a year). */
  max?: { ms: number; text: string };
}

export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string };

/** The accepted forms, for error messages. */
export function durationForms(opts: DurationOptions = {}): string {
  const bare =
    opts.bareNumber === 'milliseconds' ? '5000 (milliseconds)' : '600 (a number of seconds)';
  const forms = ['30s', '10m', '1h30m', '2d', '250ms', '00:10:00 (HH:MM:SS)', bare];
  if (opts.objectForm !== false) forms.push('{minutes: 10}');
  return `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}`;
}

/** Milliseconds, rounded to whole ones, or what is wrong in words naming the accepted forms. */
export function parseDuration(value: unknown, opts: DurationOptions = {}): DurationResult {
  const ms = toMs(value, opts);
  if (typeof ms === 'string') return { ok: false, problem: ms };
  const max = opts.max ?? { ms: DEFAULT_MAX_MS, text: '365 days' };
  if (!Number.isFinite(ms) || ms > max.ms) {
    return { ok: false, problem: `must be at most ${max.text}` };
  }
  const rounded = Math.round(ms);
  if (rounded === 0 && opts.allowZero === false) {
    return { ok: false, problem: 'must be longer than 0' };
  }
  return { ok: true, ms: rounded };
}

function toMs(value: unknown, opts: DurationOptions): number | string {
  const invalid = `is not a duration: write it like ${durationForms(opts)}`;
  const bareUnit = opts.bareNumber === 'milliseconds' ? 1 : 1000;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid;
    return value < 0 ? 'must not be negative' : value * bareUnit;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_DURATION_TEXT) {
      return `is too long for a duration (over ${MAX_DURATION_TEXT} characters): write it like ${durationForms(opts)}`;
    }
    return fromText(value.trim(), bareUnit) ?? invalid;
  }
  if (opts.objectForm !== false && isPlainObject(value)) return fromDict(value);
  return invalid;
}

function fromText(text: string, bareUnit: number): number | string | undefined {
  if (text.startsWith('-')) return 'must not be negative';
  if (NUMBER.test(text)) return Number(text) * bareUnit;
  const clock = CLOCK.exec(text);
  if (clock) {
    const [, h, m, s] = clock;
    return Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s ?? 0) * 1000;
  }
  // '1h30m', '1d 12h', '2 hours': number-unit pairs, each unit known.
  let total = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const part = PART.exec(text);
    if (!part) return undefined;
    const unit = UNITS.get(part[2]!.toLowerCase());
    if (unit === undefined) return undefined;
    total += Number(part[1]) * unit;
    at = PART.lastIndex;
  }
  return at === 0 ? undefined : total;
}

function fromDict(dict: Record<string, unknown>): number | string {
  const keys = Object.keys(dict);
  const unknown = keys.filter((k) => !DICT_KEYS.has(k));
  if (unknown.length > 0 || keys.length === 0) {
    const not =
      unknown.length > 0
        ? ` (not ${unknown
            .slice(0, 3)
            .map((k) => k.slice(0, 30))
            .join(', ')})`
        : '';
    return `is not a duration: as a map it takes days, hours, minutes, seconds or milliseconds${not}, e.g. {minutes: 10}`;
  }
  let total = 0;
  for (const key of keys) {
    const raw = dict[key];
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && NUMBER.test(raw.trim())
          ? Number(raw)
          : NaN;
    if (!Number.isFinite(n)) return `${key} must be a number`;
    if (n < 0) return 'must not be negative';
    total += n * DICT_KEYS.get(key)!;
  }
  return total;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A zod field for a duration: its output is milliseconds. */
export function durationSchema(opts: DurationOptions = {}) {
  return z.unknown().transform((value, ctx): number => {
    const parsed = parseDuration(value, opts);
    if (parsed.ok) return parsed.ms;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
}
