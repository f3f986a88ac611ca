import { actionEventData, checkPress, describePress } from '../../../src/actions/press.js';
import type { Actions } from '../../../src/actions/schema.js';
import type { Caller } from '../../../src/commands/types.js';
import type { StoredActions } from '../../../src/storage/action-messages.js';

const actions: Actions = {
  buttons: [
    { label: 'Open', action: 'open' },
    { label: 'Family only', action: 'fam', roles: ['Family'], users: ['190000000000000009'] },
    { label: 'Link', url: 'https://example.com' },
  ],
  select: { action: 'room', options: [{ label: 'Kitchen', value: 'kitchen' }] },
  onPress: 'disable',
  expiresMs: 60_000,
};
const stored: StoredActions = {
  key: 'k1',
  channelId: '833333333333333333',
  actions,
  tag: 'door',
  createdAt: 1_000_000,
  expiresAt: 1_060_000,
};
const caller = (over: Partial<Caller> = {}): Caller => ({
  userId: '190000000000000001',
  userName: 'alice',
  guildId: '811111111111111111',
  channelId: '833333333333333333',
  roleIds: ['811111111111111111', '700000000000000007'],
  roleNames: ['@everyone', 'Family'],
  isManager: false,
  ...over,
});
const allow = { check: () => ({ allowed: true as const }) };
const deny = {
  check: () => ({ allowed: false as const, reason: 'You need the Manage Server permission.' }),
};

describe('checkPress', () => {
  it('finds the button or the menu of a stored message', () => {
    const r = checkPress(stored, '0', caller(), allow, 1_000_500);
    expect(r.ok && r.pressed).toMatchObject({ kind: 'button', index: 0 });
    const s = checkPress(stored, 's', caller(), allow, 1_000_500);
    expect(s.ok && s.pressed.kind).toBe('select');
  });

  it('says an unknown, expired or missing button did nothing', () => {
    expect(checkPress(undefined, '0', caller(), allow, 0)).toMatchObject({
      ok: false,
      text: expect.stringContaining('no longer known'),
    });
    expect(checkPress(stored, '0', caller(), allow, 1_060_000)).toEqual({
      ok: false,
      text: "This message's buttons expired <t:1060:R>: nothing was sent to Home Assistant.",
    });
    // A link button does nothing in the bot; an index past the end is not there.
    expect(checkPress(stored, '2', caller(), allow, 0).ok).toBe(false);
    expect(checkPress(stored, '7', caller(), allow, 0).ok).toBe(false);
  });

  it('lets the recipient of a direct message HA sent press its buttons, not others', () => {
    const inDm = { ...stored, channelId: 'dm:190000000000000001' };
    const dm = { guildId: null, channelId: '860000000000000001' };
    expect(checkPress(inDm, '0', caller(dm), deny, 1_000_500).ok).toBe(true);
    expect(
      checkPress(inDm, '0', caller({ ...dm, userId: '190000000000000002' }), deny, 1_000_500).ok,
    ).toBe(false);
  });

  it('refuses a press on a message answered already, unless its buttons stay', () => {
    const answered = { ...stored, pressedBy: 'Alice' };
    expect(checkPress(answered, '0', caller(), allow, 1_000_500)).toMatchObject({
      ok: false,
      text: expect.stringContaining('already answered by Alice'),
    });
    const kept = { ...answered, actions: { ...actions, onPress: 'keep' as const } };
    expect(checkPress(kept, '0', caller(), allow, 1_000_500).ok).toBe(true);
  });

  it('asks the access policy unless the button names who may press', () => {
    expect(checkPress(stored, '0', caller(), deny, 0)).toEqual({
      ok: false,
      text: 'You need the Manage Server permission. Nothing was sent to Home Assistant.',
    });
    // Named roles (by name or id) or users: the policy is not asked.
    expect(checkPress(stored, '1', caller(), deny, 0).ok).toBe(true);
    expect(checkPress(stored, '1', caller({ roleNames: [], roleIds: [] }), allow, 0)).toMatchObject(
      {
        ok: false,
        text: expect.stringContaining('only for the people and roles'),
      },
    );
    expect(
      checkPress(
        stored,
        '1',
        caller({ userId: '190000000000000009', roleNames: [], roleIds: [] }),
        deny,
        0,
      ).ok,
    ).toBe(true);
  });
});

describe('the event data', () => {
  it('names the action, the message and who pressed, without @everyone', () => {
    const r = checkPress(stored, 's', caller(), allow, 0);
    if (!r.ok) throw new Error(r.text);
    const what = describePress(r.pressed, 0)!;
    expect(describePress(r.pressed, 3)).toBeUndefined();
    expect(
      actionEventData({ stored, ...what, text: undefined, messageId: '1577', caller: caller() }),
    ).toEqual({
      action: 'room',
      label: 'Kitchen',
      value: 'kitchen',
      message_id: '1577',
      channel_id: '833333333333333333',
      guild_id: '811111111111111111',
      tag: 'door',
      user_id: '190000000000000001',
      user_name: 'alice',
      roles: ['Family'],
      role_ids: ['700000000000000007'],
    });
  });
});
