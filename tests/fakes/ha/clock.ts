import { randomBytes } from 'node:crypto';

let lastMicros = 0;

/**
 * Epoch microseconds, strictly increasing: two changes in the same millisecond still get
 * different `last_updated` values, so diffs always carry `lu`/`lc` as they would in HA.
 */
export function nowMicros(): number {
  const t = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = t > lastMicros ? t : lastMicros + 1;
  return lastMicros;
}

/** The float seconds HA puts in compressed states (`datetime.timestamp()`). */
export const toSeconds = (micros: number): number => micros / 1e6;

/** Python's `datetime.isoformat()` of a UTC datetime: microseconds, omitted when zero. */
export function isoFromMicros(micros: number): string {
  const date = new Date(Math.floor(micros / 1000));
  const base = date.toISOString().slice(0, 19);
  const fraction = micros % 1_000_000;
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, '0')}+00:00`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Random bytes drawn 4 KB at a time: one randomBytes() call per id cost about 6 µs, over a
 * second for the ids of a 100,000-entity home (HA makes its ids once, as entities appear,
 * not while a client waits). The same randomness, 16 bytes per id.
 */
let pool = Buffer.alloc(0);
let pooled = 0;
function random16(): Buffer {
  if (pooled + 16 > pool.length) {
    pool = randomBytes(4096);
    pooled = 0;
  }
  pooled += 16;
  return pool.subarray(pooled - 16, pooled);
}

/** A ULID, as HA uses for context ids (48-bit ms time, 80 random bits). */
export function ulid(): string {
  let time = Date.now();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32]! + timePart;
    time = Math.floor(time / 32);
  }
  const random = random16();
  let randomPart = '';
  for (let i = 0; i < 16; i++) randomPart += CROCKFORD[random[i]! % 32]!;
  return timePart + randomPart;
}

/** 32 hex characters, as HA's user and registry ids. */
export const randomHex = (): string => random16().toString('hex');
