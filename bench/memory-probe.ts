/**
 * Preloaded into a process under test (NODE_OPTIONS="--expose-gc --import <compiled probe>"):
 * says its pid, and on SIGUSR2 writes one JSON line with its memory: RSS as it is, the heap
 * after a full garbage collection (what is really retained), the RSS after that collection,
 * the peak RSS so far, how much memory V8's young generation holds (what a burst of changes
 * makes it grow to), and where the RSS is: V8's heap spaces as committed, buffers outside the
 * heap, and the kernel's split of the RSS (anonymous memory: V8 and malloc; file: code).
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

// For a closer look (bench/profile-memory.ts): V8's line per collection, as `--trace-gc`
// (not allowed in NODE_OPTIONS) would print it.
if (process.env.PROBE_TRACE_GC) setFlagsFromString('--trace-gc');
// For a closer look: V8's spaces in use every PROBE_SAMPLE_MS, as JSON lines.
const sampleMs = Number(process.env.PROBE_SAMPLE_MS ?? 0);
if (sampleMs > 0) {
  const started = Date.now();
  setInterval(() => {
    const s = spaces();
    const line = {
      level: 30,
      msg: 'bench sample',
      ms: Date.now() - started,
      rss: process.memoryUsage().rss,
      old: s.old_space?.used,
      large: s.large_object_space?.used,
      external: process.memoryUsage().external,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }, sampleMs).unref();
}

// For a closer look (bench/profile-autocomplete.ts): every collection as a JSON line, its start
// and end in wall-clock ms (comparable with another process's), and its kind.
if (process.env.PROBE_GC_EVENTS) {
  const kinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = ((e as { detail?: unknown }).detail as { kind?: number } | null)?.kind ?? 0;
      const at = performance.timeOrigin + e.startTime;
      const line = { level: 30, msg: 'bench gc', at, ms: e.duration, kind: kinds[kind] ?? kind };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}

/** Fields of a /proc/self file in kB, as bytes (Linux); {} elsewhere. */
function procFields(file: string, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    const text = readFileSync(`/proc/self/${file}`, 'utf8');
    for (const name of names) {
      const kb = new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text)?.[1];
      if (kb !== undefined) out[name] = Number(kb) * 1024;
    }
  } catch {
    // not Linux
  }
  return out;
}

/** VmHWM from /proc (Linux); the current RSS elsewhere. */
function peakRss(): number {
  return procFields('status', ['VmHWM']).VmHWM ?? process.memoryUsage().rss;
}

/** V8's heap spaces: committed (physical) and used bytes, by space. */
function spaces(): Record<string, { committed: number; used: number }> {
  const out: Record<string, { committed: number; used: number }> = {};
  for (const s of getHeapSpaceStatistics())
    out[s.space_name] = { committed: s.physical_space_size, used: s.space_used_size };
  return out;
}

process.on('SIGUSR2', () => {
  const rss = process.memoryUsage().rss;
  const before = spaces();
  const newSpace = before.new_space;
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
    arrayBuffers: after.arrayBuffers,
    rssAfterGc: after.rss,
    peakRss: peakRss(),
    newSpace: newSpace?.committed ?? 0,
    spacesBeforeGc: before,
    smaps: procFields('smaps_rollup', ['Rss', 'Anonymous', 'Shared_Clean', 'Private_Clean']),
    gc: gc !== undefined,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'bench probe', pid: process.pid })}\n`);
