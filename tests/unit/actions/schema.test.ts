import { parseSendEvent } from '../../../src/alerts/send-schema.js';

const noPictures = { hasPicture: () => false };
const parse = (data: Record<string, unknown>) =>
  parseSendEvent({ message: 'Door', ...data }, noPictures);
const problems = (data: Record<string, unknown>) => {
  const r = parse(data);
  return r.ok ? [] : r.problems;
};

describe('discord_bridge_send: buttons and select', () => {
  it('reads buttons, a select menu, on_press and expires', () => {
    const r = parse({
      buttons: [
        { label: 'Open gate', action: 'open_gate', style: 'success', emoji: '🚪', confirm: true },
        { label: 'Note', action: 'note', ask: { label: 'Your note' }, roles: ['Family'] },
        { label: 'Camera', url: 'https://example.com/cam' },
      ],
      select: {
        action: 'room',
        options: [{ label: 'Kitchen', value: 'kitchen' }],
        users: ['190000000000000001'],
      },
      on_press: 'remove',
      expires: '1h',
    });
    expect(r.ok && r.ignoredKeys).toEqual([]);
    expect(r.ok && r.request.actions).toEqual({
      buttons: [
        { label: 'Open gate', action: 'open_gate', style: 'success', emoji: '🚪', confirm: true },
        {
          label: 'Note',
          action: 'note',
          ask: { label: 'Your note', required: true },
          roles: ['Family'],
        },
        { label: 'Camera', url: 'https://example.com/cam' },
      ],
      select: {
        action: 'room',
        options: [{ label: 'Kitchen', value: 'kitchen' }],
        users: ['190000000000000001'],
      },
      onPress: 'remove',
      expiresMs: 3_600_000,
    });
  });

  it('leaves a plain message without actions, and disables after a press by default', () => {
    const plain = parse({});
    expect(plain.ok && plain.request.actions).toBeUndefined();
    const one = parse({ buttons: [{ label: 'Ok', action: 'ok' }] });
    expect(one.ok && one.request.actions).toMatchObject({
      onPress: 'disable',
      expiresMs: undefined,
    });
  });

  it('says what is wrong with each button, all at once', () => {
    expect(
      problems({
        buttons: [
          { label: 'No action' },
          { label: 'Link', url: 'https://x.y', action: 'a' },
          { label: '', action: 'bad id!' },
          { label: 'Ask and confirm', action: 'a', ask: { label: 'Why' }, confirm: true },
          { label: 'Emoji', action: 'a', emoji: 'door' },
          { label: 'User', action: 'a', users: [190000000000000] },
          { label: 'Style', action: 'a', style: 'blurple' },
          { label: 'Typo', action: 'a', lable: 'x' },
        ],
        on_press: 'explode',
        expires: 'soon',
      }),
    ).toEqual([
      'buttons.0.action: is required (or give url)',
      'buttons.1.action: a link button (url) only opens the link: leave this out',
      'buttons.2.label: must not be empty',
      'buttons.2.action: must be 1-64 letters, digits or _ . : - (e.g. open_gate)',
      'buttons.3.confirm: a button that asks for text is already a second step: leave confirm out',
      'buttons.4.emoji: must be one emoji such as 🚪, or a server emoji written <:name:id>',
      'buttons.5.users.0: must be quoted user ids (a number this long loses digits)',
      'buttons.6.style: must be one of primary, secondary, success, danger',
      'buttons.7: Unrecognized key: "lable"',
      'on_press: must be one of disable, remove, keep',
      expect.stringMatching(/^expires: is not a duration/),
    ]);
  });

  it('keeps within what Discord can show', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: `B${i}`, action: 'a' }));
    expect(problems({ buttons: many(26) })).toEqual(['buttons: at most 25 buttons']);
    const select = { action: 's', options: [{ label: 'A', value: 'a' }] };
    expect(problems({ buttons: many(21), select })).toEqual([
      'buttons: at most 20 buttons beside a select menu (Discord shows 5 rows)',
    ]);
    expect(
      problems({
        select: {
          action: 's',
          options: [
            { label: 'A', value: 'a' },
            { label: 'B', value: 'a' },
          ],
        },
      }),
    ).toEqual(['select.options.1.value: is used twice']);
    expect(problems({ select: { action: 's', options: [] } })).toEqual([
      'select.options: needs at least one option',
    ]);
    expect(problems({ on_press: 'keep' })).toEqual([
      'on_press, expires: only for a message with buttons or select',
    ]);
    expect(problems({ buttons: [{ label: 'x'.repeat(81), action: 'a' }] })).toEqual([
      'buttons.0.label: must be at most 80 characters',
    ]);
    expect(problems({ buttons: [{ label: 'a', action: 'a' }], expires: '31d' })).toEqual([
      'expires: must be at most 30 days',
    ]);
  });
});
