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
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 200 });
session.post('Profiler.start');
process.on('SIGWINCH', () => {
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
