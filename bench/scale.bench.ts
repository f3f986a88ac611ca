import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FakeDiscord } from '../tests/fakes/discord/fake-discord.js';
import { botEnv, sendHa, suggestHa } from '../tests/integration/world.js';
import { summarize } from './fixtures.js';
import { homeFakes } from './home-fakes.js';
import { keystrokes } from './home.js';
import { memoryOf, probeOptions, startBot, type Proc } from './processes.js';
import { ms, num, p50p99, type Row, type Scaling } from './report.js';

/** Any `/ha` command, a miss included, at 100,000 entities. */
const COMMAND_TARGET_MS = 100;
const AUTOCOMPLETE_TARGETS: Record<number, number> = { 50_000: 5, 100_000: 10 };
const STARTUP_TARGET_MS = 3000;
const HEAP_TARGET_KB = 0.8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A process's RSS as the kernel has it now (Linux), in MB, read from outside: no GC forced in
 * it, unlike the memory probe's reading; undefined elsewhere.
 */
function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** NaN: no answer in time (Discord's 3 s deadline passed, or nothing came within 10 s). */
async function timed(send: () => Promise<{ waitForReply(ms: number): Promise<unknown> }>) {
  const started = performance.now();
  try {
    await (await send()).waitForReply(10_000);
  } catch {
    return NaN;
  }
  return performance.now() - started;
}

interface Summary {
  p50: number;
  p99: number;
  max: number;
  /** Interactions that got no answer in time. */
  failed: number;
}

const summarizeAnswered = (samples: number[]): Summary => ({
  ...summarize(samples.filter((t) => !Number.isNaN(t))),
  failed: samples.filter((t) => Number.isNaN(t)).length,
});

/** A garbage collection: its start and end in wall-clock ms (comparable across processes). */
interface Gc {
  from: number;
  to: number;
  major: boolean;
}

/** This process's collections from now on (the fakes live here), until stop(). */
function ownCollections(): { gcs: Gc[]; stop(): void } {
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
const minorGc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
  return () => gc({ type: 'minor' });
})();

/**
 * Of the samples (wall-clock windows), how many a collection of the bot, or of this process,
 * overlapped; and the p50 / p99 of the others: the tail the collections make, told apart.
 */
function gcShare(windows: readonly { from: number; to: number }[], bot: Gc[], own: Gc[]) {
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

async function autocomplete(
  discord: FakeDiscord,
  text: string,
  /** Given the choices' values. */
  answered?: (values: string[]) => void,
): Promise<number> {
  const started = performance.now();
  const handle = await suggestHa(discord, 'state', 'entity', { entity: text });
  try {
    const choices = await handle.waitForAutocomplete(10_000);
    answered?.(choices.map((c) => String(c.value)));
  } catch {
    return NaN;
  }
  return performance.now() - started;
}

interface SizeResult {
  entities: number;
  startupMs: number;
  /** Right after the start-up and the interactions: V8 has not collected the start-up's garbage yet. */
  rssMb: number;
  /** After `settleS` idle seconds (V8's memory reducer collects and gives memory back); NaN when not waited for. */
  settledRssMb: number;
  heapMb: number;
  state: Record<'id' | 'name' | 'typo' | 'miss', Summary>;
  toggle: Summary;
  autocomplete: Summary;
  /** The autocomplete samples a garbage collection overlapped (see gcShare). */
  autocompleteGc: ReturnType<typeof gcShare>;
  /** The same keystrokes timed the old way: the harness's own collections may land in them. */
  autocompleteWithHarnessGc: Summary;
  autocompleteWithHarnessGcShare: ReturnType<typeof gcShare>;
  /** Autocomplete right after an entity is added, and how many answers had it (of how many). */
  afterAdd: Summary & { found: number; of: number };
  /** The bot's CPU time from its start to its catalog ready (no waiting on the fakes in it). */
  startupCpuMs: number;
}

/**
 * One home size, as a user feels it: the real bot process (`npm start`'s flags) against the
 * fake HA serving `entities` entities and the fake Discord; every figure is interaction in ->
 * response out over loopback, one at a time.
 */
async function measureSize(
  entities: number,
  samples: number,
  settleS: number,
): Promise<SizeResult> {
  const fakes = await homeFakes(entities);
  let bot: Proc | undefined;
  try {
    const started = Date.now();
    bot = startBot({
      ...botEnv(fakes.ha, fakes.discord, { LOG_LEVEL: 'info', HA_PING_INTERVAL_MS: '30000' }),
      ...probeOptions(),
      // Each collection as a log line, to tell the autocomplete samples they overlapped.
      PROBE_GC_EVENTS: '1',
    });
    const [ready, connected] = await Promise.all([
      bot.waitForMessage('bridge ready', 300_000),
      // After HA connected: the catalog built (a large home's search index follows in slices).
      bot.waitForMessage('entity catalog ready', 300_000),
    ]);
    const startupMs = Math.max(ready.time as number, connected.time as number) - started;
    await fakes.discord.waitForCommands(10_000);
    const { home, discord } = fakes;
    // Entities spread over the home: ids, their names, a typo of each, and misses.
    const picks = Array.from({ length: 16 }, (_, k) => home.entities[(k * 7919) % entities]!);
    const lights = home.entities.filter((e) => e.entity_id.startsWith('light.')).slice(0, 16);
    const nameOf = (e: (typeof picks)[number]) => e.attributes!.friendly_name as string;
    // Drop one letter of the second word: "Kitchen 1 Lamp 7" -> "Kitchen 1 Lmp 7".
    const typo = (name: string) => name.replace(/ ([A-Za-z])[a-z]([a-z]+)/, ' $1$2');
    const kinds = {
      id: (i: number) => picks[i % picks.length]!.entity_id,
      name: (i: number) => nameOf(picks[i % picks.length]!),
      typo: (i: number) => typo(nameOf(picks[i % picks.length]!)),
      miss: (i: number) => `zqx nothing called this ${i}`,
    };
    const warm = Math.min(20, samples);
    const state = {} as SizeResult['state'];
    for (const [kind, text] of Object.entries(kinds) as [
      keyof typeof kinds,
      (i: number) => string,
    ][]) {
      const times: number[] = [];
      for (let i = 0; i < samples + warm; i++) {
        const t = await timed(() => sendHa(discord, 'state', { entity: text(i) }));
        if (i >= warm) times.push(t);
      }
      state[kind] = summarizeAnswered(times);
    }
    const toggles: number[] = [];
    for (let i = 0; i < samples + warm; i++) {
      const target = lights[i % lights.length]!.entity_id;
      const t = await timed(() => sendHa(discord, 'toggle', { target }));
      if (i >= warm) toggles.push(t);
    }
    const typed = picks.flatMap((e) => keystrokes(nameOf(e)));
    const botGcs = (): Gc[] =>
      bot!.logs
        .filter((l) => l.msg === 'bench gc')
        .map((l) => ({
          from: l.at as number,
          to: (l.at as number) + (l.ms as number),
          major: l.kind === 'major' || l.kind === 'incremental',
        }));
    /**
     * The keystrokes, each timed from interaction out to response in. `quietHarness`: this
     * process's young generation is collected before each one, so that a collection of the
     * harness and the fakes (which a real Discord does not make on the bot's machine) does
     * not land inside a sample; the bot is left as it is.
     */
    const keystrokeRun = async (quietHarness: boolean) => {
      const times: number[] = [];
      const windows: { from: number; to: number }[] = [];
      const own = ownCollections();
      for (let i = 0; i < samples * 2 + warm; i++) {
        if (quietHarness) minorGc();
        const from = performance.timeOrigin + performance.now();
        const t = await autocomplete(discord, typed[i % typed.length]!);
        if (i >= warm) {
          times.push(t);
          windows.push({ from, to: from + t });
        }
      }
      own.stop();
      return { summary: summarizeAnswered(times), gc: gcShare(windows, botGcs(), own.gcs) };
    };
    // The old way first (as the figures before 2026-12 were taken), then the harness quiet.
    const withHarnessGc = await keystrokeRun(false);
    const quiet = await keystrokeRun(true);
    // Memory with the home loaded and used, before entities are added: each addition starts a
    // new search index built in slices (a second or more at 100,000 entities on a busy
    // machine), and a reading during one would count two indexes, depending on the timing.
    // RSS right after the start-up and the interactions, then after the bot sat idle as a bot
    // mostly does (no GC forced before either: the probe's reading comes last).
    const { pid } = await bot.waitForMessage('bench probe', 15_000);
    const rssAfterLoad = rssOf(pid as number);
    let settledRssMb = NaN;
    if (settleS > 0) {
      await sleep(settleS * 1000);
      settledRssMb = rssOf(pid as number) ?? NaN;
    }
    const memory = await memoryOf(bot);
    // An entity appears, then someone types: the first keystroke after pays for the catch-up.
    const afterAdd: number[] = [];
    let foundAtOnce = 0;
    for (let i = 0; i < Math.min(samples, 30); i++) {
      const id = `sensor.bench_added_${i}`;
      fakes.ha.setState(id, '1', { friendly_name: `Bench Added ${i}` });
      await sleep(20);
      afterAdd.push(
        await autocomplete(discord, `bench added ${i}`, (values) => {
          if (values.includes(id)) foundAtOnce++;
        }),
      );
    }
    return {
      entities,
      startupMs,
      rssMb: rssAfterLoad ?? memory.rssMb,
      settledRssMb,
      heapMb: memory.heapMb,
      state,
      toggle: summarizeAnswered(toggles),
      autocomplete: quiet.summary,
      autocompleteGc: quiet.gc,
      autocompleteWithHarnessGc: withHarnessGc.summary,
      autocompleteWithHarnessGcShare: withHarnessGc.gc,
      afterAdd: { ...summarizeAnswered(afterAdd), found: foundAtOnce, of: afterAdd.length },
      startupCpuMs: connected.cpuMs as number,
    };
  } finally {
    await bot?.stop();
    await fakes.stop();
  }
}

/**
 * The scaling table: start-up, memory, `/ha state` (exact id, name, typo, miss), `/ha toggle`
 * and autocomplete round trips for homes of each size; and rows for the targets at the
 * sizes they name. `settleS`: how long each bot sits idle before its settled RSS is read
 * (0: not read).
 */
export async function benchScale(
  sizes: readonly number[],
  samples: number,
  settleS = 0,
): Promise<{ rows: Row[]; scaling: Scaling }> {
  const results: SizeResult[] = [];
  for (const size of sizes) {
    process.stderr.write(` ${num(size)}`);
    results.push(await measureSize(size, samples, settleS));
  }
  const pp = (s: Summary) =>
    `${p50p99(s.p50, s.p99)}${s.failed > 0 ? ` (${s.failed} unanswered)` : ''}`;
  const scaling: Scaling = {
    sizes: results.map((r) => r.entities),
    note: `the real bot against the fake HA and fake Discord over loopback, one interaction at a time, ${num(samples)} samples a figure (autocomplete ${num(samples * 2)}); typo: one letter dropped; miss: no such name ("did you mean" searched)`,
    lines: [
      { figure: 'Start-up to ready', cells: results.map((r) => ms(r.startupMs)) },
      {
        figure: 'Start-up, bot CPU to catalog ready',
        cells: results.map((r) => ms(r.startupCpuMs)),
      },
      { figure: 'RSS after load', cells: results.map((r) => `${num(r.rssMb, 0)} MB`) },
      ...(settleS > 0
        ? [
            {
              figure: `RSS settled (${settleS} s idle after)`,
              cells: results.map((r) => `${num(r.settledRssMb, 0)} MB`),
            },
          ]
        : []),
      {
        figure: 'Heap after GC (per entity)',
        cells: results.map(
          (r) => `${num(r.heapMb, 0)} MB (${num((r.heapMb * 1024) / r.entities, 2)} KB)`,
        ),
      },
      { figure: '/ha state, exact id, p50 / p99', cells: results.map((r) => pp(r.state.id)) },
      { figure: '/ha state, name, p50 / p99', cells: results.map((r) => pp(r.state.name)) },
      { figure: '/ha state, typo, p50 / p99', cells: results.map((r) => pp(r.state.typo)) },
      { figure: '/ha state, miss, p50 / p99', cells: results.map((r) => pp(r.state.miss)) },
      { figure: '/ha toggle, exact id, p50 / p99', cells: results.map((r) => pp(r.toggle)) },
      {
        figure: 'Autocomplete round trip, p50 / p99',
        cells: results.map((r) => pp(r.autocomplete)),
      },
      {
        figure: 'Autocomplete round trip, harness GC not kept out (the old way), p50 / p99',
        cells: results.map((r) => pp(r.autocompleteWithHarnessGc)),
      },
      {
        figure: 'Autocomplete samples a GC overlapped: bot / harness (old way: bot / harness)',
        cells: results.map(
          (r) =>
            `${r.autocompleteGc.botGc} / ${r.autocompleteGc.benchGc} (${r.autocompleteWithHarnessGcShare.botGc} / ${r.autocompleteWithHarnessGcShare.benchGc})`,
        ),
      },
      {
        figure: 'Autocomplete round trip with no GC overlapping, p50 / p99',
        cells: results.map((r) => p50p99(r.autocompleteGc.clear.p50, r.autocompleteGc.clear.p99)),
      },
      {
        figure: 'Autocomplete just after an entity is added, p50 / max (answers with it)',
        cells: results.map(
          (r) =>
            `${p50p99(r.afterAdd.p50, r.afterAdd.max)} (${r.afterAdd.found}/${r.afterAdd.of})${r.afterAdd.failed > 0 ? ` (${r.afterAdd.failed} unanswered)` : ''}`,
        ),
      },
    ],
  };
  const rows: Row[] = [];
  for (const r of results) {
    const k = `${r.entities / 1000}k`;
    const all = [...Object.values(r.state), r.toggle];
    const unanswered = all.reduce((n, s) => n + s.failed, 0);
    const worst = unanswered > 0 ? Infinity : Math.max(...all.map((s) => s.p99));
    const acTarget = AUTOCOMPLETE_TARGETS[r.entities];
    if (r.entities >= 50_000) {
      rows.push({
        id: `scale.commands.${k}`,
        figure: `/ha state and toggle (id, name, typo, miss), slowest p99, ${num(r.entities)} entities`,
        bot: unanswered > 0 ? `${unanswered} unanswered` : ms(worst),
        baseline: '',
        target: `< ${COMMAND_TARGET_MS} ms`,
        status: worst < COMMAND_TARGET_MS ? 'PASS' : 'MISS',
        baselineIs: 'interaction to reply over the fake Discord (see the scaling table)',
        values: { p99: worst, unanswered },
      });
    }
    if (acTarget !== undefined) {
      rows.push({
        id: `scale.autocomplete.${k}`,
        figure: `Autocomplete round trip p99, ${num(r.entities)} entities`,
        bot: `${pp(r.autocomplete)} (the old way: ${pp(r.autocompleteWithHarnessGc)})`,
        baseline: '',
        target: `≤ ${acTarget} ms`,
        status: r.autocomplete.p99 <= acTarget && r.autocomplete.failed === 0 ? 'PASS' : 'MISS',
        baselineIs:
          "interaction to autocomplete response over the fake Discord, the harness's young generation collected before each keystroke (the old way, its collections free to land in one: see the scaling table)",
        values: {
          p50: r.autocomplete.p50,
          p99: r.autocomplete.p99,
          botGcSamples: r.autocompleteGc.botGc,
          harnessGcSamples: r.autocompleteGc.benchGc,
          p99WithoutGc: r.autocompleteGc.clear.p99,
          oldWayP50: r.autocompleteWithHarnessGc.p50,
          oldWayP99: r.autocompleteWithHarnessGc.p99,
        },
      });
    }
    if (r.entities === 100_000) {
      const kb = (r.heapMb * 1024) / r.entities;
      rows.push(
        {
          id: 'scale.startup.100k',
          figure: 'Start-up to ready, 100,000 entities',
          bot: ms(r.startupMs),
          baseline: '',
          target: `≤ ${num(STARTUP_TARGET_MS)} ms`,
          status: r.startupMs <= STARTUP_TARGET_MS ? 'PASS' : 'MISS',
          baselineIs: `process start to Discord ready and HA connected with its registries (wall time; the bot's CPU to catalog ready: ${ms(r.startupCpuMs)})`,
          values: { ms: r.startupMs, cpuMs: r.startupCpuMs },
        },
        {
          id: 'scale.heap.100k',
          figure: 'Heap per entity after GC, 100,000 entities',
          bot: `${num(kb, 2)} KB`,
          baseline: '',
          target: `≤ ${HEAP_TARGET_KB} KB`,
          status: kb <= HEAP_TARGET_KB ? 'PASS' : 'MISS',
          baselineIs: 'heap used after a full GC (the memory probe), divided by the entities',
          values: {
            kbPerEntity: kb,
            heapMb: r.heapMb,
            rssMb: r.rssMb,
            ...(Number.isNaN(r.settledRssMb) ? {} : { settledRssMb: r.settledRssMb }),
          },
        },
      );
    }
  }
  return { rows, scaling };
}
