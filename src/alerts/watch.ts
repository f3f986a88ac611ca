/**
 * Matchers by the very list they were compiled from (a pure memo): the access policy checks
 * each entity against the same config arrays, every entity on every autocomplete keystroke,
 * and compiling their globs each time cost about 150 ms a keystroke for a member without
 * Manage Server over 10,000 entities. A reloaded config brings new arrays; the old ones'
 * entries go with them.
 */
const compiled = new WeakMap<readonly string[], (entityId: string) => boolean>();

/** Compiles entity ids and globs (`binary_sensor.*_door`, `sensor.temp_?`) into one test. */
export function compileWatchList(patterns: readonly string[]): (entityId: string) => boolean {
  let matcher = compiled.get(patterns);
  if (matcher === undefined) {
    matcher = compile(patterns);
    compiled.set(patterns, matcher);
  }
  return matcher;
}

function compile(patterns: readonly string[]): (entityId: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const pattern of patterns) {
    if (/[*?]/.test(pattern)) {
      const source = pattern
        .split('')
        .map((ch) =>
          ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      globs.push(new RegExp(`^${source}$`));
    } else {
      exact.add(pattern);
    }
  }
  return (entityId) => exact.has(entityId) || globs.some((g) => g.test(entityId));
}
