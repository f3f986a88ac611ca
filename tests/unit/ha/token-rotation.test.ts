import { HaError } from '../../../src/ha/errors.js';
import { LoginGuard, memoryLoginGuardStore } from '../../../src/ha/login-guard.js';
import type { Credentials } from '../../../src/ha/socket.js';
import { TokenManager, type TokenHa } from '../../../src/ha/token-rotation.js';
import type { HaStatus } from '../../../src/ha/types.js';
import { createLogger } from '../../../src/logging/logger.js';
import { fakeJwt } from '../../fakes/ha/auth.js';

const DAY_S = 86_400;
const now = Date.parse('2025-01-31T12:00:00Z');
const token = (iss: string, lifespanDays = 3650, ageDays = 0) => {
  const iat = now / 1000 - ageDays * DAY_S;
  return fakeJwt({ iss, iat, exp: iat + lifespanDays * DAY_S });
};

interface Rig {
  tokens: TokenManager;
  sent: { type: string; [key: string]: unknown }[];
  notices: string[];
  file: { content: string };
  switched: string[];
  /** Tokens logged in with once (to reset HA's count of failed logins). */
  checked: string[];
}

/** The token manager with a scripted HA: `answer` decides each command, `accept` each switch. */
function rig(opts: {
  initial: string;
  answer?: (message: { type: string; [key: string]: unknown }) => unknown;
  accept?: (token: string) => boolean;
  write?: (token: string) => void;
}): Rig {
  const sent: Rig['sent'] = [];
  const notices: string[] = [];
  const switched: string[] = [];
  const checked: string[] = [];
  const file = { content: `${opts.initial}\n` };
  const status: HaStatus = {
    kind: 'connected',
    haVersion: 'x',
    coreState: 'RUNNING',
    restarted: false,
  };
  const ha: TokenHa = {
    status,
    onStatus: () => () => undefined,
    retryLogin: () => undefined,
    command: async <T>(message: { type: string; [key: string]: unknown }) => {
      sent.push(message);
      await Promise.resolve();
      return opts.answer?.(message) as T;
    },
    checkToken: (t: string, login: Credentials) => {
      checked.push(t);
      login.accepted(t);
      return Promise.resolve();
    },
    switchToken: (t: string, login: Credentials) => {
      if (opts.accept?.(t) ?? true) {
        login.accepted(t);
        switched.push(t);
        return Promise.resolve();
      }
      login.rejected(t, 'Invalid access token or password');
      return Promise.reject(new HaError('invalid_auth', 'Invalid access token or password'));
    },
  };
  const tokens = new TokenManager({
    initial: opts.initial,
    file: '/secrets/ha_token',
    rotateDays: 30,
    guard: new LoginGuard(memoryLoginGuardStore(), 'http://ha', () => now),
    log: createLogger({ level: 'silent', secrets: [] }),
    notify: (title, text) => notices.push(`${title}: ${text}`),
    readFile: () => file.content,
    writeFile: (_path, t) => {
      opts.write?.(t);
      file.content = `${t}\n`;
    },
    writeProblem: () => undefined,
    watch: () => () => undefined,
    now: () => now,
  });
  tokens.attach(ha);
  return { tokens, sent, notices, file, switched, checked };
}

describe('self-rotation', () => {
  it('creates, writes, switches, and only then deletes the previous token', async () => {
    const old = token('old', 1);
    const fresh = token('fresh', 60);
    const r = rig({
      initial: old,
      answer: (m) => (m.type === 'auth/long_lived_access_token' ? fresh : {}),
    });
    await r.tokens.rotateIfDue();
    expect(r.sent).toEqual([
      {
        type: 'auth/long_lived_access_token',
        client_name: 'ha-discord-bridge 2025-01-31 12:00:00',
        lifespan: 60,
      },
      { type: 'auth/delete_refresh_token', refresh_token_id: 'old' },
    ]);
    expect(r.switched).toEqual([fresh]);
    expect(r.file.content).toBe(`${fresh}\n`);
    expect(r.tokens.current).toBe(fresh);
    expect(r.notices).toEqual([]);
  });

  it('is not due for a young token with a long life', async () => {
    const r = rig({ initial: token('young', 3650, 1) });
    await r.tokens.rotateIfDue();
    expect(r.sent).toEqual([]);
  });

  it('changes nothing when HA will not make a token', async () => {
    const old = token('old', 1);
    const r = rig({
      initial: old,
      answer: () => {
        throw new HaError('unauthorized', 'Unauthorized');
      },
    });
    await r.tokens.rotateIfDue();
    expect(r.notices).toEqual([
      expect.stringMatching(
        /failed while trying to create a new token \(Unauthorized\)\. Nothing was changed\. The bot keeps using the current token/,
      ),
    ]);
    expect(r.tokens.current).toBe(old);
    expect(r.file.content).toBe(`${old}\n`);
  });

  it('deletes the new token again when the file cannot be written', async () => {
    const old = token('old', 1);
    const r = rig({
      initial: old,
      answer: (m) => (m.type === 'auth/long_lived_access_token' ? token('fresh', 60) : {}),
      write: () => {
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      },
    });
    await r.tokens.rotateIfDue();
    expect(r.sent.map((m) => [m.type, m.refresh_token_id])).toEqual([
      ['auth/long_lived_access_token', undefined],
      ['auth/delete_refresh_token', 'fresh'],
    ]);
    expect(r.notices[0]).toMatch(
      /while trying to write it to \/secrets\/ha_token \(EROFS.*\)\. The new token was deleted again\./,
    );
    expect(r.tokens.current).toBe(old);
    expect(r.file.content).toBe(`${old}\n`);
  });

  it('says so when the previous token cannot be deleted; the new one is in use', async () => {
    const old = token('old', 1);
    const fresh = token('fresh', 60);
    const r = rig({
      initial: old,
      answer: (m) => {
        if (m.type === 'auth/long_lived_access_token') return fresh;
        throw new HaError('invalid_token_id', 'Received invalid token');
      },
    });
    await r.tokens.rotateIfDue();
    expect(r.tokens.current).toBe(fresh);
    expect(r.notices).toEqual([
      expect.stringMatching(
        /^Home Assistant token rotation incomplete: .*delete it in Home Assistant/,
      ),
    ]);
  });
});

describe('a new token in the file', () => {
  it('is read once more when HA rejects the token in use', () => {
    const old = token('old');
    expect(rig({ initial: old }).tokens.rejected(old)).toBe(false);
    const r = rig({ initial: old });
    const next = token('next');
    r.file.content = `${next}\n`;
    expect(r.tokens.rejected(old)).toBe(true);
    expect(r.tokens.token()).toEqual({ token: next });
    // The new one rejected too: nothing more to try, and neither is sent again.
    expect(r.tokens.rejected(next)).toBe(false);
    expect(r.tokens.token()).toEqual({
      refused: expect.stringMatching(/already rejected/) as string,
    });
  });

  it('that HA rejects is refused with a notice; the current one stays', async () => {
    const old = token('old');
    const bad = token('bad');
    const r = rig({ initial: old, accept: (t) => t !== bad });
    r.file.content = `${bad}\n`;
    await r.tokens.reread('SIGHUP');
    expect(r.tokens.current).toBe(old);
    // A login with the working token sets HA's count back: rejections never add up.
    expect(r.checked).toEqual([old]);
    expect(r.notices).toEqual([
      expect.stringMatching(
        /^Home Assistant token not changed: Home Assistant rejected the new token in HA_TOKEN_FILE/,
      ),
    ]);
    // Written again: not sent again.
    await r.tokens.reread('SIGHUP');
    expect(r.notices[1]).toMatch(/already rejected/);
  });
});
