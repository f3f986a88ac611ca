import { parseData } from '../../../src/commands/call.js';
import { matchServices, ServiceDirectory, type ServiceInfo } from '../../../src/ha/services.js';

const raw = {
  light: {
    turn_on: {
      name: 'Turn on',
      fields: { brightness_pct: { example: 50 }, transition: {} },
      target: { entity: [{ domain: ['light'] }] },
    },
    turn_off: { name: 'Turn off', fields: {}, target: { entity: [{ domain: ['light'] }] } },
  },
  input_number: {
    set_value: {
      name: 'Set',
      fields: { value: { required: true, example: 42 } },
      target: { entity: [{}] },
    },
  },
  weather: { get_forecasts: { name: 'Get forecasts', fields: {}, response: { optional: false } } },
  script: { morning: { name: 'morning', fields: {}, response: { optional: true } } },
};

function directory(now: () => number = Date.now) {
  let loads = 0;
  let fail = false;
  const dir = new ServiceDirectory(
    {
      command: <T>() => {
        loads++;
        return fail ? Promise.reject(new Error('down')) : Promise.resolve(raw as T);
      },
    },
    60_000,
    now,
  );
  return {
    dir,
    loads: () => loads,
    failNext: () => {
      fail = true;
    },
  };
}

describe('the service directory', () => {
  it('reads get_services: fields, targets and whether it answers', async () => {
    const { dir } = directory();
    const on = (await dir.get('light.turn_on'))!;
    expect(on.fields).toEqual([
      { key: 'brightness_pct', required: false, example: 50 },
      { key: 'transition', required: false, example: undefined },
    ]);
    expect(on.target).toEqual({ domains: ['light'] });
    expect((await dir.get('input_number.set_value'))!.target).toEqual({ domains: [] });
    expect((await dir.get('weather.get_forecasts'))!.response).toBe('only');
    expect((await dir.get('script.morning'))!.response).toBe('optional');
    expect((await dir.get('script.morning'))!.target).toBeUndefined();
  });

  it('loads once a minute, and keeps the old list when HA is away', async () => {
    let now = 0;
    const { dir, loads, failNext } = directory(() => now);
    await Promise.all([dir.list(), dir.list()]);
    expect(loads()).toBe(1);
    now = 61_000;
    failNext();
    expect((await dir.list()).length).toBe(5);
    expect(loads()).toBe(2);
  });

  it('matches every word typed, id prefixes first', async () => {
    const list = await directory().dir.list();
    expect(matchServices(list, 'light.turn', 5).map((s) => s.id)).toEqual([
      'light.turn_off',
      'light.turn_on',
    ]);
    expect(matchServices(list, 'on light', 5).map((s) => s.id)).toEqual(['light.turn_on']);
    expect(matchServices(list, '', 2)).toHaveLength(2);
  });
});

describe('the data option', () => {
  let setValue: ServiceInfo;
  let turnOn: ServiceInfo;
  beforeAll(async () => {
    const { dir } = directory();
    setValue = (await dir.get('input_number.set_value'))!;
    turnOn = (await dir.get('light.turn_on'))!;
  });

  it('takes a JSON object with the required fields', () => {
    expect(parseData('{"value": 3}', setValue)).toEqual({ ok: true, data: { value: 3 } });
    expect(parseData(null, turnOn)).toEqual({ ok: true });
  });

  it('says what is wrong, with the fields as a hint', () => {
    const missing = parseData(null, setValue);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.problem).toContain('needs `value`');
    expect(!missing.ok && missing.problem).toContain('`value` (required) e.g. 42');
    for (const bad of ['[1,2]', '"text"', 'null', '{"a":'])
      expect(parseData(bad, turnOn).ok).toBe(false);
  });

  it('refuses targets smuggled in data, where the policy would not see them', () => {
    for (const key of ['entity_id', 'area_id', 'device_id']) {
      const r = parseData(JSON.stringify({ [key]: 'x' }), turnOn);
      expect(!r.ok && r.problem).toContain('target option');
    }
  });
});
