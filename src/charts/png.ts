import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A chart's raw RGBA pixels (for tests that check what was drawn where). */
export interface Pixels {
  width: number;
  height: number;
  pixels: Buffer;
}

/**
 * SVG to PNG on a thread of its own. One renderer per bot: every chart is drawn on its one
 * worker thread, one at a time, so the event loop keeps serving while a chart is drawn and
 * resvg's memory stays one chart's worth (see the worker's comment below).
 */
export interface ChartRenderer {
  png(svg: string): Promise<Buffer>;
  pixels(svg: string): Promise<Pixels>;
  /** Stops the thread (a later chart starts a new one). */
  close(): Promise<void>;
}

/** With no chart for this long, the thread stops and gives its memory back. */
const IDLE_MS = 5 * 60_000;

/**
 * The worker, CommonJS run with `eval` (so it is the same code in the esbuild bundle, tsx and
 * jest, none of which it needs). resvg-js 2.6 frees a render's memory (its parsed fonts,
 * tree and pixels: a few MB, outside V8's heap, so V8 does not hurry) only when V8 collects
 * its objects and their finalizers run on a later turn of the loop. So after each chart the
 * worker collects its own small heap (a few ms on its thread, never the bot's big one) and
 * answers only after that turn: the next chart starts with the last one's memory freed.
 * Measured (bench/charts.bench.ts, peak RSS over 100 charts): renders on libuv's pool added
 * 53-86 MB (each pool thread kept its own heap in resvg's allocator, mimalloc, and the
 * pixels waited for the bot's own GC); this thread and its renders about 24 of the 30 now.
 *
 * With `nudge` (RESVG_ALLOCATOR_ENV's delay in force), that later turn is PURGE_WAIT_MS
 * after the chart, past the delay, and the worker first draws an empty 1 x 1 image with no
 * fonts: an allocation of this thread, on which resvg's allocator gives the chart's freed
 * pages back. A chart that arrives before then has the last one answered at once (its own
 * allocations give the pages back as well).
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const v8 = require('node:v8');
const vm = require('node:vm');
const { Resvg } = require(workerData.resvg);
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc');
v8.setFlagsFromString('--no-expose-gc');
const EMPTY = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
const NO_FONTS = { font: { loadSystemFonts: false } };
function draw(svg, raw) {
  const image = new Resvg(svg, workerData.options).render();
  if (raw) return { width: image.width, height: image.height, data: new Uint8Array(image.pixels) };
  return { data: new Uint8Array(image.asPng()) };
}
function answer(reply) {
  parentPort.postMessage(reply, reply.data ? [reply.data.buffer] : []);
}
function nudge() {
  try {
    new Resvg(EMPTY, NO_FONTS).render();
  } catch {
    // Only a nudge to the allocator: the chart is drawn.
  }
}
/** A chart drawn, answered after the nudge: { reply, timer }. */
let owed;
parentPort.on('message', ({ id, svg, raw }) => {
  if (owed !== undefined) {
    clearTimeout(owed.timer);
    answer(owed.reply);
    owed = undefined;
  }
  let reply;
  try {
    reply = { id, ...draw(svg, raw) };
  } catch (error) {
    reply = { id, error: String((error && error.message) || error) };
  }
  collect();
  if (!workerData.nudge) {
    setImmediate(() => answer(reply));
    return;
  }
  const timer = setTimeout(() => {
    owed = undefined;
    nudge();
    answer(reply);
  }, workerData.purgeWaitMs);
  owed = { reply, timer };
});
`;

/** After a chart, how long the chart thread waits before the nudge (ms; past the delay). */
const PURGE_WAIT_MS = 3;

/**
 * resvg's allocator (mimalloc, linked into its addon: one heap per thread) keeps the pages a
 * render freed for 10 ms by default, and gives them back only on a later allocation of the
 * same thread: the chart thread makes none until the next chart, so a render's memory stayed
 * in the bot between charts (resvg's heap kept 9.6 MB after the first chart, smaps of the
 * running bot). A delay of 0, which gave each page back as it was freed (1.8 MB kept), made a
 * render more than twice as long, every freed page given back and touched again within it,
 * and the 30-day chart's p99 crossed its 150 ms target. So the delay is 1 ms: a render reuses
 * its own freed pages, and the worker's nudge gives them back after the chart. In the bench
 * (2 runs each): CPU per render p50 52-58 ms against 109-134 with the delay 0, p99 77-91
 * against 138-183; the running bot keeps 2-3 MB more while and after charts are drawn (extra
 * RSS 24.3-26.4 MB against 22.1-23.1; CONTRIBUTING.md, Charts). mimalloc reads its options
 * from the process's environment when the addon is loaded (on the chart thread, after this
 * is set); a value the user set wins, and the worker then does not nudge.
 */
export const RESVG_ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MIMALLOC_PURGE_DELAY: '1',
};

/** Sets RESVG_ALLOCATOR_ENV in `env` where it has no value of its own. */
export function tuneResvgAllocator(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(RESVG_ALLOCATOR_ENV)) env[name] ??= value;
}

interface Reply {
  id: number;
  data?: Uint8Array;
  width?: number;
  height?: number;
  error?: string;
}

/**
 * Where resvg-js and the fonts shipped with the package (dejavu-fonts-ttf) are, and whether
 * the worker nudges the allocator (see WORKER_SOURCE).
 */
function workerData() {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return {
    resvg: require.resolve('@resvg/resvg-js'),
    purgeWaitMs: PURGE_WAIT_MS,
    // Past the delay only if it is this bot's (set by tuneResvgAllocator just before).
    nudge: process.env.MIMALLOC_PURGE_DELAY === RESVG_ALLOCATOR_ENV.MIMALLOC_PURGE_DELAY,
    options: {
      font: {
        fontFiles: [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')],
        loadSystemFonts: false,
        defaultFontFamily: 'DejaVu Sans',
      },
      fitTo: { mode: 'original' },
    },
  };
}

interface Waiter {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/** A started worker and the charts it owes. */
interface Thread {
  worker: Worker;
  waiting: Map<number, Waiter>;
}

export function createChartRenderer(idleMs = IDLE_MS): ChartRenderer {
  let thread: Thread | undefined;
  let idle: NodeJS.Timeout | undefined;
  let next = 0;

  function start(): Thread {
    tuneResvgAllocator();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: workerData(),
      // Not the bot's own flags (e.g. tsx's loader in the bench): the same thread everywhere.
      execArgv: [],
    });
    const started: Thread = { worker, waiting: new Map() };
    const failAll = (error: Error) => {
      if (thread === started) thread = undefined;
      for (const { reject } of started.waiting.values()) reject(error);
      started.waiting.clear();
    };
    worker.on('message', (reply: Reply) => {
      const waiter = started.waiting.get(reply.id);
      started.waiting.delete(reply.id);
      if (started.waiting.size === 0) rest(started);
      if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) =>
      failAll(new Error(`the chart renderer stopped (exit code ${code})`)),
    );
    return started;
  }

  /** Nothing to draw: the thread no longer keeps the bot alive, and stops when idle. */
  function rest(current: Thread) {
    current.worker.unref();
    clearTimeout(idle);
    idle = setTimeout(() => {
      if (thread !== current || current.waiting.size > 0) return;
      thread = undefined;
      void current.worker.terminate();
    }, idleMs);
    idle.unref();
  }

  function draw(svg: string, raw: boolean): Promise<Reply> {
    clearTimeout(idle);
    const current = (thread ??= start());
    current.worker.ref();
    const id = ++next;
    return new Promise((resolve, reject) => {
      current.waiting.set(id, { resolve, reject });
      current.worker.postMessage({ id, svg, raw });
    });
  }

  const buffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return {
    async png(svg) {
      return buffer((await draw(svg, false)).data!);
    },
    async pixels(svg) {
      const { data, width, height } = await draw(svg, true);
      return { width: width!, height: height!, pixels: buffer(data!) };
    },
    async close() {
      clearTimeout(idle);
      const current = thread;
      thread = undefined;
      if (current) await current.worker.terminate();
    },
  };
}
