import { confirmationReason, type ConfirmSubject } from '../../../src/policy/confirm.js';
import { ConfirmSchema } from '../../../src/policy/schema.js';

const subject = (entityId: string, over: Partial<ConfirmSubject> = {}): ConfirmSubject => ({
  entityId,
  domain: entityId.split('.')[0]!,
  areaId: undefined,
  areaName: undefined,
  deviceClass: undefined,
  ...over,
});
const defaults = ConfirmSchema.parse({});

describe('confirmationReason', () => {
  it('asks before the built-in ways into the house, and not before the way back out', () => {
    expect(confirmationReason(defaults, subject('lock.front'), 'unlock')).toBe('unlocking a lock');
    expect(confirmationReason(defaults, subject('lock.front'), 'open')).toBe('opening a lock');
    expect(confirmationReason(defaults, subject('lock.front'), 'lock')).toBeUndefined();
    expect(confirmationReason(defaults, subject('alarm_control_panel.h'), 'alarm_disarm')).toBe(
      'disarming an alarm',
    );
    expect(
      confirmationReason(defaults, subject('alarm_control_panel.h'), 'alarm_arm_away'),
    ).toBeUndefined();
  });

  it('asks before opening (or toggling) a garage door or gate, not blinds or closing', () => {
    const garage = subject('cover.garage', { deviceClass: 'garage' });
    expect(confirmationReason(defaults, garage, 'open_cover')).toBe('opening a garage door');
    expect(confirmationReason(defaults, garage, 'toggle')).toBe('opening a garage door');
    expect(confirmationReason(defaults, garage, 'close_cover')).toBeUndefined();
    const gate = subject('cover.drive', { deviceClass: 'gate' });
    expect(confirmationReason(defaults, gate, 'open_cover')).toBe('opening a gate');
    const blinds = subject('cover.blinds', { deviceClass: 'blind' });
    expect(confirmationReason(defaults, blinds, 'open_cover')).toBeUndefined();
  });

  it('adds the config rules, scoped by entity, domain, area and service', () => {
    const policy = ConfirmSchema.parse({
      rules: [
        { entities: ['switch.server_*'], services: ['turn_off', 'toggle'] },
        { areas: ['Nursery'] },
      ],
    });
    expect(confirmationReason(policy, subject('switch.server_rack'), 'turn_off')).toBe(
      'the access policy asks for a confirmation',
    );
    expect(confirmationReason(policy, subject('switch.server_rack'), 'turn_on')).toBeUndefined();
    expect(confirmationReason(policy, subject('switch.kettle'), 'turn_off')).toBeUndefined();
    expect(
      confirmationReason(policy, subject('light.night', { areaName: 'Nursery' }), 'turn_on'),
    ).toBeDefined();
  });

  it('can turn the built-in list off, and reads its timeout as a duration', () => {
    const policy = ConfirmSchema.parse({ defaults: false, timeout: '45s' });
    expect(confirmationReason(policy, subject('lock.front'), 'unlock')).toBeUndefined();
    expect(policy.timeout).toBe(45_000);
    expect(defaults.timeout).toBe(30_000);
  });
});
