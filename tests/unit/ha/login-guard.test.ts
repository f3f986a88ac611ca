import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LoginGuard,
  MAX_FAILED_LOGINS,
  memoryLoginGuardStore,
  type LoginGuardStore,
} from '../../../src/ha/login-guard.js';
import { openDatabase, type Db } from '../../../src/storage/database.js';
import { sqliteLoginGuardStore } from '../../../src/storage/token-guard.js';
import { fakeJwt, fixedFakeToken } from '../../fakes/ha/auth.js';

const URL = 'http://ha:8123';
const now = Date.parse('2025-01-31T12:00:00Z');
const good = fixedFakeToken('good');
const bad = [fixedFakeToken('bad-1'), fixedFakeToken('bad-2'), fixedFakeToken('bad-3')] as const;

const reason = (guard: LoginGuard, token: string): string => {
  const admission = guard.admit(token);
  return admission.ok ? 'ok' : admission.reason;
};

describe.each<[string, () => LoginGuardStore]>([
  ['in memory', memoryLoginGuardStore],
  ['in SQLite', () => sqliteLoginGuardStore(openDatabase(':memory:'))],
])('LoginGuard %s', (_name, makeStore) => {
  let store: LoginGuardStore;
  let guard: LoginGuard;
  beforeEach(() => {
    store = makeStore();
    guard = new LoginGuard(store, URL, () => now);
  });

  it('lets a well-formed, unexpired, never rejected token be sent', () => {
    expect(guard.admit(good)).toEqual({ ok: true });
  });

  it('keeps back a token that cannot be one, or has expired, without a word of it', () => {
    const truncated = good.slice(0, 60);
    expect(reason(guard, truncated)).toMatch(/looks truncated.*Nothing was sent to Home Assistant/);
    expect(reason(guard, truncated)).not.toContain(truncated);
    const iat = now / 1000 - 10 * 86_400;
    const expired = fakeJwt({ iss: 'x', iat, exp: iat + 86_400 });
    expect(reason(guard, expired)).toMatch(/expired on 2025-01-22.*it was not sent/);
  });

  it('never sends a token HA rejected again, and says what to do', () => {
    guard.rejected(bad[0], 'bot');
    const text = reason(guard, bad[0]);
    expect(text).toMatch(/already rejected \(on 2025-01-31, when the bot logged in\)/);
    expect(text).toMatch(/login_attempts_threshold/);
    expect(text).toMatch(/a changed token is tried at once/);
    expect(text).toMatch(/npm run doctor -- --retry-token/);
    expect(text).not.toContain(bad[0]);
    // Another HA (a corrected HA_URL) may be given the same token.
    expect(new LoginGuard(store, 'http://other:8123', () => now).admit(bad[0])).toEqual({
      ok: true,
    });
  });

  it(`stops after ${MAX_FAILED_LOGINS} failed logins in a row, until a login succeeds`, () => {
    guard.rejected(bad[0], 'bot');
    expect(guard.admit(bad[1])).toEqual({ ok: true });
    guard.rejected(bad[1], 'doctor');
    expect(reason(guard, bad[2])).toMatch(
      /rejected 2 tokens in a row .* sends no further token until you confirm/,
    );
    expect(reason(guard, good)).toMatch(/rejected 2 tokens in a row/);
    // A successful login (HA then forgets the failures too) opens the way again.
    guard.accepted(good);
    expect(guard.admit(bad[2])).toEqual({ ok: true });
    expect(reason(guard, bad[0])).toMatch(/already rejected/);
  });

  it("lets a token HA accepted before log in past the bound (that resets HA's count)", () => {
    guard.accepted(good);
    guard.rejected(bad[0], 'bot');
    guard.rejected(bad[1], 'bot');
    expect(reason(guard, bad[2])).toMatch(/rejected 2 tokens in a row/);
    expect(guard.admit(good)).toEqual({ ok: true });
    // Until HA rejects it too: then it is never sent again either.
    guard.rejected(good, 'bot');
    expect(reason(guard, good)).toMatch(/already rejected/);
  });

  it('forgets rejections and failures when a person vouches for the token (--retry-token)', () => {
    guard.rejected(bad[0], 'bot');
    guard.rejected(bad[1], 'bot');
    guard.forget();
    expect(guard.admit(bad[0])).toEqual({ ok: true });
    expect(guard.admit(good)).toEqual({ ok: true });
  });
});

describe('LoginGuard in DATA_DIR', () => {
  it('remembers across restarts and between the bot and the doctor, keeping no token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-guard-'));
    const open = (): [Db, LoginGuard] => {
      const db = openDatabase(dir);
      return [db, new LoginGuard(sqliteLoginGuardStore(db), URL, () => now)];
    };
    const [bot, botGuard] = open();
    botGuard.rejected(bad[0], 'bot');
    bot.close();
    const [doctor, doctorGuard] = open();
    expect(reason(doctorGuard, bad[0])).toMatch(/already rejected/);
    doctorGuard.rejected(bad[1], 'doctor');
    const rows = JSON.stringify(doctor.prepare('SELECT * FROM rejected_tokens').all());
    for (const token of bad) expect(rows).not.toContain(token.split('.')[2]);
    doctor.close();
    const [again, guard] = open();
    expect(reason(guard, good)).toMatch(/rejected 2 tokens in a row/);
    again.close();
  });
});
