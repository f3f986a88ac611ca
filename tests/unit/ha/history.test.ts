import { HaError } from '../../../src/ha/errors.js';
import {
  logbookEntries,
  recordedStates,
  stateChanges,
  statistics,
} from '../../../src/ha/history.js';

describe("recordedStates: HA's history of some entities", () => {
  it('asks for state changes only, just after `since`, and reads HA minimal rows', async () => {
    const sent: Record<string, unknown>[] = [];
    const ha = {
      command: <T>(message: Record<string, unknown>): Promise<T> => {
        sent.push(message);
        return Promise.resolve({
          'binary_sensor.door': [
            { s: 'on', lu: 100.0005 },
            { s: 'off', lu: 101.25 },
            { s: 'broken' },
          ],
        } as T);
      },
    };
    const result = await recordedStates(ha, ['binary_sensor.door', 'sensor.t'], 100.000123);
    expect(sent).toEqual([
      {
        type: 'history/history_during_period',
        // A state set at `since` is the state at the start, not a change after it.
        start_time: new Date(100_002).toISOString(),
        entity_ids: ['binary_sensor.door', 'sensor.t'],
        include_start_time_state: true,
        significant_changes_only: false,
        minimal_response: true,
        no_attributes: true,
      },
    ]);
    expect(result).toEqual(
      new Map([
        [
          'binary_sensor.door',
          [
            { state: 'on', at: 100.0005 },
            { state: 'off', at: 101.25 },
          ],
        ],
      ]),
    );
  });

  it('says undefined when HA keeps no history, and passes other errors on', async () => {
    const failing = (code: string) => ({
      command: () => Promise.reject(new HaError(code, 'x')),
    });
    await expect(recordedStates(failing('unknown_command'), ['a.b'], 1)).resolves.toBeUndefined();
    await expect(recordedStates(failing('timeout'), ['a.b'], 1)).rejects.toThrow('x');
  });
});

describe('stateChanges and statistics: the data of charts', () => {
  const answering = (answer: unknown) => {
    const sent: Record<string, unknown>[] = [];
    return {
      sent,
      ha: {
        command: <T>(message: Record<string, unknown>): Promise<T> => {
          sent.push(message);
          return Promise.resolve(answer as T);
        },
      },
    };
  };

  it('asks history for the period with minimal rows and reads them in ms', async () => {
    const { ha, sent } = answering({
      'sensor.t': [{ s: '20', lu: 1000.5 }, { s: 'unavailable', lu: 1001 }, { x: 1 }],
    });
    const got = await stateChanges(ha, ['sensor.t', 'sensor.none'], 1_000_000, 2_000_000);
    expect(sent[0]).toEqual({
      type: 'history/history_during_period',
      start_time: new Date(1_000_000).toISOString(),
      end_time: new Date(2_000_000).toISOString(),
      entity_ids: ['sensor.t', 'sensor.none'],
      include_start_time_state: true,
      significant_changes_only: false,
      minimal_response: true,
      no_attributes: true,
    });
    expect(got?.states.get('sensor.t')).toEqual([
      { state: '20', t: 1_000_500 },
      { state: 'unavailable', t: 1_001_000 },
    ]);
    expect(got?.states.has('sensor.none')).toBe(false);
  });

  it('reads statistics as steps, a missing hour and the time after the last row as gaps', async () => {
    const h = 3_600_000;
    const { ha, sent } = answering({
      'sensor.t': [
        { start: 0, end: h, mean: 20, min: 19, max: 21 },
        { start: 2 * h, end: 3 * h, mean: 22, min: 22, max: 23 },
      ],
    });
    const got = await statistics(ha, ['sensor.t'], 0, 4 * h, 'hour');
    expect(sent[0]).toMatchObject({
      type: 'recorder/statistics_during_period',
      statistic_ids: ['sensor.t'],
      period: 'hour',
      types: ['mean', 'min', 'max'],
    });
    expect(got?.get('sensor.t')).toEqual([
      { t: 0, v: 20, lo: 19, hi: 21 },
      { t: h, v: null },
      { t: 2 * h, v: 22, lo: 22, hi: 23 },
      { t: 3 * h, v: null },
    ]);
  });

  it('is undefined without a recorder', async () => {
    const ha = { command: () => Promise.reject(new HaError('unknown_command', 'x')) };
    await expect(statistics(ha, ['a.b'], 0, 1, 'day')).resolves.toBeUndefined();
    await expect(stateChanges(ha, ['a.b'], 0, 1)).resolves.toBeUndefined();
  });
});

describe('logbookEntries: who or what changed things', () => {
  it('asks for the period (and entities), reads newest first with the cause HA names', async () => {
    const sent: Record<string, unknown>[] = [];
    const ha = {
      command: <T>(message: Record<string, unknown>): Promise<T> => {
        sent.push(message);
        return Promise.resolve([
          { when: 100.5, state: 'on', entity_id: 'light.a', context_user_id: 'u1' },
          {
            when: 200,
            state: 'off',
            entity_id: 'light.a',
            context_event_type: 'automation_triggered',
            context_domain: 'automation',
            context_name: 'Night',
            context_entity_id: 'automation.night',
          },
          { broken: true },
        ] as T);
      },
    };
    const got = await logbookEntries(ha, 0, 300_000, ['light.a']);
    expect(sent).toEqual([
      {
        type: 'logbook/get_events',
        start_time: new Date(0).toISOString(),
        end_time: new Date(300_000).toISOString(),
        entity_ids: ['light.a'],
      },
    ]);
    expect(got).toEqual([
      {
        at: 200_000,
        state: 'off',
        entityId: 'light.a',
        causeEvent: 'automation_triggered',
        causeDomain: 'automation',
        causeName: 'Night',
        causeEntityId: 'automation.night',
      },
      { at: 100_500, state: 'on', entityId: 'light.a', userId: 'u1' },
    ]);
  });

  it('is undefined without a logbook', async () => {
    const ha = { command: () => Promise.reject(new HaError('unknown_command', 'x')) };
    await expect(logbookEntries(ha, 0, 1)).resolves.toBeUndefined();
  });
});
