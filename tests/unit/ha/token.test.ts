import {
  daysFromNow,
  inspectToken,
  isExpired,
  lifespanDays,
  tokenFingerprint,
} from '../../../src/ha/token.js';
import { fakeJwt } from '../../fakes/ha/auth.js';

const DAY = 86_400_000;
const iat = Date.parse('2025-01-01T00:00:00Z') / 1000;
const token = fakeJwt({ iss: 'a'.repeat(32), iat, exp: iat + 3650 * 86_400 });
const [head, body, signature] = token.split('.') as [string, string, string];

describe('inspectToken', () => {
  it("reads an HA token's refresh token id, issue and expiry times without the key", () => {
    const shape = inspectToken(token);
    expect(shape).toEqual({
      ok: true,
      claims: {
        refreshTokenId: 'a'.repeat(32),
        issuedAt: iat * 1000,
        expiresAt: (iat + 3650 * 86_400) * 1000,
      },
    });
    if (shape.ok) expect(lifespanDays(shape.claims)).toBe(3650);
  });

  it.each([
    [
      'a token cut after its payload',
      `${head}.${body}`,
      /looks truncated: it has 2 parts .* has 3/,
    ],
    ['the header alone', head, /looks truncated: it has 1 part /],
    ['an extra part', `${token}.x`, /looks truncated: it has 4 parts/],
    [
      'a signature cut short',
      `${head}.${body}.${signature.slice(0, 30)}`,
      /signature has 30 characters where Home Assistant's have 43/,
    ],
    ['a damaged header', `x${head.slice(1)}.${body}.${signature}`, /first part/],
    ['a damaged payload', `${head}.!!${body}.${signature}`, /second part/],
    ['an empty signature', `${head}.${body}.`, /third part/],
    ['a "Bearer " prefix', `Bearer ${token}`, /starts with "Bearer "/],
    ['quotes', `"${token}"`, /is in quotes/],
    ['a line break inside', `${token.slice(0, 50)}\n${token.slice(50)}`, /space or a line break/],
    ['nothing', '', /is empty/],
    ['not a JWT at all', 'ha-long-lived-token-0123456789abcdef', /looks truncated: it has 1 part/],
  ])('names %s, without quoting the token', (_what, text, problem) => {
    const shape = inspectToken(text);
    expect(shape.ok).toBe(false);
    if (shape.ok) return;
    expect(shape.problem).toMatch(problem);
    expect(shape.problem).not.toContain(signature.slice(0, 20));
    expect(shape.problem).not.toContain(body.slice(0, 20));
  });

  it("tells an expired token (with HA's 10 s of leeway)", () => {
    const claims = { refreshTokenId: 'x', issuedAt: 0, expiresAt: 1_000_000 };
    expect(isExpired(claims, 1_000_000 + 10_000)).toBe(false);
    expect(isExpired(claims, 1_000_000 + 10_001)).toBe(true);
    expect(isExpired({ ...claims, expiresAt: undefined }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('tokenFingerprint', () => {
  it('is a keyed hash: the same for one token and key, different with another key, never the token', () => {
    const key = Buffer.alloc(32, 1);
    const fp = tokenFingerprint(token, key);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenFingerprint(token, key)).toBe(fp);
    expect(tokenFingerprint(token, Buffer.alloc(32, 2))).not.toBe(fp);
    expect(tokenFingerprint(`${token}x`, key)).not.toBe(fp);
    expect(fp).not.toContain(signature);
  });
});

describe('daysFromNow', () => {
  const now = Date.parse('2025-01-31T12:00:00Z');
  it('says in how many days, or how long ago, with the date', () => {
    expect(daysFromNow(now + 12 * DAY + 1000, now)).toBe('in 12 days (2025-02-12)');
    expect(daysFromNow(now + 1 * DAY, now)).toBe('in 1 day (2025-02-01)');
    expect(daysFromNow(now + 3600_000, now)).toBe('within a day (2025-01-31)');
    expect(daysFromNow(now - 3 * DAY, now)).toBe('3 days ago (2025-01-28)');
  });
});
