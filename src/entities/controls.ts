/** Which HA service a person's "on", "off" or "toggle" means for each domain. */
export type ControlAction = 'on' | 'off' | 'toggle';

interface DomainControls {
  on?: string;
  off?: string;
  toggle?: string;
  /** The state that confirms `on`/`off` took effect, when it is a fixed word. */
  onState?: string;
  offState?: string;
}

const SWITCHLIKE: DomainControls = {
  on: 'turn_on',
  off: 'turn_off',
  toggle: 'toggle',
  onState: 'on',
  offState: 'off',
};

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
  media_player: { on: 'turn_on', off: 'turn_off', toggle: 'toggle', offState: 'off' },
  climate: { on: 'turn_on', off: 'turn_off', toggle: 'toggle', offState: 'off' },
  water_heater: { on: 'turn_on', off: 'turn_off', offState: 'off' },
  cover: {
    on: 'open_cover',
    off: 'close_cover',
    toggle: 'toggle',
    onState: 'open',
    offState: 'closed',
  },
  valve: {
    on: 'open_valve',
    off: 'close_valve',
    toggle: 'toggle',
    onState: 'open',
    offState: 'closed',
  },
  script: { on: 'turn_on', off: 'turn_off', toggle: 'toggle' },
  scene: { on: 'turn_on' },
  button: { on: 'press', toggle: 'press' },
  input_button: { on: 'press', toggle: 'press' },
};

/**
 * Locks and alarm panels are deliberately absent: "off" must never quietly unlock a door.
 * They get their own commands with confirmation.
 */
export function isControllable(domain: string): boolean {
  return domain in CONTROLS;
}

export function serviceFor(domain: string, action: ControlAction): string | undefined {
  return CONTROLS[domain]?.[action];
}

/** The state that shows the action is done, or undefined when only a change can tell. */
export function expectedState(domain: string, action: ControlAction): string | undefined {
  const controls = CONTROLS[domain];
  if (controls === undefined) return undefined;
  if (action === 'on') return controls.onState;
  if (action === 'off') return controls.offState;
  return undefined;
}

export function supportedActions(domain: string): ControlAction[] {
  const controls = CONTROLS[domain];
  if (controls === undefined) return [];
  return (['on', 'off', 'toggle'] as const).filter((a) => controls[a] !== undefined);
}
