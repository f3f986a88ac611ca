import { readFileSync } from 'node:fs';
import { summarize } from './fixtures.js';

/** A sample that waited this long or longer for a core is told apart. */
export const WAITED_MS = 0.5;

/**
 * How long a thread has waited, runnable, for a core since it started (Linux's schedstat:
 * time run, time waited on a run queue, slices; in ns), in ms; undefined where it cannot be read.
 */
function waitedMs(path: string): number | undefined {
  try {
    const waited = Number(readFileSync(path, 'utf8').split(' ')[1]);
    return Number.isFinite(waited) ? waited / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The run-queue wait of the bot's main thread and of this process's (the fakes'), summed:
 * read before and after a sample, outside its timed window. On a shared two-core machine a
 * sample's tail is often the time one of them was ready to run and had no core.
 */
export function runQueueClock(botPid: number): () => number | undefined {
  const bot = `/proc/${botPid}/task/${botPid}/schedstat`;
  return () => {
    const a = waitedMs(bot);
    const b = waitedMs('/proc/thread-self/schedstat');
    return a === undefined || b === undefined ? undefined : a + b;
  };
}

/**
 * Of the samples (time, and what the main threads waited for a core during it), how many
 * waited WAITED_MS or longer, and the p50 / p99 of the others. NaN waits (not readable):
 * none told apart.
 */
export function runQueueShare(samples: readonly { ms: number; waitedMs: number }[]) {
  const waited = samples.filter((s) => s.waitedMs >= WAITED_MS);
  return {
    waited: waited.length,
    clear: summarize(samples.filter((s) => !(s.waitedMs >= WAITED_MS)).map((s) => s.ms)),
  };
}
