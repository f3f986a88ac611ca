import { isoFromMicros, nowMicros } from './clock.js';
import type { FakeState } from './types.js';

/** A service failing the way HA's handlers do: `vol.Invalid` becomes `invalid_format`, etc. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FieldSpec {
  required?: boolean;
  example?: unknown;
  selector?: Record<string, unknown>;
}

export interface StateUpdate {
  state: string;
  /** Merged into the current attributes. */
  attributes?: Record<string, unknown>;
}

type Behaviour = (current: FakeState, data: Record<string, unknown>) => StateUpdate | undefined;

export interface ServiceSpec {
  name: string;
  description: string;
  fields: Record<string, FieldSpec>;
  /** Entity services act on targeted entities of this domain; '*' means any domain. */
  target?: string;
  response?: 'optional' | 'only';
  apply?: Behaviour;
}

const number = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : undefined;

/** Python's `str(float)` for the values HA prints. */
const pyFloat = (value: number): string =>
  Number.isInteger(value) ? value.toFixed(1) : `${value}`;

const on: Behaviour = () => ({ state: 'on' });
const off: Behaviour = () => ({ state: 'off' });
const toggle: Behaviour = (current) => ({ state: current.state === 'on' ? 'off' : 'on' });
const stamp: Behaviour = () => ({ state: isoFromMicros(nowMicros()) });

const lightOn: Behaviour = (_current, data) => {
  const brightness =
    number(data.brightness) ??
    (data.brightness_pct === undefined
      ? undefined
      : Math.round((255 * number(data.brightness_pct)!) / 100));
  return { state: 'on', attributes: brightness === undefined ? {} : { brightness } };
};
const lightOff: Behaviour = (current) => ({
  state: 'off',
  attributes: 'brightness' in current.attributes ? { brightness: null } : {},
});

const setNumber = (current: FakeState, value: number): StateUpdate => {
  const min = number(current.attributes.min) ?? 0;
  const max = number(current.attributes.max) ?? 100;
  if (Number.isNaN(value) || value < min || value > max) {
    throw new ServiceError(
      'invalid_format',
      `Invalid value for ${current.entity_id}: ${pyFloat(value)} (range ${pyFloat(min)} - ${pyFloat(max)})`,
    );
  }
  return { state: pyFloat(value) };
};
const step = (current: FakeState, sign: 1 | -1): StateUpdate | undefined => {
  const value = Number(current.state) + sign * (number(current.attributes.step) ?? 1);
  const min = number(current.attributes.min) ?? 0;
  const max = number(current.attributes.max) ?? 100;
  return value < min || value > max ? undefined : { state: pyFloat(value) };
};

const service = (
  name: string,
  target: string | undefined,
  apply?: Behaviour,
  fields: Record<string, FieldSpec> = {},
): ServiceSpec => ({ name, description: `${name}.`, fields, target, apply });

/** Turn on / off / toggle, the services every switch-like domain has. */
function switchable(domain: string, onFields: Record<string, FieldSpec> = {}) {
  return {
    turn_on: service('Turn on', domain, on, onFields),
    turn_off: service('Turn off', domain, off),
    toggle: service('Toggle', domain, toggle),
  };
}

const brightnessFields: Record<string, FieldSpec> = {
  brightness: { selector: { number: { min: 0, max: 255 } } },
  brightness_pct: { selector: { number: { min: 0, max: 100, unit_of_measurement: '%' } } },
  transition: { selector: { number: { min: 0, max: 300, unit_of_measurement: 'seconds' } } },
};

/** Services the fake knows, described as get_services describes them. Add a domain here. */
export const SERVICES: Record<string, Record<string, ServiceSpec>> = {
  homeassistant: {
    turn_on: service('Generic turn on', '*'),
    turn_off: service('Generic turn off', '*'),
    toggle: service('Generic toggle', '*'),
    update_entity: service('Update entity', '*'),
    check_config: service('Check configuration', undefined),
    reload_core_config: service('Reload core configuration', undefined),
  },
  light: {
    turn_on: service('Turn on', 'light', lightOn, brightnessFields),
    turn_off: service('Turn off', 'light', lightOff, { transition: {} }),
    toggle: service('Toggle', 'light', (current, data) =>
      current.state === 'on' ? lightOff(current, data) : lightOn(current, data),
    ),
  },
  switch: switchable('switch'),
  input_boolean: { ...switchable('input_boolean'), reload: service('Reload', undefined) },
  fan: switchable('fan', { percentage: { selector: { number: { min: 0, max: 100 } } } }),
  lock: {
    lock: service('Lock', 'lock', () => ({ state: 'locked' }), { code: {} }),
    unlock: service('Unlock', 'lock', () => ({ state: 'unlocked' }), { code: {} }),
    open: service('Open', 'lock', () => ({ state: 'open' }), { code: {} }),
  },
  alarm_control_panel: {
    alarm_disarm: service('Disarm', 'alarm_control_panel', () => ({ state: 'disarmed' }), {
      code: {},
    }),
    alarm_arm_home: service('Arm home', 'alarm_control_panel', () => ({ state: 'armed_home' }), {
      code: {},
    }),
    alarm_arm_away: service('Arm away', 'alarm_control_panel', () => ({ state: 'armed_away' }), {
      code: {},
    }),
    alarm_arm_night: service('Arm night', 'alarm_control_panel', () => ({ state: 'armed_night' }), {
      code: {},
    }),
    alarm_arm_vacation: service(
      'Arm vacation',
      'alarm_control_panel',
      () => ({ state: 'armed_vacation' }),
      { code: {} },
    ),
  },
  logbook: {
    log: service('Log', undefined, undefined, {
      name: { required: true },
      message: { required: true },
      entity_id: {},
      domain: {},
    }),
  },
  cover: {
    open_cover: service('Open', 'cover', () => ({ state: 'open' })),
    close_cover: service('Close', 'cover', () => ({ state: 'closed' })),
    stop_cover: service('Stop', 'cover'),
    toggle: service('Toggle', 'cover', (current) => ({
      state: current.state === 'closed' ? 'open' : 'closed',
    })),
    set_cover_position: service(
      'Set position',
      'cover',
      (_current, data) => {
        const position = number(data.position) ?? 0;
        return {
          state: position > 0 ? 'open' : 'closed',
          attributes: { current_position: position },
        };
      },
      { position: { required: true, selector: { number: { min: 0, max: 100 } } } },
    ),
  },
  input_number: {
    set_value: service(
      'Set',
      'input_number',
      (current, data) => setNumber(current, number(data.value) ?? NaN),
      { value: { required: true, selector: { text: null } } },
    ),
    increment: service('Increment', 'input_number', (current) => step(current, 1)),
    decrement: service('Decrement', 'input_number', (current) => step(current, -1)),
    reload: service('Reload', undefined),
  },
  script: {
    turn_on: service('Turn on', 'script'),
    turn_off: service('Turn off', 'script'),
    toggle: service('Toggle', 'script'),
    reload: service('Reload', undefined),
  },
  scene: {
    turn_on: service('Activate', 'scene', stamp, { transition: {} }),
    reload: service('Reload', undefined),
  },
  button: { press: service('Press', 'button', stamp) },
  persistent_notification: {
    create: service('Create', undefined, undefined, {
      message: { required: true },
      title: {},
      notification_id: {},
    }),
    dismiss: service('Dismiss', undefined, undefined, { notification_id: { required: true } }),
  },
};

/** HA registers one service per script (`script.<object_id>`) besides the generic ones. */
export function findService(
  domain: string,
  name: string,
  states: ReadonlyMap<string, FakeState>,
): ServiceSpec | undefined {
  const spec = SERVICES[domain]?.[name];
  if (spec !== undefined) return spec;
  if (domain === 'script' && states.has(`script.${name}`)) {
    return { ...service(name, undefined), response: 'optional' };
  }
  return undefined;
}

/** get_services: `{domain: {service: {name, description, fields, target?, response?}}}`. */
export function describeServices(
  states: ReadonlyMap<string, FakeState>,
): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  const describe = (spec: ServiceSpec) => ({
    name: spec.name,
    description: spec.description,
    fields: spec.fields,
    ...(spec.target === undefined
      ? {}
      : { target: { entity: [spec.target === '*' ? {} : { domain: [spec.target] }] } }),
    ...(spec.response === undefined
      ? {}
      : { response: { optional: spec.response === 'optional' } }),
  });
  for (const [domain, services] of Object.entries(SERVICES)) {
    result[domain] = Object.fromEntries(
      Object.entries(services).map(([name, spec]) => [name, describe(spec)]),
    );
  }
  for (const entityId of states.keys()) {
    const [domain, objectId] = entityId.split('.');
    if (domain === 'script' && objectId !== undefined) {
      result.script![objectId] = describe(findService('script', objectId, states)!);
    }
  }
  return result;
}

/** Checks a service's required fields the way its voluptuous schema would. */
export function checkFields(spec: ServiceSpec, data: Record<string, unknown>): void {
  for (const [field, fieldSpec] of Object.entries(spec.fields)) {
    if (fieldSpec.required === true && !(field in data)) {
      throw new ServiceError('invalid_format', `required key not provided @ data['${field}']`);
    }
  }
}
