import { compileWatchList, isAlertWorthy } from '../../../src/alerts/watch.js';
import type { EntityState, StateChange } from '../../../src/ha/types.js';

const state = (s: string, extra: Partial<EntityState> = {}): EntityState => ({
  entityId: 'binary_sensor.front_door',
  state: s,
  attributes: {},
  lastChanged: 1,
  lastUpdated: 1,
  contextId: 'c',
  contextParentId: null,
  ...extra,
});

const change = (over: Partial<StateChange> = {}): StateChange => ({
  entityId: 'binary_sensor.front_door',
  kind: 'changed',
  oldState: state('off'),
  newState: state('on'),
  stateChanged: true,
  fromSnapshot: false,
  ...over,
});

describe('compileWatchList', () => {
  const watched = compileWatchList(['binary_sensor.*_door', 'sensor.temp', 'light.lamp_?']);
  it.each([
    ['binary_sensor.front_door', true],
    ['binary_sensor.back_door', true],
    ['binary_sensor.door_sensor', false],
    ['sensor.temp', true],
    ['sensor.temperature', false],
    ['light.lamp_1', true],
    ['light.lamp_12', false],
    ['sensorxtemp', false],
  ])('%s -> %s', (id, expected) => expect(watched(id)).toBe(expected));
});

describe('isAlertWorthy', () => {
  it('alerts on a live state change while HA runs', () => {
    expect(isAlertWorthy(change(), true)).toBe(true);
  });
  it('ignores attribute-only changes', () => {
    expect(isAlertWorthy(change({ stateChanged: false }), true)).toBe(false);
  });
  it('ignores changes while HA is starting', () => {
    expect(isAlertWorthy(change(), false)).toBe(false);
  });
  it('ignores changes found in a reconnect snapshot', () => {
    expect(isAlertWorthy(change({ fromSnapshot: true }), true)).toBe(false);
  });
  it('ignores added and removed entities', () => {
    expect(isAlertWorthy(change({ kind: 'added', oldState: undefined }), true)).toBe(false);
    expect(isAlertWorthy(change({ kind: 'removed', newState: undefined }), true)).toBe(false);
  });
});
