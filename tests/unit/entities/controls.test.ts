import {
  expectedState,
  isControllable,
  serviceFor,
  supportedActions,
} from '../../../src/entities/controls.js';

describe('domain controls', () => {
  it.each([
    ['light', 'toggle', 'toggle'],
    ['switch', 'on', 'turn_on'],
    ['cover', 'on', 'open_cover'],
    ['cover', 'off', 'close_cover'],
    ['scene', 'on', 'turn_on'],
    ['button', 'toggle', 'press'],
  ] as const)('%s %s -> %s', (domain, action, service) => {
    expect(serviceFor(domain, action)).toBe(service);
  });

  it('never maps locks or alarm panels, so "off" cannot unlock a door', () => {
    expect(isControllable('lock')).toBe(false);
    expect(isControllable('alarm_control_panel')).toBe(false);
    expect(serviceFor('lock', 'off')).toBeUndefined();
  });

  it('knows which state confirms an action', () => {
    expect(expectedState('light', 'on')).toBe('on');
    expect(expectedState('cover', 'off')).toBe('closed');
    expect(expectedState('light', 'toggle')).toBeUndefined();
    expect(supportedActions('scene')).toEqual(['on']);
  });
});
