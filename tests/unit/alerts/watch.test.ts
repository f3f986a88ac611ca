import { compileWatchList } from '../../../src/alerts/watch.js';

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
