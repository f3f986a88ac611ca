/** The sensor the charts' benchmarks chart (no imports: the fresh-process bench loads it too). */
const HOUR = 3_600_000;

/**
 * A sensor every 30 s over the `periodMs` before `now` (epoch ms): a seeded random walk, and
 * unavailable for the hour ending 9 h ago. The charts' benchmarks all chart this sensor.
 */
export function sensorWalk(now: number, periodMs: number): { state: string; at: number }[] {
  const rows: { state: string; at: number }[] = [];
  let v = 20;
  let seed = 1;
  for (let t = now - periodMs; t < now; t += 30_000) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    v += ((seed % 1000) - 500) / 5000;
    const down = t > now - 10 * HOUR && t < now - 9 * HOUR;
    rows.push({ state: down ? 'unavailable' : v.toFixed(2), at: t });
  }
  return rows;
}
