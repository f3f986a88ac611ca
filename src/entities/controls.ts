/** Which HA service a person's "on", "unlock" or "arm away" means for each domain. */
export const CONTROL_ACTIONS = [
  'toggle',
  'on',
  'off',
  'lock',
  'unlock',
  'open',
  'disarm',
  'arm_home',
  'arm_away',
  'arm_night',
  'arm_vacation',
] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

interface Control {
  service: string;
  /** The state that shows the action took effect, when it is a fixed word. */
  state?: string;
}

type DomainControls = Partial<Record<ControlAction, Control>>;

const SWITCHLIKE: DomainControls = {
  on: { service: 'turn_on', state: 'on' },
  off: { service: 'turn_off', state: 'off' },
  toggle: { service: 'toggle' },
};

const OPENABLE = (noun: 'cover' | 'valve'): DomainControls => ({
  on: { service: `open_${noun}`, state: 'open' },
  off: { service: `close_${noun}`, state: 'closed' },
  open: { service: `open_${noun}`, state: 'open' },
  toggle: { service: 'toggle' },
});

const CONTROLS: Record<string, DomainControls> = {
  light: SWITCHLIKE,
  switch: SWITCHLIKE,
  fan: SWITCHLIKE,
  input_boolean: SWITCHLIKE,
  automation: SWITCHLIKE,
  siren: SWITCHLIKE,
  humidifier: SWITCHLIKE,
  remote: SWITCHLIKE,
  group: SWITCHLIKE,
  media_player: {
    on: { service: 'turn_on' },
    off: { service: 'turn_off', state: 'off' },
    toggle: { service: 'toggle' },
  },
  climate: {
    on: { service: 'turn_on' },
    off: { service: 'turn_off', state: 'off' },
    toggle: { service: 'toggle' },
  },
  water_heater: { on: { service: 'turn_on' }, off: { service: 'turn_off', state: 'off' } },
  cover: OPENABLE('cover'),
  valve: OPENABLE('valve'),
  script: {
    on: { service: 'turn_on' },
    off: { service: 'turn_off' },
    toggle: { service: 'toggle' },
  },
  scene: { on: { service: 'turn_on' } },
  button: { on: { service: 'press' }, toggle: { service: 'press' } },
  input_button: { on: { service: 'press' }, toggle: { service: 'press' } },
  // Locks and alarm panels answer only to their own words, never to on/off/toggle: "off"
  // must not quietly unlock a door. An opened lock reports `open` from HA 2024.6, `unlocked`
  // before, so only a change can tell.
  lock: {
    lock: { service: 'lock', state: 'locked' },
    unlock: { service: 'unlock', state: 'unlocked' },
    open: { service: 'open' },
  },
  alarm_control_panel: {
    disarm: { service: 'alarm_disarm', state: 'disarmed' },
    arm_home: { service: 'alarm_arm_home', state: 'armed_home' },
    arm_away: { service: 'alarm_arm_away', state: 'armed_away' },
    arm_night: { service: 'alarm_arm_night', state: 'armed_night' },
    arm_vacation: { service: 'alarm_arm_vacation', state: 'armed_vacation' },
  },
};

export function serviceFor(domain: string, action: ControlAction): string | undefined {
  return CONTROLS[domain]?.[action]?.service;
}

/** The state that shows the action is done, or undefined when only a change can tell. */
export function expectedState(domain: string, action: ControlAction): string | undefined {
  return CONTROLS[domain]?.[action]?.state;
}
