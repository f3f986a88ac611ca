/**
 * `LOG_FORMAT=text`: one readable line per event, for a log viewer that shows lines as they
 * are (Home Assistant's add-on Log tab, `journalctl`, a terminal without pino-pretty):
 *
 *   2024-05-01 10:00:00.123 INFO  [ha] Home Assistant connected haVersion=2024.3.3
 *
 * Local time (the add-on gets the HA instance's TZ), the level, the side in brackets, the
 * message, then the other fields as key=value. An error's stack follows on indented lines
 * for `error` and `fatal` only, the events someone has to investigate.
 */

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * pino's own fields, the ones the line shows in its own place, and `milestone` (a stable name
 * for scripts and tests, logging/milestones.ts: the message already says it in words).
 */
const SHOWN_APART = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'name',
  'msg',
  'side',
  'milestone',
]);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function localTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** A value as `key=value` shows it: bare when it is one plain word, JSON otherwise. */
function showValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=\\]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  return JSON.stringify(value) ?? typeof value;
}

interface SerializedError {
  type?: string;
  message?: string;
  code?: unknown;
  stack?: string;
}

/** pino's serialized Error (the `err` field, or anything with a stack). */
function isSerializedError(key: string, value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false;
  const error = value as SerializedError;
  return typeof error.message === 'string' && (key === 'err' || typeof error.stack === 'string');
}

/** pino's JSON line (already scrubbed of secrets) as one readable line, newline-terminated. */
export function formatTextLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const time = typeof entry.time === 'number' ? localTime(entry.time) : '';
  const side = typeof entry.side === 'string' ? ` [${entry.side}]` : '';
  const msg = typeof entry.msg === 'string' ? oneLine(entry.msg) : '';
  const fields: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(entry)) {
    if (SHOWN_APART.has(key) || value === undefined) continue;
    if (isSerializedError(key, value)) {
      const code = value.code === undefined ? '' : ` (${showValue(value.code)})`;
      fields.push(`${key}=${JSON.stringify(`${value.type ?? 'Error'}: ${value.message}${code}`)}`);
      if ((entry.level as number) >= 50) stack ??= value.stack;
      continue;
    }
    fields.push(`${key}=${showValue(value)}`);
  }
  const head = [`${time} ${level.padEnd(5)}${side}`, msg, ...fields].filter(Boolean).join(' ');
  const tail =
    stack === undefined
      ? ''
      : stack
          .split('\n')
          .slice(1)
          .map((l) => `    ${l.trim()}\n`)
          .join('');
  return `${head}\n${tail}`;
}

/** Newlines in a message would split one event over several lines. */
const oneLine = (text: string) => text.replace(/\r?\n/g, ' ');

/** A pino destination that writes each JSON line as a text line to `out`. */
export function textStream(out: { write(text: string): unknown }): { write(line: string): void } {
  return {
    write(line: string) {
      out.write(formatTextLine(line));
    },
  };
}
