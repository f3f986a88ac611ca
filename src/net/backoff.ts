/**
 * Exponential backoff with jitter: 1 s, 2 s, 4 s … up to `maxMs`, each delay drawn between
 * half and all of that step, so many bots restarted together do not retry in lockstep.
 */
export function backoffWithJitter(
  attempt: number,
  opts: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const base = opts.baseMs ?? 1000;
  const step = Math.min(opts.maxMs ?? 30_000, base * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (opts.random ?? Math.random)() * (step / 2));
}
