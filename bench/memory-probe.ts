/**
 * Preloaded into a process under test (NODE_OPTIONS="--expose-gc --import <compiled probe>"):
 * says its pid, and on SIGUSR2 writes one JSON line with its memory: RSS as it is, the heap
 * after a full garbage collection (what is really retained), the peak RSS so far, and how
 * much memory V8's young generation holds (what a burst of changes makes it grow to).
 */
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

/** VmHWM from /proc (Linux); the current RSS elsewhere. */
function peakRss(): number {
  try {
    const kb = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}

process.on('SIGUSR2', () => {
  const rss = process.memoryUsage().rss;
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const after = process.memoryUsage();
  const line = {
    level: 30,
    msg: 'bench memory',
    rss,
    heapUsed: after.heapUsed,
    heapTotal: after.heapTotal,
    external: after.external,
    peakRss: peakRss(),
    newSpace: newSpace?.physical_space_size ?? 0,
    gc: gc !== undefined,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'bench probe', pid: process.pid })}\n`);
