import { jest } from '@jest/globals';
import pino from 'pino';
import { AlertPipeline } from '../../../src/alerts/pipeline.js';
import { RuleEngine } from '../../../src/alerts/rule-engine.js';
import { RuleSchema } from '../../../src/alerts/rule-schema.js';
import type { EntityState, StateChange } from '../../../src/ha/types.js';

const DOOR = 'binary_sensor.front_door';

function state(value: string, at: number): EntityState {
  return {
    entityId: DOOR,
    state: value,
    attributes: {},
    lastChanged: at / 1000,
    lastUpdated: at / 1000,
  };
}

describe('AlertPipeline timer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits out a `for` longer than a timer can hold (24.8 days) without spinning', () => {
    const engine = new RuleEngine(
      [RuleSchema.parse({ name: 'away', entities: [DOOR], to: 'on', for: { days: 30 } })],
      () => ({
        entityId: DOOR,
        domain: 'binary_sensor',
        areaId: undefined,
        areaName: undefined,
        deviceClass: undefined,
      }),
    );
    const due = jest.spyOn(engine, 'due');
    let listener: ((c: StateChange) => void) | undefined;
    let current = state('off', Date.now());
    const enqueued: unknown[] = [];
    const pipeline = new AlertPipeline({
      store: {
        onChange: (l) => ((listener = l), () => undefined),
        get: () => current,
        all: () => [current][Symbol.iterator](),
      },
      engine,
      emit: (firing) => enqueued.push(firing),
      log: pino({ level: 'silent' }),
    });
    pipeline.setHa({ connected: true, running: true, restarted: false });
    const before = current;
    current = state('on', Date.now());
    listener!({
      entityId: DOOR,
      kind: 'changed',
      oldState: before,
      newState: current,
      stateChanged: true,
      fromSnapshot: false,
    });

    // An overflowing timer fires after 1 ms, again and again.
    jest.advanceTimersByTime(1000);
    expect(due.mock.calls.length).toBe(0);

    jest.advanceTimersByTime(30 * 86_400_000);
    expect(enqueued).toHaveLength(1);
    expect(due.mock.calls.length).toBeLessThanOrEqual(3);
    pipeline.stop();
  });
});
