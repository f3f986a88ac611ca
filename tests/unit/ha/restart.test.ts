import { RestartDetector, statesRenewedAt } from '../../../src/ha/restart.js';
import type { EntityState } from '../../../src/ha/types.js';

const states = (lcs: number[]): EntityState[] =>
  lcs.map((lc, i) => ({
    entityId: `sensor.s${i}`,
    state: 'x',
    attributes: {},
    lastChanged: lc,
    lastUpdated: lc,
  }));

/** HA restarted since the bot last saw `clock`, as the alerts ask it (alerts/pipeline.ts). */
const restartedSince = (lcs: number[], clock: number) =>
  (statesRenewedAt(states(lcs)) ?? -Infinity) > clock;

describe("statesRenewedAt: a restart told by HA's states", () => {
  it('says yes when most entities got a last_changed after the clock', () => {
    expect(restartedSince([101, 102, 103, 50], 100)).toBe(true);
  });

  it('says no for a few changes, and with too few entities to tell', () => {
    expect(restartedSince([101, 50, 60, 70], 100)).toBe(false);
    expect(restartedSince([101, 102], 100)).toBe(false);
    expect(statesRenewedAt(states([101, 102]))).toBeUndefined();
  });

  it('needs more than half: exactly half newer is no restart', () => {
    expect(restartedSince([101, 102, 50, 60], 100)).toBe(false);
    expect(restartedSince([101, 102, 50], 100)).toBe(true);
    expect(restartedSince([100, 100, 100], 100)).toBe(false);
  });

  it('is the newest time at or after which more than half changed, in any order', () => {
    expect(statesRenewedAt(states([5, 1, 4, 2, 3]))).toBe(3);
    expect(statesRenewedAt(states([4, 1, 3, 2]))).toBe(2);
  });
});

describe('RestartDetector', () => {
  it('says restarted once HA runs after its stop event, then not again', () => {
    const d = new RestartDetector();
    d.stopping();
    expect(d.restarted('RUNNING')).toBe(true);
    expect(d.restarted('RUNNING')).toBe(false);
  });

  it('a connection that finds HA starting: restarted until and including RUNNING', () => {
    const d = new RestartDetector();
    d.found('NOT_RUNNING');
    expect(d.restarted('NOT_RUNNING')).toBe(true);
    expect(d.restarted('STARTING')).toBe(true);
    expect(d.restarted('RUNNING')).toBe(true);
    d.found('RUNNING');
    expect(d.restarted('RUNNING')).toBe(false);
  });
});
