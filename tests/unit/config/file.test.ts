import { loadConfigFile } from '../../../src/config/file.js';

const load = (text: string) => loadConfigFile('/etc/bridge.yaml', () => text);

describe('loadConfigFile', () => {
  it('reads rules with defaults and durations', () => {
    const r = load(`
alerts:
  rules:
    - name: doors
      device_classes: [door]
      to: "on"
      for: 30s
      mention: { roles: ["123456789012345678"] }
      severity: warning
`);
    expect(r.ok && r.file.alerts.rules[0]).toMatchObject({
      name: 'doors',
      to: ['on'],
      for: 30_000,
      cooldown: 0,
      severity: 'warning',
      mention: { roles: ['123456789012345678'], users: [] },
    });
  });

  it('lists every problem with its line number', () => {
    const r = load(`alerts:
  rules:
    - name: a
      entities: [sensor.temp]
      above: hot
    - name: a
      severity: loud
      colour: red
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    expect(text).toContain('/etc/bridge.yaml:5: alerts.rules.0.above');
    expect(text).toMatch(/bridge\.yaml:7: alerts\.rules\.1\.severity/);
    expect(text).toMatch(/colour/);
    expect(text).toMatch(/needs at least one of entities/);
  });

  it('reports YAML syntax errors with a line', () => {
    const r = load('alerts:\n  rules: [\n    - oops: : :\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatch(/^\/etc\/bridge\.yaml:\d+: /);
  });

  it('says when the file cannot be read', () => {
    const r = loadConfigFile('/missing.yaml', () => {
      throw Object.assign(new Error('x'), { code: 'ENOENT' });
    });
    expect(r).toEqual({ ok: false, problems: ['CONFIG_FILE: cannot read /missing.yaml (ENOENT)'] });
  });
});

describe('bridge.example.yaml', () => {
  it('is a valid config file, so the documented example keeps working', () => {
    const r = loadConfigFile('bridge.example.yaml');
    expect(r.ok ? [] : r.problems).toEqual([]);
    expect(r.ok && r.file.access?.deny[0]?.except_roles).toEqual(['Door Keeper']);
  });
});
