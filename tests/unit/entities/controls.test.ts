import { expectedState, serviceFor } from '../../../src/entities/controls.js';

describe('domain controls', () => {
  it.each([
    ['light', 'toggle', 'toggle'],
    ['switch', 'on', 'turn_on'],
    ['cover', 'on', 'open_cover'],
    ['cover', 'off', 'close_cover'],
    ['cover', 'open', 'open_cover'],
    ['scene', 'on', 'turn_on'],
    ['button', 'toggle', 'press'],
    ['lock', 'unlock', 'unlock'],
    ['lock', 'open', 'open'],
    ['alarm_control_panel', 'disarm', 'alarm_disarm'],
    ['alarm_control_panel', 'arm_night', 'alarm_arm_night'],
  ] as const)('%s %s -> %s', (domain, action, service) => {
    expect(serviceFor(domain, action)).toBe(service);
  });

  it('never maps toggle, on or off for locks or alarm panels, so "off" cannot unlock a door', () => {
    for (const action of ['toggle', 'on', 'off'] as const) {
      expect(serviceFor('lock', action)).toBeUndefined();
      expect(serviceFor('alarm_control_panel', action)).toBeUndefined();
    }
    expect(serviceFor('light', 'unlock')).toBeUndefined();
  });

  it('knows which state confirms an action', () => {
    expect(expectedState('light', 'on')).toBe('on');
    expect(expectedState('cover', 'off')).toBe('closed');
    expect(expectedState('light', 'toggle')).toBeUndefined();
    expect(expectedState('lock', 'unlock')).toBe('unlocked');
    // HA before 2024.6 reports an opened lock as unlocked, later as open: only a change tells.
    expect(expectedState('lock', 'open')).toBeUndefined();
    expect(expectedState('alarm_control_panel', 'arm_away')).toBe('armed_away');
  });
});
