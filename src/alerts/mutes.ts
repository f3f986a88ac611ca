import { compileWatchList } from './watch.js';

export interface MuteEntry {
  target: string;
  until: number;
}

export const ruleTarget = (name: string) => `rule:${name}`;
export const entityTarget = (pattern: string) => `entity:${pattern}`;

const ENTITY_PREFIX = 'entity:';

/** Compiled entity mutes by their pattern: the mute store hands out a fresh list each time. */
const matchers = new Map<string, (entityId: string) => boolean>();
/** Mutes are few (one per /ha mute); beyond this many patterns the memo starts over. */
const MAX_MATCHERS = 1000;

function entityMatcher(pattern: string): (entityId: string) => boolean {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    if (matchers.size >= MAX_MATCHERS) matchers.clear();
    matcher = compileWatchList([pattern]);
    matchers.set(pattern, matcher);
  }
  return matcher;
}

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
    if (
      m.target.startsWith(ENTITY_PREFIX) &&
      entityMatcher(m.target.slice(ENTITY_PREFIX.length))(entityId)
    )
      return true;
  }
  return false;
}
