import { HaError } from '../../../src/ha/errors.js';
import { recordedStates } from '../../../src/ha/history.js';

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
