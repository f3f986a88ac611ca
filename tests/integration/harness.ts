import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Milestone } from '../../src/logging/milestones.js';
import { startEnv, startNodeFlags } from '../helpers/node-flags.js';

const ENTRY = resolve(process.cwd(), 'dist/index.js');
const NODE_FLAGS = startNodeFlags();
/** `npm start`'s environment (glibc's malloc settings): the bot as users run it. */
const START_ENV = startEnv();

export interface StartOptions {
  /** Another built entry point, e.g. 'dist/doctor.js' or 'dist/addon.js'. */
  entry?: string;
  args?: string[];
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** Bots still running in this jest worker: killed when it exits, so none outlives a test run. */
const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const child of running) child.kill('SIGKILL');
};
process.once('exit', killRunning);
// Jest ends a worker that does not exit by itself (a test that timed out) with SIGTERM, which
// skips 'exit' handlers: the bots it started would live on, retrying their vanished fakes.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killRunning();
    process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
  });
}

/**
 * The real bot, started the way `npm start` starts it (node <flags> dist/index.js), in its own
 * process, with an environment pointing at the fakes. Its JSON log lines are parsed so
 * tests can wait for what it says.
 */
export class BotProcess {
  readonly logs: LogLine[] = [];
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /** The bot's process id, e.g. to read its memory from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }
  private waiters: (() => void)[] = [];

  private constructor(env: Record<string, string>, opts: StartOptions) {
    // A temporary working directory: the developer's own .env must not leak into tests.
    const cwd = mkdtempSync(join(tmpdir(), 'hdb-bot-'));
    const entry = opts.entry ? resolve(process.cwd(), opts.entry) : ENTRY;
    this.child = spawn(process.execPath, [...NODE_FLAGS, entry, ...(opts.args ?? [])], {
      cwd,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: join(cwd, 'data'), ...START_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // One partial line per stream: a stderr chunk arriving in the middle of a stdout line
    // must not spoil that line's JSON.
    const lineReader = () => {
      let pending = '';
      return (chunk: Buffer) => {
        const text = chunk.toString();
        this.output += text;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          try {
            this.logs.push(JSON.parse(line) as LogLine);
          } catch {
            // not JSON (stderr text): kept in output
          }
        }
        for (const w of this.waiters) w();
      };
    };
    this.child.stdout!.on('data', lineReader());
    this.child.stderr!.on('data', lineReader());
    running.add(this.child);
    this.exited = new Promise((res) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        res({ code, signal });
      }),
    );
    void this.exited.then(() => this.waiters.forEach((w) => w()));
  }

  static start(env: Record<string, string>, opts: StartOptions = {}): BotProcess {
    return new BotProcess(env, opts);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first log line (past or future) matching `predicate`. */
  waitForLog(
    predicate: (line: LogLine) => boolean,
    // Generous: on a shared 2-core machine a bot can take many seconds to start. A wait
    // that succeeds costs no more for it; only a failing one waits longer.
    timeoutMs = 30_000,
    from = 0,
  ): Promise<LogLine> {
    return new Promise((res, rej) => {
      const check = (): boolean => {
        const found = this.logs.slice(from).find(predicate);
        if (found) {
          cleanup();
          res(found);
          return true;
        }
        if (!this.running) {
          cleanup();
          rej(
            new Error(
              `bot exited before the expected log line. Output:\n${this.output.slice(-4000)}`,
            ),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        rej(new Error(`timed out waiting for a log line. Output:\n${this.output.slice(-4000)}`));
      }, timeoutMs);
      const waiter = () => void check();
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      if (!check()) this.waiters.push(waiter);
    });
  }

  /**
   * Resolves with the first line (past or future, from log line `from` on) that marks
   * `milestone` (src/logging/milestones.ts): the stable field, not the line's words. Wait for
   * a milestone rather than a message whenever there is one.
   */
  waitForMilestone(milestone: Milestone, timeoutMs?: number, from?: number): Promise<LogLine> {
    return this.waitForLog((l) => l.milestone === milestone, timeoutMs, from);
  }

  /** Where the log is now: pass it as `from` to wait for something said after this point. */
  mark(): number {
    return this.logs.length;
  }

  /** For the log's words themselves (what a person reads); readiness is `waitForMilestone`. */
  waitForMessage(msg: string | RegExp, timeoutMs?: number, from?: number): Promise<LogLine> {
    return this.waitForLog(
      (l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg)),
      timeoutMs,
      from,
    );
  }

  /** Sends a signal without waiting for an exit, e.g. SIGHUP to reload the config. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
    if (this.running) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}
