import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNodeFlags } from '../tests/helpers/node-flags.js';
import { BotProcess, type LogLine } from '../tests/integration/harness.js';
import { compiledScript } from './node-scripts.js';

/** What the benchmarks need of a process under test: its log lines and a way to stop it. */
export interface Proc {
  readonly logs: LogLine[];
  waitForMessage(msg: string, timeoutMs?: number, from?: number): Promise<LogLine>;
  stop(): Promise<unknown>;
}

// Processes under test never outlive the benchmark, even when it fails or is interrupted:
// a bot left behind would retry its connections forever.
type Kill = (signal: NodeJS.Signals) => void;
const running = new Set<Kill>();
process.on('exit', () => {
  for (const kill of running) kill('SIGKILL');
});

function track(kill: Kill, exited: Promise<unknown>): void {
  running.add(kill);
  void exited.then(() => running.delete(kill));
}

/** NODE_OPTIONS that load the memory probe (see memory-probe.ts). */
export function probeOptions(): Record<string, string> {
  return { NODE_OPTIONS: `--expose-gc --import=${compiledScript('bench/memory-probe.ts')}` };
}

/** The real bot, as the integration tests start it: `node dist/index.js` in a temp dir. */
export function startBot(env: Record<string, string>): Proc {
  const bot = BotProcess.start(env);
  track((signal) => bot.kill(signal), bot.exited);
  return bot;
}

/**
 * The discord.js echo bot (bench/echo-bot.ts), compiled and run with `node` and the bot's own
 * flags (`npm start`'s), so that a baseline differs from the bot in its code only.
 */
export function startEcho(env: Record<string, string>): Proc {
  return new ScriptProcess(compiledScript('bench/echo-bot.ts'), env);
}

class ScriptProcess implements Proc {
  readonly logs: LogLine[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private waiters = new Set<() => void>();

  constructor(script: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [...startNodeFlags(), resolve(script)], {
      cwd: mkdtempSync(join(tmpdir(), 'hdb-echo-')),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line
        }
      }
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((r) => this.child.once('exit', r));
    track((signal) => this.child.kill(signal), this.exited);
    void this.exited.then(() => this.waiters.forEach((wake) => wake()));
  }

  waitForMessage(msg: string, timeoutMs = 15_000, from = 0): Promise<LogLine> {
    return new Promise((res, rej) => {
      const timer = setTimeout(() => done(new Error(`timed out waiting for '${msg}'`)), timeoutMs);
      const check = () => {
        const line = this.logs.slice(from).find((l) => l.msg === msg);
        if (line) done(undefined, line);
        else if (this.child.exitCode !== null || this.child.signalCode !== null)
          done(new Error(`process exited before '${msg}'`));
      };
      const done = (error?: Error, line?: LogLine) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) rej(error);
        else res(line!);
      };
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<unknown> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
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
