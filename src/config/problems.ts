/** Words for the log and stderr when the configuration is unusable. */
export function describeProblems(
  problems: readonly string[],
  fix = 'Fix them in .env (see .env.example) or the environment, then start again.',
): string {
  return [
    `Configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`,
    ...problems.map((p) => `  - ${p}`),
    fix,
  ].join('\n');
}
