import type { HaStatus } from '../../../src/ha/types.js';
import { Readiness } from '../../../src/health/readiness.js';
import type { Logger } from '../../../src/logging/logger.js';

const HA_URL = 'http://homeassistant:8123';
const connected: HaStatus = {
  kind: 'connected',
  haVersion: '2024.3.3',
  coreState: 'RUNNING',
  restarted: false,
};

function setup() {
  const lines: { level: string; msg: string; fields?: unknown }[] = [];
  const record =
    (level: string) =>
    (a: unknown, b?: string): void => {
      lines.push(typeof a === 'string' ? { level, msg: a } : { level, msg: b ?? '', fields: a });
    };
  const log = { info: record('info'), warn: record('warn') } as unknown as Logger;
  const errors = { ha: undefined as string | undefined, discord: undefined as string | undefined };
  const readiness = new Readiness({
    log,
    haUrl: HA_URL,
    haError: () => errors.ha,
    discordError: () => errors.discord,
    rules: () => 2,
  });
  return { lines, errors, readiness, said: () => lines.map((l) => l.msg) };
}

describe('Readiness', () => {
  it('says nothing extra on a normal start, and bridge ready once both are up', () => {
    const { readiness, lines, said } = setup();
    readiness.haStatus(connected);
    readiness.discordReady({ user: 'HA Bridge', guilds: 1 });
    readiness.haStatus({ kind: 'disconnected', reason: 'connection lost' });
    readiness.haStatus(connected);
    expect(said()).toEqual(['bridge ready']);
    expect(lines[0]!.fields).toEqual({
      milestone: 'bridge.ready',
      user: 'HA Bridge',
      guilds: 1,
      haVersion: '2024.3.3',
      rules: 2,
    });
  });

  it('says what is missing and why, once per change, until both are up', () => {
    const { readiness, errors, said } = setup();
    errors.ha = 'connection refused: connect ECONNREFUSED 10.0.0.2:8123';
    readiness.attemptFailed();
    readiness.attemptFailed();
    readiness.discordReady({ user: 'HA Bridge', guilds: 1 });
    readiness.attemptFailed();
    expect(said()).toEqual([
      `bridge not ready: Home Assistant at ${HA_URL} is unreachable (connection refused: connect ECONNREFUSED 10.0.0.2:8123), retrying; Discord is still logging in`,
      `bridge not ready: Home Assistant at ${HA_URL} is unreachable (connection refused: connect ECONNREFUSED 10.0.0.2:8123), retrying`,
    ]);
    readiness.haStatus(connected);
    expect(said().at(-1)).toBe('bridge ready');
  });

  it('names a rejected HA token and an unreachable Discord', () => {
    const { readiness, said } = setup();
    readiness.haStatus({ kind: 'auth_invalid', message: 'Invalid access token' });
    expect(said()).toEqual([
      `bridge not ready: Home Assistant at ${HA_URL} rejected the access token; put a new token in HA_TOKEN (or HA_TOKEN_FILE) and restart; Discord is still logging in`,
    ]);
    const other = setup();
    other.readiness.haStatus(connected);
    other.errors.discord = 'DNS lookup failed: getaddrinfo EAI_AGAIN discord.com';
    other.readiness.attemptFailed();
    expect(other.said()).toEqual([
      'bridge not ready: Discord is unreachable (DNS lookup failed: getaddrinfo EAI_AGAIN discord.com), retrying',
    ]);
  });
});
