import { durationForms, parseDuration } from '../../../src/time/duration.js';
import { loadConfigFile } from '../../../src/config/file.js';
import { loadConfig } from '../../../src/config/load.js';
import { ConfirmSchema } from '../../../src/policy/schema.js';

const ms = (value: unknown, opts?: Parameters<typeof parseDuration>[1]) => {
  const r = parseDuration(value, opts);
  return r.ok ? r.ms : r.problem;
};

describe('parseDuration', () => {
  it("reads Home Assistant's HH:MM, HH:MM:SS and HH:MM:SS.F", () => {
    expect(ms('00:10:00')).toBe(600_000);
    expect(ms('0:10')).toBe(600_000);
    expect(ms('01:30')).toBe(5_400_000);
    expect(ms('00:00:02.5')).toBe(2500);
    expect(ms('+00:01:00')).toBe(60_000);
    // HA takes minutes and seconds past 59, as timedelta does.
    expect(ms('00:90:00')).toBe(5_400_000);
  });

  it('reads a number of seconds, as a number or as text', () => {
    expect(ms(600)).toBe(600_000);
    expect(ms('600')).toBe(600_000);
    expect(ms(2.5)).toBe(2500);
    expect(ms(0)).toBe(0);
  });

  it("reads HA's map form with days, hours, minutes, seconds and milliseconds", () => {
    expect(ms({ minutes: 10 })).toBe(600_000);
    expect(ms({ hours: 1, minutes: 30 })).toBe(5_400_000);
    expect(ms({ days: 1, seconds: '30' })).toBe(86_430_000);
    expect(ms({ milliseconds: 250 })).toBe(250);
  });

  it('reads the short forms, compound ones and unit words', () => {
    expect(ms('30s')).toBe(30_000);
    expect(ms('5m')).toBe(300_000);
    expect(ms('250ms')).toBe(250);
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('1d 12h')).toBe(129_600_000);
    expect(ms('1.5h')).toBe(5_400_000);
    expect(ms('2 hours')).toBe(7_200_000);
    expect(ms(' 10 MIN ')).toBe(600_000);
  });

  it('counts a bare number in milliseconds where the setting says so', () => {
    const opts = { bareNumber: 'milliseconds' as const };
    expect(ms('5000', opts)).toBe(5000);
    expect(ms(5000, opts)).toBe(5000);
    expect(ms('5s', opts)).toBe(5000);
    expect(ms('00:00:05', opts)).toBe(5000);
  });

  it('refuses anything else, naming the accepted forms', () => {
    for (const bad of ['soon', '1h30', '10 parsecs', '1:2:3:4', '', 'h', '1e3', true, null, []]) {
      expect(ms(bad)).toBe(`is not a duration: write it like ${durationForms()}`);
    }
    expect(durationForms()).toBe(
      '30s, 10m, 1h30m, 2d, 250ms, 00:10:00 (HH:MM:SS), 600 (a number of seconds) or {minutes: 10}',
    );
    expect(ms({ minutes: 10, colour: 'red' })).toMatch(
      /^is not a duration: as a map it takes days, hours, minutes, seconds or milliseconds \(not colour\)/,
    );
    expect(ms({})).toMatch(/^is not a duration: as a map/);
    expect(ms({ minutes: 'ten' })).toBe('minutes must be a number');
    // Where text is all a person can type, the map form is not offered.
    expect(ms({ minutes: 10 }, { objectForm: false })).not.toContain('{minutes');
    expect(ms('x', { objectForm: false })).not.toContain('{minutes');
    // A key inherited from Object.prototype is not a unit.
    expect(ms('1constructor')).toMatch(/^is not a duration/);
    expect(ms({ toString: 1 })).toMatch(/\(not toString\)/);
  });

  it('refuses negative, zero where it must be longer, and too long', () => {
    expect(ms('-00:10:00')).toBe('must not be negative');
    expect(ms(-5)).toBe('must not be negative');
    expect(ms({ minutes: -1 })).toBe('must not be negative');
    expect(ms('0s', { allowZero: false })).toBe('must be longer than 0');
    expect(ms('400d')).toBe('must be at most 365 days');
    expect(ms('9'.repeat(60))).toBe('must be at most 365 days');
    expect(ms('31d', { max: { ms: 30 * 86_400_000, text: '30 days' } })).toBe(
      'must be at most 30 days',
    );
  });

  it('refuses absurdly long text before parsing it', () => {
    expect(ms('1s'.repeat(32))).toBe(32_000); // 64 characters
    expect(ms('1s'.repeat(32) + ' ')).toMatch(/^is too long for a duration \(over 64 characters\)/);
    expect(ms('x'.repeat(100_000))).toMatch(/^is too long for a duration/);
  });
});

describe('durations where they are written', () => {
  const rule = (line: string) => {
    const r = loadConfigFile('/etc/bridge.yaml', () =>
      [
        'alerts:',
        '  rules:',
        '    - name: doors',
        '      entities: [binary_sensor.door]',
        line,
      ].join('\n'),
    );
    return r.ok ? r.file.alerts.rules[0] : r.problems;
  };

  it("reads a rule's for and cooldown in HA's forms, quoted or not", () => {
    expect(rule('      for: 00:10:00')).toMatchObject({ for: 600_000 });
    expect(rule("      for: '00:10:00'")).toMatchObject({ for: 600_000 });
    expect(rule('      for: { minutes: 10 }')).toMatchObject({ for: 600_000 });
    expect(rule('      for:\n        hours: 1\n        minutes: 30')).toMatchObject({
      for: 5_400_000,
    });
    expect(rule('      for: 1h30m')).toMatchObject({ for: 5_400_000 });
    expect(rule('      cooldown: 600')).toMatchObject({ cooldown: 600_000 });
    expect(rule('      for: soon')).toEqual([
      expect.stringMatching(
        /^\/etc\/bridge\.yaml:5: alerts\.rules\.0\.for: is not a duration: write it like 30s, .*00:10:00/,
      ),
    ]);
  });

  it('reads the confirm timeout, at most the 15 minutes a reply can be edited', () => {
    expect(ConfirmSchema.parse({ timeout: '00:01:00' }).timeout).toBe(60_000);
    expect(ConfirmSchema.parse({ timeout: { seconds: 45 } }).timeout).toBe(45_000);
    expect(ConfirmSchema.safeParse({ timeout: '1h' }).error?.issues[0]?.message).toMatch(
      /^must be at most 15 minutes/,
    );
  });

  const env = {
    DISCORD_TOKEN: 'discord-token-123456',
    HA_URL: 'http://homeassistant.local:8123',
    HA_TOKEN: 'ha-token-abcdefgh',
  };

  it('reads OUTBOX_MAX_AGE and the *_MS settings with the same parser', () => {
    const r = loadConfig({
      ...env,
      OUTBOX_MAX_AGE: '12:00:00',
      HA_PING_INTERVAL_MS: '30s',
      HA_PING_TIMEOUT_MS: '2500',
      HA_STATE_WAIT_MS: '',
    });
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(r.config.alerts.outbox.maxAgeMs).toBe(43_200_000);
    expect(r.config.ha.pingIntervalMs).toBe(30_000);
    expect(r.config.ha.pingTimeoutMs).toBe(2500);
    expect(r.config.ha.stateWaitMs).toBe(5000);
  });

  it('names the setting and the accepted forms when one is wrong', () => {
    const r = loadConfig({
      ...env,
      OUTBOX_MAX_AGE: 'a day',
      HA_PING_INTERVAL_MS: '2h',
      HA_STATE_WAIT_MS: '0',
    });
    expect(!r.ok && r.problems).toEqual([
      'HA_PING_INTERVAL_MS: must be at most 1 hour',
      'HA_STATE_WAIT_MS: must be longer than 0',
      'OUTBOX_MAX_AGE: is not a duration: write it like 30s, 10m, 1h30m, 2d, 250ms, 00:10:00 (HH:MM:SS) or 600 (a number of seconds)',
    ]);
  });
});
