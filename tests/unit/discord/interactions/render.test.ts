import type { Reply } from '../../../../src/commands/reply.js';
import { render, type Surface } from '../../../../src/discord/interactions/render.js';

const EPHEMERAL = 64;

/** An interaction that records what the bot calls on it (only what render uses). */
function fake(kind: 'command' | 'select' | 'button') {
  const calls: [string, Record<string, unknown>][] = [];
  const record = (name: string) => (payload: Record<string, unknown>) => {
    calls.push([name, payload]);
    return Promise.resolve();
  };
  const interaction = {
    deferred: false,
    replied: false,
    isMessageComponent: () => kind !== 'command',
    isStringSelectMenu: () => kind === 'select',
    reply: record('reply'),
    update: record('update'),
    editReply: record('editReply'),
    followUp: record('followUp'),
    deferReply: record('deferReply'),
    deferUpdate: record('deferUpdate'),
  };
  return { interaction, calls };
}

const surface = (kind: Surface['kind'], interaction: unknown) => ({ kind, interaction }) as Surface;

describe('render', () => {
  it('answers a refusal privately, or in place on a private menu unless it is aside', async () => {
    const typed = fake('command');
    await render({ kind: 'refuse', text: 'No.' }, surface('command', typed.interaction));
    expect(typed.calls).toEqual([['reply', { content: 'No.', flags: EPHEMERAL }]]);

    const menu = fake('select');
    await render({ kind: 'refuse', text: 'No.' }, surface('private', menu.interaction));
    expect(menu.calls).toEqual([['update', { content: 'No.', components: [] }]]);

    const other = fake('button');
    await render(
      { kind: 'refuse', text: 'Not yours.', aside: true },
      surface('private', other.interaction),
    );
    expect(other.calls).toEqual([['reply', { content: 'Not yours.', flags: EPHEMERAL }]]);
  });

  it('turns a menu into a note and posts the message publicly after it', async () => {
    const menu = fake('select');
    const reply: Reply = { kind: 'show', message: { content: 'state' }, note: 'Showing x.' };
    await render(reply, surface('private', menu.interaction));
    expect(menu.calls).toEqual([
      ['update', { content: 'Showing x.', components: [] }],
      ['followUp', { content: 'state' }],
    ]);
  });

  it('renders buttons as data into a row with their ids', async () => {
    const typed = fake('command');
    await render(
      {
        kind: 'show',
        message: {
          content: 'x',
          buttons: [
            {
              id: { kind: 'button', command: 'state', args: ['refresh', 'a.b'] },
              label: 'Refresh',
            },
          ],
          private: true,
        },
      },
      surface('command', typed.interaction),
    );
    const [[name, payload]] = typed.calls as [
      [string, { components: { components: { custom_id: string }[] }[]; flags: number }],
    ];
    expect(name).toBe('reply');
    expect(payload.flags).toBe(EPHEMERAL);
    expect(payload.components[0]!.components[0]!.custom_id).toBe('ha:btn:state:refresh:a.b');
  });

  it('shows a confirmation in place of a menu, and edits it when it expires', async () => {
    const menu = fake('select');
    let expire: ((text: string) => void) | undefined;
    await render(
      {
        kind: 'confirm',
        message: {
          content: 'Unlock?',
          buttons: [
            {
              id: { kind: 'confirm', token: 't', confirmed: true },
              label: 'Unlock',
              style: 'danger',
            },
          ],
        },
        onExpired: (listener) => {
          expire = listener;
        },
      },
      surface('private', menu.interaction),
    );
    expect(menu.calls[0]?.[0]).toBe('update');
    expire?.('Expired.');
    expect(menu.calls[1]).toEqual(['editReply', { content: 'Expired.', components: [] }]);
  });

  it('works slowly from a private message: working, done, then the result publicly', async () => {
    const menu = fake('select');
    await render(
      {
        kind: 'slow',
        working: 'Working…',
        done: 'Done.',
        run: () => Promise.resolve({ kind: 'show', message: { content: 'result' } }),
      },
      surface('private', menu.interaction),
    );
    expect(menu.calls.map(([name, p]) => [name, p.content])).toEqual([
      ['update', 'Working…'],
      ['editReply', 'Done.'],
      ['followUp', undefined],
    ]);
  });

  it('updates a public panel in place, and tells only the presser of a failure', async () => {
    const panel = fake('button');
    await render(
      {
        kind: 'slow',
        working: '',
        done: '',
        run: () => Promise.resolve({ kind: 'refuse', text: 'HA said no.' }),
      },
      surface('panel', panel.interaction),
    );
    expect(panel.calls).toEqual([
      ['deferUpdate', undefined],
      ['followUp', { content: 'HA said no.', flags: EPHEMERAL }],
    ]);
  });
});
