import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { startNodeFlags } from '../tests/helpers/node-flags.js';

/** One line of the benchmark table: the bot's figure next to its baseline's, and the target. */
export interface Row {
  /** Stable key, for comparing results across commits. */
  id: string;
  figure: string;
  bot: string;
  baseline: string;
  /** What no consumer of the same input can beat, when there is such a figure. */
  ceiling?: string;
  target: string;
  /** INFO: no target, the figure is for reference. */
  status: 'PASS' | 'MISS' | 'INFO';
  /** What the baseline is. */
  baselineIs: string;
  /** The measured numbers behind the cells (ms, MB, changes/s, counts). */
  values: Record<string, number>;
}

/** Figures by home size: one line per figure, one cell per size. */
export interface Scaling {
  sizes: number[];
  note: string;
  lines: { figure: string; cells: string[] }[];
}

export interface Report {
  date: string;
  quick: boolean;
  commit: string;
  machine: {
    cpus: number;
    cpu: string;
    memoryGb: number;
    node: string;
    /** `npm start`'s Node flags, given to every process under test. */
    nodeFlags: string[];
    platform: string;
  };
  durationS: number;
  rows: Row[];
  scaling?: Scaling;
  /** The 1-minute load average when the run started and ended (other work on the machine). */
  load?: { start: number; end: number };
}

export function machine(): Report['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    nodeFlags: startNodeFlags(),
    platform: `${process.platform} ${process.arch}`,
  };
}

/** 'v20.20.2 (--max-semi-space-size=2)'. */
export const nodeWithFlags = (m: Report['machine']): string =>
  m.nodeFlags.length > 0 ? `${m.node} (${m.nodeFlags.join(' ')})` : m.node;

export function commit(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', { encoding: 'utf8' });
    return dirty.trim() === '' ? sha : `${sha}+changes`;
  } catch {
    return 'unknown';
  }
}

/** 1234.5 -> '1,235'; small numbers keep decimals. */
export function num(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

export const ms = (n: number): string => `${num(n, n < 10 ? 2 : n < 100 ? 1 : 0)} ms`;
export const p50p99 = (p50: number, p99: number): string => `${ms(p50)} / ${ms(p99)}`;

const COLUMNS = ['Figure', 'Bot', 'Baseline', 'Ceiling', 'Target', 'Result'] as const;
const cells = (r: Row) => [r.figure, r.bot, r.baseline, r.ceiling ?? '', r.target, r.status];

export function textTable(rows: readonly Row[]): string {
  const table = [[...COLUMNS], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  const out = [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const values of table.slice(1)) out.push(line(values));
  out.push('', 'Baselines:');
  for (const r of rows) out.push(`  ${r.figure}: ${r.baselineIs}`);
  return out.join('\n');
}

const sizeLabel = (n: number) => `${num(n)} entities`;

export function scalingText(s: Scaling): string {
  const table = [
    ['Figure', ...s.sizes.map(sizeLabel)],
    ...s.lines.map((l) => [l.figure, ...l.cells]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [
    line(table[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.slice(1).map(line),
    '',
    s.note,
  ].join('\n');
}

export function scalingMarkdown(s: Scaling): string[] {
  const head = ['Figure', ...s.sizes.map(sizeLabel)];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...s.lines.map((l) => `| ${[l.figure, ...l.cells].join(' | ')} |`),
    '',
    `Scaling: ${s.note}.`,
    '',
  ];
}

export function markdownTable(report: Report): string {
  const { machine: m } = report;
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const load = report.load
    ? ` Load average (1 min) ${num(report.load.start, 1)} at the start, ${num(report.load.end, 1)} at the end.`
    : '';
  const out = [
    `| ${COLUMNS.join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...report.rows.map((r) => `| ${cells(r).map(escape).join(' | ')} |`),
    '',
    'Baselines:',
    '',
    ...report.rows.map((r) => `- ${r.figure}: ${r.baselineIs}`),
    '',
    `Measured ${report.date.slice(0, 10)} at ${report.commit}${report.quick ? ' (`--quick`)' : ''}, ` +
      `in ${Math.round(report.durationS)} s, on ${m.cpus} × ${m.cpu}, ${m.memoryGb} GB, ` +
      `Node ${nodeWithFlags(m)}, ${m.platform}.${load}`,
  ];
  if (report.scaling) out.unshift(...scalingMarkdown(report.scaling));
  return out.join('\n');
}

/** The scaling table alone, with where and when it was measured: the README's copy. */
export function scalingSection(report: Report): string | undefined {
  if (!report.scaling) return undefined;
  const { machine: m } = report;
  const load = report.load
    ? `, load average (1 min) ${num(report.load.start, 1)} → ${num(report.load.end, 1)}`
    : '';
  return [
    ...scalingMarkdown(report.scaling),
    '',
    `Measured by \`npm run bench\` on ${report.date.slice(0, 10)} at ${report.commit}, on ` +
      `${m.cpus} × ${m.cpu}, Node ${nodeWithFlags(m)}${load}. All figures and their targets: ` +
      '[CONTRIBUTING.md → Benchmarks](CONTRIBUTING.md#benchmarks).',
  ].join('\n');
}

export function writeJson(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
