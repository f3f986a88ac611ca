import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { summarize } from './fixtures.js';

/** A garbage collection: its start and end in wall-clock ms (comparable across processes). */
export interface Gc {
  from: number;
  to: number;
  major: boolean;
}

/** This process's collections from now on (the fakes live here), until stop(). */
export function ownCollections(): { gcs: Gc[]; stop(): void } {
  const gcs: Gc[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const from = performance.timeOrigin + e.startTime;
      const kind = ((e as { detail?: unknown }).detail as { kind?: number } | null)?.kind;
      gcs.push({ from, to: from + e.duration, major: kind === 2 || kind === 4 });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { gcs, stop: () => observer.disconnect() };
}

/**
 * Collects this process's young generation now (gc() made available at run time: the bench
 * runs without --expose-gc).
 */
export const minorGc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
  return () => gc({ type: 'minor' });
})();

/**
 * Of the samples (wall-clock windows), how many a collection of the bot, or of this process,
 * overlapped; and the p50 / p99 of the others: the tail the collections make, told apart.
 */
export function gcShare(windows: readonly { from: number; to: number }[], bot: Gc[], own: Gc[]) {
  const hit = (gcs: Gc[], w: { from: number; to: number }) =>
    gcs.some((g) => g.from < w.to && g.to > w.from);
  const clear = windows.filter((w) => !hit(bot, w) && !hit(own, w)).map((w) => w.to - w.from);
  return {
    botGc: windows.filter((w) => hit(bot, w)).length,
    botMajor: windows.filter((w) =>
      hit(
        bot.filter((g) => g.major),
        w,
      ),
    ).length,
    benchGc: windows.filter((w) => hit(own, w)).length,
    benchMajor: windows.filter((w) =>
      hit(
        own.filter((g) => g.major),
        w,
      ),
    ).length,
    clear: summarize(clear),
  };
}
