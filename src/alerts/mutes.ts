import { compileWatchList } from './watch.js';

export interface MuteEntry {
  target: string;
  until: number;
}

export const ruleTarget = (name: string) => `rule:${name}`;
export const entityTarget = (pattern: string) => `entity:${pattern}`;

/** Whether an alert of this rule for this entity is muted now (entity mutes may be globs). */
export function isMuted(
  mutes: readonly MuteEntry[],
  ruleName: string,
  entityId: string,
  now: number,
): boolean {
  for (const m of mutes) {
    if (m.until <= now) continue;
    if (m.target === ruleTarget(ruleName)) return true;
    if (m.target.startsWith('entity:') && compileWatchList([m.target.slice(7)])(entityId))
      return true;
  }
  return false;
}
