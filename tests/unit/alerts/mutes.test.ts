import { jest } from '@jest/globals';
import { entityTarget, isMuted, ruleTarget, type MuteEntry } from '../../../src/alerts/mutes.js';

const FAR = Number.MAX_SAFE_INTEGER;

describe('isMuted', () => {
  it('mutes by rule and by entity glob, and forgets expired mutes', () => {
    const mutes: MuteEntry[] = [
      { target: ruleTarget('doors'), until: FAR },
      { target: entityTarget('sensor.*_temp'), until: FAR },
      { target: entityTarget('light.kitchen'), until: 10 },
    ];
    expect(isMuted(mutes, 'doors', 'binary_sensor.front', 20)).toBe(true);
    expect(isMuted(mutes, 'temps', 'sensor.attic_temp', 20)).toBe(true);
    expect(isMuted(mutes, 'temps', 'sensor.attic_humidity', 20)).toBe(false);
    expect(isMuted(mutes, 'lights', 'light.kitchen', 5)).toBe(true);
    expect(isMuted(mutes, 'lights', 'light.kitchen', 20)).toBe(false);
  });

  it("compiles each mute's glob once, not once per alert (the store hands out fresh lists)", () => {
    const list = (): MuteEntry[] => [
      { target: entityTarget('sensor.*_temp'), until: FAR },
      { target: entityTarget('binary_sensor.door_?'), until: FAR },
    ];
    // Warm: the first alert compiles them.
    isMuted(list(), 'r', 'sensor.x', 0);
    const compiled = jest.spyOn(globalThis, 'RegExp');
    try {
      for (let i = 0; i < 1000; i++) isMuted(list(), 'r', `sensor.e${i}`, 0);
      expect(compiled).not.toHaveBeenCalled();
    } finally {
      compiled.mockRestore();
    }
  });
});
