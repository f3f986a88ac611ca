import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FakeDiscord } from '../tests/fakes/discord/fake-discord.js';
import { botEnv, sendHa, suggestHa } from '../tests/integration/world.js';
import { summarize } from './fixtures.js';
import { homeFakes } from './home-fakes.js';
import { ruleSelector } from '../src/alerts/rule-engine.js';
import { alertRules, keystrokes } from './home.js';
import { benchRulesEnv, memoryOf, probeOptions, startBot, type Proc } from './processes.js';
import { runQueueClock, runQueueShare } from './run-queue.js';
import { gcShare, minorGc, ownCollections, type Gc } from './scale-gc.js';

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

/**
 * Autocomplete keystrokes per command sample: its p99 is judged on a target, and of 200
 * keystrokes the p99 is the second slowest (one run read 4.06 ms, the next 11.9 ms, on the
 * same search code); of 500, the fifth.
 */
export const KEYSTROKES_PER_SAMPLE = 5;

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

export interface Summary {
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

export interface SizeResult {
  entities: number;
  /** The bench's alert rules the bot ran with (`alertRuleInputs`, in its CONFIG_FILE). */
  rules: number;
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
  /** The samples in which the bot's or the harness's main thread waited for a core (see run-queue). */
  autocompleteRunQueue: ReturnType<typeof runQueueShare>;
  /** Autocomplete right after an entity is added, and how many answers had it (of how many). */
  afterAdd: Summary & { found: number; of: number };
  /** The bot's CPU time from its start to its catalog ready (no waiting on the fakes in it). */
  startupCpuMs: number;
}

/**
 * One home size, as a user feels it: the real bot process (`npm start`'s flags) against the
 * fake HA serving `entities` entities and the fake Discord, with the bench's `rules` alert
 * rules (those of the ingest bench) in its CONFIG_FILE; every figure is interaction in ->
 * response out over loopback, one at a time.
 */
export async function measureSize(
  entities: number,
  samples: number,
  settleS: number,
  rules: number,
): Promise<SizeResult> {
  const fakes = await homeFakes(entities);
  const config = benchRulesEnv(rules);
  let bot: Proc | undefined;
  try {
    // The probe's script is compiled before the clock starts: the harness's work, not the bot's.
    const probe = probeOptions();
    const started = Date.now();
    bot = startBot({
      ...botEnv(fakes.ha, fakes.discord, {
        LOG_LEVEL: 'info',
        HA_PING_INTERVAL_MS: '30000',
        ...config.env,
      }),
      ...probe,
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
    // Lights no rule selects (a toggle that fired an alert would time its post too).
    const selectors = alertRules(rules).map(ruleSelector);
    const area = new Map(home.registry.map((r) => [r.entity_id, r.area_id ?? undefined]));
    const lights = home.entities
      .filter((e) => e.entity_id.startsWith('light.'))
      .filter((e) => {
        const subject = {
          entityId: e.entity_id,
          domain: 'light',
          areaId: area.get(e.entity_id),
          areaName: undefined,
          deviceClass: undefined,
        };
        return !selectors.some((selects) => selects(subject));
      })
      .slice(0, 16);
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
    const { pid } = await bot.waitForMessage('bench probe', 15_000);
    const runQueueWait = runQueueClock(pid as number);
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
      const waits: { ms: number; waitedMs: number }[] = [];
      const own = ownCollections();
      for (let i = 0; i < samples * KEYSTROKES_PER_SAMPLE + warm; i++) {
        if (quietHarness) minorGc();
        // Read outside the timed window (autocomplete() times itself).
        const waitedBefore = runQueueWait() ?? NaN;
        const from = performance.timeOrigin + performance.now();
        const t = await autocomplete(discord, typed[i % typed.length]!);
        const waitedMs = (runQueueWait() ?? NaN) - waitedBefore;
        if (i >= warm) {
          times.push(t);
          windows.push({ from, to: from + t });
          if (!Number.isNaN(t)) waits.push({ ms: t, waitedMs });
        }
      }
      own.stop();
      return {
        summary: summarizeAnswered(times),
        gc: gcShare(windows, botGcs(), own.gcs),
        runQueue: runQueueShare(waits),
      };
    };
    // The old way first (as the figures before 2026-12 were taken), then the harness quiet.
    const withHarnessGc = await keystrokeRun(false);
    const quiet = await keystrokeRun(true);
    // Memory with the home loaded and used, before entities are added: each addition starts a
    // new search index built in slices (a second or more at 100,000 entities on a busy
    // machine), and a reading during one would count two indexes, depending on the timing.
    // RSS right after the start-up and the interactions, then after the bot sat idle as a bot
    // mostly does (no GC forced before either: the probe's reading comes last).
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
      rules,
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
      autocompleteRunQueue: quiet.runQueue,
      afterAdd: { ...summarizeAnswered(afterAdd), found: foundAtOnce, of: afterAdd.length },
      startupCpuMs: connected.cpuMs as number,
    };
  } finally {
    await bot?.stop();
    await fakes.stop();
    config.remove();
  }
}
