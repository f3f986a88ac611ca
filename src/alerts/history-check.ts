import { readHistory, type HistoryPoint, type HistoryVerdict, type Unsure } from './reconcile.js';

/** HA's recorded states of some entities since a time (epoch s); undefined: HA keeps none. */
export type HistoryLookup = (
  entityIds: readonly string[],
  since: number,
) => Promise<ReadonlyMap<string, readonly HistoryPoint[]> | undefined>;

export interface HistoryCheckOptions {
  lookup: HistoryLookup | undefined;
  /** The waits before asking again for states HA's recorder has not written yet. */
  retryMs?: readonly number[];
  /** Asked before each request: a stopping bot asks no more. */
  stopped: () => boolean;
}

/** HA's recorder writes every 5 s by default: asked again after 2, 5 and 10 s. */
const RETRY_MS = [2000, 3000, 5000];
/** At most this many entities are looked up per gap, 100 per request. */
export const MAX_HISTORY_ENTITIES = 1000;
const CHUNK = 100;
/** How far back HA's history is read (the state at the start of this window comes too). */
const WINDOW_S = 24 * 3600;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Asks HA's history whether each unsure entity (an equal state with a newer `last_changed`
 * across an HA restart) took another value since `haClock`, the latest `last_changed` the bot
 * had seen before the gap. Each verdict goes to `decide` once final, a batch per answer:
 * 'incomplete' ones are asked again (HA's recorder commits every few seconds) and handed on
 * as such after the last retry; 'unrecorded' also stands for the entities beyond
 * MAX_HISTORY_ENTITIES and for an HA that keeps no history (then `noHistory`).
 */
export async function checkHistory(
  unsure: readonly Unsure[],
  haClock: number,
  opts: HistoryCheckOptions,
  decide: (verdicts: readonly [Unsure, HistoryVerdict][]) => void,
): Promise<{ noHistory: boolean }> {
  const unrecorded = (list: readonly Unsure[]) =>
    list.map((u): [Unsure, HistoryVerdict] => [u, { kind: 'unrecorded' }]);
  const retries = opts.retryMs ?? RETRY_MS;
  let pending = unsure.slice(0, MAX_HISTORY_ENTITIES);
  if (unsure.length > pending.length) decide(unrecorded(unsure.slice(pending.length)));
  const latest = Math.max(...pending.map((u) => u.after.lastChanged));
  const since = Math.max(haClock, latest - WINDOW_S);
  for (let attempt = 0; pending.length > 0 && !opts.stopped(); attempt++) {
    const history = opts.lookup && (await read(opts.lookup, pending, since, opts.stopped));
    if (opts.stopped()) break;
    if (history === undefined) {
      decide(unrecorded(pending));
      return { noHistory: true };
    }
    const final: [Unsure, HistoryVerdict][] = [];
    const again: Unsure[] = [];
    for (const u of pending) {
      const verdict = readHistory(history.get(u.entityId), u.before, u.after);
      if (verdict.kind === 'incomplete' && attempt < retries.length) again.push(u);
      else final.push([u, verdict]);
    }
    decide(final);
    if (again.length > 0) await delay(retries[attempt]!);
    pending = again;
  }
  return { noHistory: false };
}

async function read(
  lookup: HistoryLookup,
  entities: readonly Unsure[],
  since: number,
  stopped: () => boolean,
): Promise<Map<string, readonly HistoryPoint[]> | undefined> {
  const all = new Map<string, readonly HistoryPoint[]>();
  for (let i = 0; i < entities.length && !stopped(); i += CHUNK) {
    const ids = entities.slice(i, i + CHUNK).map((u) => u.entityId);
    const part = await lookup(ids, since);
    if (part === undefined) return undefined;
    for (const [id, points] of part) all.set(id, points);
  }
  return all;
}
