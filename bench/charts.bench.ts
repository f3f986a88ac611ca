import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startNodeFlags } from '../tests/helpers/node-flags.js';
import { chartsInBot, type InBotPlan } from './charts-bot.js';
import { num, p50p99, type Row } from './report.js';

const TARGET_P99_MS = 150;
const TARGET_RSS_MB = 30;

interface Figures {
  /** CPU ms per render. */
  p50: number;
  p99: number;
  wallP50: number;
  wallP99: number;
  extraRssMb: number;
  /** The main thread's longest block (event loop delay), ms. */
  loopMaxMs: number;
  n: number;
}

/**
 * Runs one scenario in a fresh process (its own peak RSS), under tsx as the bench runs, with
 * the Node flags the bot starts with (`npm start`'s: V8's young generation is sized by them).
 */
function run(scenario: 'day' | 'month', mode: 'bot' | 'baseline', rounds: number): Figures {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = fileURLToPath(new URL('./charts-child.ts', import.meta.url));
  const out = execFileSync(
    process.execPath,
    [...startNodeFlags(), '--expose-gc', '--import', tsx, child, scenario, mode, String(rounds)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out) as Figures;
}

/**
 * History charts (issue 19): from HA's answer text to PNG — parse, downsample, SVG, resvg —
 * per render, against the same chart drawn from every row (no downsampling; for 30 days,
 * 86,400 rows of raw history instead of statistics); and the RSS charts add to the running
 * bot (charts-bot.ts), beside the peak they add to a fresh process that only draws charts.
 */
export async function benchCharts(rounds: number, inBotPlan: InBotPlan): Promise<Row[]> {
  const rows: Row[] = [];
  const plans = [
    { scenario: 'day', period: '24h', figure: '24 h of one sensor every 30 s (2,880 rows)' },
    { scenario: 'month', period: '30d', figure: '30 days of hourly statistics (720 rows)' },
  ] as const;
  for (const plan of plans) {
    const bot = run(plan.scenario, 'bot', rounds);
    const base = run(plan.scenario, 'baseline', Math.max(2, Math.round(rounds / 5)));
    const inBot = await chartsInBot(plan.period, rounds, inBotPlan);
    const pass = bot.p99 < TARGET_P99_MS && inBot.extraMb < TARGET_RSS_MB;
    rows.push({
      id: `charts.${plan.scenario}`,
      figure: `History chart, ${plan.figure}: render p50 / p99, extra RSS`,
      bot: `${p50p99(bot.p50, bot.p99)}, ${num(inBot.extraMb, 1)} MB`,
      baseline: `${p50p99(base.p50, base.p99)}, ${num(base.extraRssMb, 1)} MB`,
      target: `p99 < ${TARGET_P99_MS} ms, < ${TARGET_RSS_MB} MB`,
      status: pass ? 'PASS' : 'MISS',
      baselineIs: `every row drawn, no downsampling${plan.scenario === 'month' ? ' (30 days of raw history at 30 s: 86,400 rows)' : ''}; CPU time (the renderer's thread included) of ${num(bot.n)} renders from HA's answer text to PNG, wall clock p50 / p99 ${p50p99(bot.wallP50, bot.wallP99)}, the main thread's longest block ${num(bot.loopMaxMs, 0)} ms (the PNG is drawn on the renderer's thread). Extra RSS: what ${num(inBot.charts)} \`/ha history\` charts in a row add to the running bot (settled RSS ${num(inBot.beforeMb, 1)} MB before, from the lower of the idle bot's two levels: its malloc heaps ${num(inBot.idleMallocMb, 1)} MB, ${inBot.heldMb > 0 ? `${inBot.allowed === 1 ? 'the one bot started (--quick: none replaced) did not settle' : `none of ${num(inBot.attempts)} bots settled`} at 8 MB or less, so the settled RSS is lowered by the ${num(inBot.heldMb, 1)} MB above it that glibc kept from the start-up` : `at most 8 MB (${inBot.allowed === 1 ? 'one bot, --quick: none replaced' : `bot ${num(inBot.attempts)} started; one holding the start-up's freed malloc memory is replaced, as the charts would reuse it`})`}, highest RSS sampled from /proc every 5 ms during them, ${num(inBot.firstMb, 1)} MB of it by the end of the first chart and ${num(inBot.extraFileMb, 1)} MB of it file-backed pages — resvg's code and Node's own — touched for the first time; ${num(inBot.afterMb, 1)} MB above it ${num(inBot.afterS)} s after), the chart thread included, a fresh bot per scenario; in a fresh process that only draws charts the peak (VmHWM) adds ${num(bot.extraRssMb, 1)} MB, about 7 MB of it Node's own code pages touched for the first time`,
      values: {
        p50: bot.p50,
        p99: bot.p99,
        wallP50: bot.wallP50,
        wallP99: bot.wallP99,
        extraRssMb: inBot.extraMb,
        freshProcessRssMb: bot.extraRssMb,
        inBotBeforeMb: inBot.beforeMb,
        inBotIdleMallocMb: inBot.idleMallocMb,
        inBotAttempts: inBot.attempts,
        inBotHeldMb: inBot.heldMb,
        inBotAfterMb: inBot.afterMb,
        inBotAfterS: inBot.afterS,
        inBotFirstChartMb: inBot.firstMb,
        inBotFileMb: inBot.extraFileMb,
        loopMaxMs: bot.loopMaxMs,
        baselineP50: base.p50,
        baselineP99: base.p99,
        baselineRssMb: base.extraRssMb,
      },
    });
  }
  return rows;
}
