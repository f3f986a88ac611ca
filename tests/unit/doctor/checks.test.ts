import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  interpretHaApi,
  interpretWebsocket,
  type HaTarget,
} from '../../../src/doctor/ha-checks.js';
import { formatReport, hasFailures } from '../../../src/doctor/report.js';
import { runDoctor } from '../../../src/doctor/run.js';
import type { HttpOutcome } from '../../../src/doctor/types.js';
import { fixedFakeToken } from '../../fakes/ha/auth.js';

const TOKEN = fixedFakeToken('doctor');

const ha: HaTarget = {
  url: 'http://ha:8123',
  websocketUrl: 'ws://ha:8123/api/websocket',
  token: 't',
  viaSupervisor: false,
};
const response = (status: number, body: unknown = {}): HttpOutcome => ({
  kind: 'response',
  status,
  body,
});

describe("the doctor's Home Assistant checks", () => {
  it('accepts HA answering "API running."', () => {
    expect(interpretHaApi(ha, response(200, { message: 'API running.' })).status).toBe('ok');
    expect(interpretHaApi(ha, response(200, '<html>')).status).toBe('warn');
  });

  it("explains a 401 with the causes from HA's token guide", () => {
    const result = interpretHaApi(ha, response(401, '401: Unauthorized'));
    expect(result.status).toBe('fail');
    const text = result.details!.join('\n');
    expect(text).toMatch(/copied incompletely/);
    expect(text).toMatch(/revoked|expired/);
    expect(text).toMatch(/different Home Assistant instance/);
  });

  it('explains a 401 through the Supervisor as the add-on missing homeassistant_api', () => {
    const result = interpretHaApi({ ...ha, viaSupervisor: true }, response(401));
    expect(result.details!.join('\n')).toContain('homeassistant_api: true');
  });

  it('explains a 403 before login as a banned address (or a proxy, or missing permission)', () => {
    const result = interpretHaApi(ha, response(403, '403: Forbidden'));
    expect(result.summary).toBe('403: Home Assistant refuses this address (banned?)');
    const text = result.details!.join('\n');
    expect(text).toMatch(/banned it after failed logins/);
    expect(text).toMatch(/ip_bans\.yaml/);
    expect(text).toMatch(/lacks permission/);
  });

  it('says HA banned the address when the websocket upgrade answers 403', () => {
    const result = interpretWebsocket(ha, { kind: 'banned' });
    expect(result.status).toBe('fail');
    expect(result.details!.join('\n')).toMatch(/ip_bans\.yaml/);
  });

  it('says what an unreachable or wrong address means', () => {
    const refused = interpretHaApi(ha, { kind: 'network', code: 'ECONNREFUSED', message: '' });
    expect(refused.details![0]).toMatch(/not running there, or the port is wrong/);
    const unknownHost = interpretHaApi(ha, { kind: 'network', code: 'ENOTFOUND', message: '' });
    expect(unknownHost.details!.join(' ')).toMatch(/\.local names/);
    expect(interpretHaApi(ha, response(404)).summary).toMatch(/no Home Assistant API/);
  });

  it('reports the websocket login with HA version and state', () => {
    expect(
      interpretWebsocket(ha, { kind: 'ok', haVersion: '2024.3.3', coreState: 'RUNNING' }),
    ).toMatchObject({ status: 'ok', summary: 'logged in: Home Assistant 2024.3.3, RUNNING' });
    expect(
      interpretWebsocket(ha, { kind: 'ok', haVersion: '2024.3.3', coreState: 'NOT_RUNNING' })
        .status,
    ).toBe('warn');
    expect(interpretWebsocket(ha, { kind: 'auth_invalid', message: 'Invalid access' }).status).toBe(
      'fail',
    );
  });
});

describe('runDoctor', () => {
  const noNetwork = {
    get: () => Promise.reject(new Error('no network in this test')),
    probeWebsocket: () => Promise.reject(new Error('no network in this test')),
  };

  it('lists every settings problem and checks nothing else until they are fixed', async () => {
    const results = await runDoctor({ HA_URL: 'nope' }, noNetwork);
    expect(results[0]).toMatchObject({ name: 'Configuration', status: 'fail' });
    expect(results[0]!.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DISCORD_TOKEN:/),
        expect.stringMatching(/^HA_URL:/),
      ]),
    );
    expect(results.slice(1).every((r) => r.status === 'skip')).toBe(true);
    expect(hasFailures(results)).toBe(true);
  });

  it('shows HA_TOKEN and HA_TOKEN_FILE set together as a settings problem', async () => {
    const results = await runDoctor(
      {
        DISCORD_TOKEN: 'discord-token-123456',
        HA_URL: 'http://ha:8123',
        HA_TOKEN: 'ha-token-abcdefgh',
        HA_TOKEN_FILE: '/run/secrets/ha_token',
      },
      noNetwork,
    );
    expect(results[0]).toMatchObject({ name: 'Configuration', status: 'fail' });
    expect(results[0]!.details).toContainEqual(
      expect.stringMatching(/^HA_TOKEN: set together with HA_TOKEN_FILE: set only one/),
    );
  });

  it('does not try the websocket with a token REST already rejected', async () => {
    let probes = 0;
    const results = await runDoctor(
      {
        DISCORD_TOKEN: 'discord-token-123456',
        HA_URL: 'http://ha:8123',
        HA_TOKEN: TOKEN,
        DATA_DIR: '/data',
      },
      {
        get: () => Promise.resolve(response(401)),
        probeWebsocket: () => {
          probes++;
          return Promise.resolve({ kind: 'auth_invalid', message: 'x' });
        },
        checkWritable: () => undefined,
      },
    );
    expect(probes).toBe(0);
    expect(results.find((r) => r.name === 'Home Assistant websocket')?.status).toBe('skip');
    expect(results.find((r) => r.name === 'Discord bot token')?.status).toBe('fail');
  });

  it('masks a token read from HA_TOKEN_FILE when an error echoes it', async () => {
    const token = fixedFakeToken('file');
    const path = join(mkdtempSync(join(tmpdir(), 'hdb-doctor-')), 'ha_token');
    writeFileSync(path, `${token}\n`);
    const results = await runDoctor(
      { DISCORD_TOKEN: 'discord-token-123456', HA_URL: 'http://ha:8123', HA_TOKEN_FILE: path },
      {
        get: (_url, headers) =>
          Promise.resolve({
            kind: 'network',
            code: 'UNKNOWN',
            message: `invalid header value ${headers.Authorization ?? headers.authorization}`,
          }),
        probeWebsocket: () => Promise.resolve({ kind: 'unreachable', reason: token }),
        checkWritable: () => undefined,
      },
    );
    const report = formatReport(results, '0.0.0');
    expect(report).toContain('invalid header value');
    expect(report).not.toContain(token);
  });

  it('reports a data directory the bot cannot write', async () => {
    const results = await runDoctor(
      { DISCORD_TOKEN: 'discord-token-123456', HA_URL: 'http://ha', HA_TOKEN: 'ha-token-abcdefgh' },
      {
        get: () => Promise.resolve(response(500)),
        probeWebsocket: () => Promise.resolve({ kind: 'unreachable', reason: 'x' }),
        checkWritable: () => {
          throw Object.assign(new Error('denied'), { code: 'EACCES' });
        },
      },
    );
    const dir = results.find((r) => r.name === 'Data directory')!;
    expect(dir).toMatchObject({ status: 'fail', summary: './data is not writable (EACCES)' });
    expect(dir.details!.join(' ')).toMatch(/uid 1000/);
  });
});

describe('formatReport', () => {
  it('prints one aligned line a check, details indented, and a verdict', () => {
    const text = formatReport(
      [
        { name: 'Configuration', status: 'ok', summary: 'valid' },
        { name: 'HA', status: 'fail', summary: '401', details: ['cause one', 'fix'] },
        { name: 'Discord server', status: 'warn', summary: 'global' },
      ],
      '0.1.0',
    );
    expect(text).toBe(
      [
        'ha-discord-bridge 0.1.0 doctor',
        '',
        '[ ok ] Configuration   valid',
        '[FAIL] HA              401',
        '         cause one',
        '         fix',
        '[warn] Discord server  global',
        '',
        '1 check failed.',
        '',
      ].join('\n'),
    );
    expect(formatReport([{ name: 'A', status: 'warn', summary: 'w' }], '1')).toContain(
      'All checks passed (1 warning).',
    );
  });
});
