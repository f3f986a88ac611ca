import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A time zone's UTC offsets from the system's tz database (a TZif file, RFC 8536, e.g.
 * /usr/share/zoneinfo/Europe/Amsterdam: about 3 KB), read once per zone. The chart's axis
 * asks this first and ICU (Intl.DateTimeFormat) only where the file has no answer: ICU's
 * date formatting costs the running bot about 7 MB of RSS the first time it is used (its
 * code and data pages, measured in Node 20 and 24), the file a few KB.
 */
export interface ZoneTable {
  /** Transition times (ms since the epoch), ascending. */
  readonly at: Float64Array;
  /** The offset (ms) from each transition on. */
  readonly offset: Float64Array;
  /** The offset before the first transition. */
  readonly initial: number;
  /** Whether the last transition's offset holds for ever (the zone has no DST rule). */
  readonly fixedAfter: boolean;
}

/** An IANA zone name as a relative path: letters, digits, `_+-`, `/` between parts. */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+){0,3}$/;

/** Reads a TZif file (version 2 or later: its 64-bit part); undefined when it is not one. */
export function parseTzif(bytes: Buffer): ZoneTable | undefined {
  const header = (at: number) => {
    if (bytes.length < at + 44 || bytes.toString('latin1', at, at + 4) !== 'TZif') return;
    const count = (i: number) => bytes.readUInt32BE(at + 20 + 4 * i);
    return {
      version: bytes[at + 4]!,
      isUt: count(0),
      isStd: count(1),
      leap: count(2),
      time: count(3),
      type: count(4),
      chars: count(5),
    };
  };
  const v1 = header(0);
  if (v1 === undefined || v1.version < 0x32 /* '2' */) return;
  const v1Size = v1.time * 5 + v1.type * 6 + v1.chars + v1.leap * 8 + v1.isStd + v1.isUt;
  const h = header(44 + v1Size);
  if (h === undefined || h.type === 0) return;
  const times = 44 + v1Size + 44;
  const dataSize = h.time * 9 + h.type * 6 + h.chars + h.leap * 12 + h.isStd + h.isUt;
  if (bytes.length < times + dataSize) return;
  const indices = times + h.time * 8;
  const types = indices + h.time;
  const utOffset = (type: number) => bytes.readInt32BE(types + 6 * type) * 1000;
  const at = new Float64Array(h.time);
  const offset = new Float64Array(h.time);
  for (let i = 0; i < h.time; i++) {
    const type = bytes[indices + i]!;
    if (type >= h.type) return;
    at[i] = Number(bytes.readBigInt64BE(times + 8 * i)) * 1000;
    offset[i] = utOffset(type);
  }
  // The footer: a POSIX TZ string for times after the last transition; a DST rule has a comma.
  const footerAt = times + dataSize;
  const footer = bytes.toString('latin1', footerAt, Math.min(bytes.length, footerAt + 128));
  return { at, offset, initial: utOffset(0), fixedAfter: !footer.includes(',') };
}

/**
 * The zone's offset (ms, positive east of Greenwich) at `t`; undefined past the file's last
 * transition when the zone keeps changing (a DST rule the table does not list).
 */
export function tableOffset(table: ZoneTable, t: number): number | undefined {
  const { at, offset } = table;
  if (at.length === 0 || t < at[0]!) return table.initial;
  if (t >= at[at.length - 1]! && !table.fixedAfter) return undefined;
  let lo = 0;
  let hi = at.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return offset[lo];
}

/**
 * The zones' tables, read from `dir` (TZDIR, else /usr/share/zoneinfo) once each; a zone with
 * no readable file there is remembered as none. Bounded: zones are few (HA has one).
 */
export function zoneTables(dir = process.env.TZDIR ?? '/usr/share/zoneinfo') {
  const tables = new Map<string, ZoneTable | undefined>();
  return (zone: string): ZoneTable | undefined => {
    if (tables.has(zone)) return tables.get(zone);
    let table: ZoneTable | undefined;
    if (ZONE_NAME.test(zone)) {
      try {
        table = parseTzif(readFileSync(join(dir, zone)));
      } catch {
        table = undefined; // no such file (or no tz database at all, e.g. on Windows)
      }
    }
    if (tables.size >= 64) tables.clear();
    tables.set(zone, table);
    return table;
  };
}
