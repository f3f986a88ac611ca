import { buildTokenReport, tokenDetails, tokenSummary } from '../../../src/ha/token-report.js';
import { fakeJwt } from '../../fakes/ha/auth.js';

const DAY = 86_400_000;
const now = Date.parse('2025-01-31T12:00:00Z');
const iat = Date.parse('2025-01-01T00:00:00Z') / 1000;
const token = fakeJwt({ iss: 'rt-1', iat, exp: iat + 365 * 86_400 });
const tokens = [
  { id: 'rt-0', client_name: 'Phone', type: 'normal', is_current: false },
  {
    id: 'rt-1',
    client_name: 'ha-discord-bridge',
    type: 'long_lived_access_token',
    created_at: '2025-01-01T00:00:00+00:00',
    last_used_at: '2025-01-02T00:00:00+00:00',
    last_used_ip: '192.168.1.20',
    is_current: true,
  },
];

describe('the token report', () => {
  it('says whose token it is, its name, age and expiry, and never the token', () => {
    const report = buildTokenReport(
      token,
      { name: 'Bot', is_admin: true, is_owner: false },
      tokens,
    );
    const summary = tokenSummary(report, now);
    expect(summary).toBe(
      'user "Bot" (administrator) · long-lived token "ha-discord-bridge" created 2025-01-01 · expires in 334 days (2026-01-01)',
    );
    expect(tokenDetails(report)).toEqual([
      'Home Assistant last saw the token used on 2025-01-02 from 192.168.1.20.',
    ]);
    expect(JSON.stringify(report)).not.toContain(token.split('.')[2]);
  });

  it("lists what a non-administrator's token turns off, and advises a dedicated user over the owner", () => {
    const user = buildTokenReport(token, { name: 'Kid', is_admin: false, is_owner: false }, tokens);
    expect(tokenSummary(user, now)).toMatch(/^user "Kid" \(not an administrator\)/);
    expect(tokenDetails(user).join('\n')).toMatch(
      /not an administrator, so these are off: the audit event \(HA_COMMAND_EVENT\); posting from HA automations \(HA_SEND_EVENT\); access\.exposed_only/,
    );
    const owner = buildTokenReport(token, { name: 'Me', is_admin: true, is_owner: true }, tokens);
    expect(tokenSummary(owner, now)).toMatch(/^user "Me" \(administrator, owner\)/);
    expect(tokenDetails(owner).join('\n')).toMatch(/dedicated user for the bot/);
  });

  it('finds the token by its refresh token id, and says what HA would not tell', () => {
    const byId = buildTokenReport(
      token,
      undefined,
      tokens.map((t) => ({ ...t, is_current: false })),
    );
    expect(byId.token?.name).toBe('ha-discord-bridge');
    const refused = buildTokenReport(token, new Error('Unauthorized'), new Error('Unauthorized'));
    expect(tokenSummary(refused, now)).toBe(
      'token created 2025-01-01 · expires in 334 days (2026-01-01)',
    );
    expect(tokenDetails(refused)).toEqual([
      "The token's name and age are unknown: Unauthorized.",
      'Home Assistant did not say whose token it is: Unauthorized.',
    ]);
    expect(tokenSummary({ ...refused, expiresAt: now - 2 * DAY }, now)).toMatch(
      /expired 2 days ago/,
    );
  });
});
