import type { HistoryLookup } from '../../../src/alerts/history-check.js';
import { HistoryFollowUp } from '../../../src/alerts/history-follow-up.js';
import type { LastSeen } from '../../../src/alerts/last-seen.js';
import type { Unsure } from '../../../src/alerts/reconcile.js';
import type { EntityState } from '../../../src/ha/types.js';
import { createLogger } from '../../../src/logging/logger.js';

const st = (entityId: string, state: string, lc: number): EntityState => ({
  entityId,
  state,
  attributes: {},
  lastChanged: lc,
  lastUpdated: lc,
});

// Two entities HA only restored: equal states, a newer last_changed.
const UNSURE: Unsure[] = ['binary_sensor.door', 'binary_sensor.motion'].map((id) => ({
  entityId: id,
  before: st(id, 'off', 1),
  after: st(id, 'off', 10),
}));

/**
 * A HistoryFollowUp whose commits are kept in `kept` (the entities whose state it saved),
 * rolled back when `failCommits` says so, as the outbox's transaction does on a database error.
 */
function followUp(lookup: HistoryLookup, failCommits: () => boolean) {
  const kept: string[] = [];
  let stopped = false;
  let settledCalls = 0;
  let saving: string[] = [];
  const lastSeen = {
    record: (s: EntityState) => saving.push(s.entityId),
    flush: () => undefined,
  } as unknown as LastSeen;
  const history = new HistoryFollowUp({
    lookup,
    retryMs: [],
    stopped: () => stopped,
    current: (id) => UNSURE.find((u) => u.entityId === id)!.after,
    lastSeen,
    log: createLogger({ level: 'silent', secrets: [] }),
    atomically: (fn) => {
      saving = [];
      fn();
      if (failCommits()) throw new Error('disk full');
      kept.push(...saving);
    },
    judgeFound: () => 0,
  });
  const check = () => history.check(UNSURE, 5, 'ha_restart', () => settledCalls++);
  return {
    check,
    kept,
    settledCalls: () => settledCalls,
    stop: () => (stopped = true),
  };
}

describe('HistoryFollowUp: when reading HA history or saving its verdicts fails', () => {
  it('settles every entity as restored when the read fails, then tells it settled all', async () => {
    const bot = followUp(
      () => Promise.reject(new Error('timed out')),
      () => false,
    );
    await expect(bot.check()).rejects.toThrow('timed out');
    expect(bot.kept.sort()).toEqual(['binary_sensor.door', 'binary_sensor.motion']);
    expect(bot.settledCalls()).toBe(1);
  });

  it("tells the read's error, not the save's, and does not say settled when saving fails too", async () => {
    const bot = followUp(
      () => Promise.reject(new Error('timed out')),
      () => true,
    );
    await expect(bot.check()).rejects.toThrow('timed out');
    expect(bot.kept).toEqual([]);
    // The clock held for them stays held: the next start asks HA's history again.
    expect(bot.settledCalls()).toBe(0);
  });

  it('keeps the entities of a verdict batch that was rolled back pending, and settles them', async () => {
    let commits = 0;
    const answered: HistoryLookup = () =>
      Promise.resolve(
        new Map(
          UNSURE.map((u) => [
            u.entityId,
            [
              { state: 'off', at: 1 },
              { state: 'off', at: 10 },
            ],
          ]),
        ),
      );
    // The first commit (HA's verdicts) fails; the next (settling as restored) does not.
    const bot = followUp(answered, () => commits++ === 0);
    await expect(bot.check()).rejects.toThrow('disk full');
    expect(bot.kept.sort()).toEqual(['binary_sensor.door', 'binary_sensor.motion']);
    expect(bot.settledCalls()).toBe(1);
  });

  it('settles nothing when the read fails because the bot is stopping', async () => {
    const bot = followUp(
      () => {
        // Shutting down closes HA's connection, which fails the request in flight.
        bot.stop();
        return Promise.reject(new Error('Connection lost'));
      },
      () => false,
    );
    await expect(bot.check()).rejects.toThrow('Connection lost');
    expect(bot.kept).toEqual([]);
    expect(bot.settledCalls()).toBe(0);
  });
});
