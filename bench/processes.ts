import type { FakeDiscord } from '../tests/fakes/discord/fake-discord.js';
import type { FakeHomeAssistant } from '../tests/fakes/ha/fake-ha.js';
import { BotProcess } from '../tests/integration/harness.js';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { botEnv, configFile } from '../tests/integration/world.js';
import { alertRuleInputs } from './home.js';
import { compiledScript } from './node-scripts.js';

/** A process under test: the bot, or the echo bot, both run by the integration harness. */
export type Proc = BotProcess;

// Processes under test never outlive the benchmark, even when it fails or is interrupted:
// a bot left behind would retry its connections forever.
const running = new Set<Proc>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

/**
 * The bot's settings for the bench's `count` alert rules alone (`alertRuleInputs`, the ingest
 * bench's): a CONFIG_FILE with them (YAML reads JSON) and no ALERT_ENTITIES rule; `remove`
 * deletes the file's directory once the bot is done with it.
 */
export function benchRulesEnv(count: number): { env: Record<string, string>; remove: () => void } {
  const path = configFile(JSON.stringify({ alerts: { rules: alertRuleInputs(count) } }));
  return {
    env: { ALERT_ENTITIES: '', CONFIG_FILE: path },
    remove: () => rmSync(dirname(path), { recursive: true, force: true }),
  };
}

function track(proc: Proc): Proc {
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  return proc;
}

/** NODE_OPTIONS that load the memory probe (see memory-probe.ts). */
export function probeOptions(): Record<string, string> {
  return { NODE_OPTIONS: `--expose-gc --import=${compiledScript('bench/memory-probe.ts')}` };
}

/**
 * The real bot against a bench home's fakes, for the profiling scripts: the memory probe
 * loaded, and PROFILE_FLAGS (more Node flags) and `preloads` added to its Node options.
 */
export function startProbedBot(
  fakes: { ha: FakeHomeAssistant; discord: FakeDiscord },
  env: Record<string, string> = {},
  preloads: string[] = [],
): Proc {
  return startBot({
    ...botEnv(fakes.ha, fakes.discord, { LOG_LEVEL: 'info', HA_PING_INTERVAL_MS: '30000' }),
    NODE_OPTIONS: [
      probeOptions().NODE_OPTIONS,
      ...preloads.map((script) => `--import=${compiledScript(script)}`),
      process.env.PROFILE_FLAGS ?? '',
    ].join(' '),
    ...env,
  });
}

/** The real bot, as the integration tests start it: `npm start`'s `node <flags> dist/index.js`. */
export function startBot(env: Record<string, string>): Proc {
  return track(BotProcess.start(env));
}

/**
 * The discord.js echo bot (bench/echo-bot.ts), compiled and started the same way, with the
 * bot's own Node flags (`npm start`'s), so that a baseline differs from the bot in its code only.
 */
export function startEcho(env: Record<string, string>): Proc {
  return track(BotProcess.start(env, { entry: compiledScript('bench/echo-bot.ts') }));
}

export interface Memory {
  rssMb: number;
  heapMb: number;
  /** The process's highest RSS so far (VmHWM). */
  peakRssMb: number;
  /** V8's young generation (new space), as committed before the GC. */
  newSpaceMb: number;
}

/** Asks a process started with probeOptions() for its memory (heap after a full GC). */
export async function memoryOf(proc: Proc): Promise<Memory> {
  const { pid } = await proc.waitForMessage('bench probe', 15_000);
  const from = proc.logs.length;
  process.kill(pid as number, 'SIGUSR2');
  const line = await proc.waitForMessage('bench memory', 15_000, from);
  if (line.gc !== true) throw new Error('memory probe: no gc() (NODE_OPTIONS --expose-gc)');
  return {
    rssMb: (line.rss as number) / 2 ** 20,
    heapMb: (line.heapUsed as number) / 2 ** 20,
    peakRssMb: (line.peakRss as number) / 2 ** 20,
    newSpaceMb: (line.newSpace as number) / 2 ** 20,
  };
}
