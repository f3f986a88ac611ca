import type { StateChange } from '../ha/types.js';

/** Compiles entity ids and globs (`binary_sensor.*_door`, `sensor.temp_?`) into one test. */
export function compileWatchList(patterns: readonly string[]): (entityId: string) => boolean {
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

/**
 * Whether a change is news: the state itself changed (attribute-only updates are not), it
 * happened live (not found by a reconnect snapshot) and HA is running (while HA starts,
 * entities pass through `unavailable` and restored states that mean nothing).
 */
export function isAlertWorthy(change: StateChange, haRunning: boolean): boolean {
  return (
    haRunning &&
    change.kind === 'changed' &&
    change.stateChanged &&
    !change.fromSnapshot &&
    change.oldState !== undefined &&
    change.newState !== undefined
  );
}
