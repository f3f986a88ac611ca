import type { CheckResult } from './types.js';

const MARK: Record<CheckResult['status'], string> = {
  ok: '[ ok ]',
  warn: '[warn]',
  fail: '[FAIL]',
  skip: '[skip]',
};

/** The report as plain text: one line a check, causes and fixes indented below it. */
export function formatReport(results: readonly CheckResult[], version: string): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = [`ha-discord-bridge ${version} doctor`, ''];
  for (const r of results) {
    lines.push(`${MARK[r.status]} ${r.name.padEnd(width)}  ${r.summary}`);
    for (const detail of r.details ?? []) lines.push(`${' '.repeat(9)}${detail}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push('');
  lines.push(
    failed === 0
      ? `All checks passed${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`
      : `${failed} check${failed === 1 ? '' : 's'} failed.`,
  );
  return `${lines.join('\n')}\n`;
}

export const hasFailures = (results: readonly CheckResult[]): boolean =>
  results.some((r) => r.status === 'fail');
