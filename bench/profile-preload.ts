/**
 * Preloaded into the bot by bench/profile-scale.ts (PROFILE=cpu or heap): `--cpu-prof` is not
 * allowed in NODE_OPTIONS, so the inspector's profiler is started here, at load. SIGWINCH
 * writes the CPU profile so far to PROFILE_DIR and starts a new one; SIGTTIN writes a heap
 * snapshot there. Each says so on stdout, as a JSON log line.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const dir = process.env.PROFILE_DIR ?? '.';
const say = (msg: string, more: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ level: 30, msg, ...more })}\n`);
const session = new Session();
session.connect();
if (process.env.PROFILE === 'alloc') {
  // What is allocated, by function, garbage included (what makes the young generation fill
  // and be collected): SIGWINCH writes it from the last SIGWINCH on.
  const start = () =>
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  session.post('HeapProfiler.enable');
  start();
  process.on('SIGWINCH', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      const file = join(dir, `bot-${process.pid}-${Date.now()}.heapprofile`);
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
      say('profile written', { file, error: error?.message });
      start();
    });
  });
} else {
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
}
process.on('SIGWINCH', () => {
  if (process.env.PROFILE === 'alloc') return;
  session.post('Profiler.stop', (error, result) => {
    const file = join(dir, `bot-${process.pid}-${Date.now()}.cpuprofile`);
    if (!error) writeFileSync(file, JSON.stringify(result.profile));
    say('profile written', { file });
    session.post('Profiler.start');
  });
});
process.on('SIGTTIN', () => {
  say('snapshot written', {
    file: writeHeapSnapshot(join(dir, `bot-${process.pid}.heapsnapshot`)),
  });
});
