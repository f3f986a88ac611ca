import type { Actions } from '../../../../src/actions/schema.js';
import type { Caller, CommandContext } from '../../../../src/commands/types.js';
import {
  createActionPresses,
  type ActionInteraction,
} from '../../../../src/discord/interactions/action-press.js';
import { ActionMessageStore } from '../../../../src/storage/action-messages.js';
import { openDatabase } from '../../../../src/storage/database.js';

const CHANNEL = '833333333333333333';
const actions: Actions = {
  buttons: [{ label: 'Stop', action: 'stop' }],
  select: undefined,
  onPress: 'disable',
  expiresMs: undefined,
};
const caller = (userId: string, userName: string): Caller => ({
  userId,
  userName,
  guildId: '811111111111111111',
  channelId: CHANNEL,
  roleIds: [],
  roleNames: [],
  isManager: false,
});

/** A button press as discord.js hands it over: what the bot answered is recorded. */
function press() {
  const answers: { how: string; body: unknown }[] = [];
  const interaction = {
    deferred: false,
    replied: false,
    message: { id: '870000000000000001' },
    isButton: () => true,
    isStringSelectMenu: () => false,
    isModalSubmit: () => false,
    deferUpdate() {
      this.deferred = true;
      return Promise.resolve();
    },
    editReply: (body: unknown) => Promise.resolve(void answers.push({ how: 'edit', body })),
    followUp: (body: unknown) => Promise.resolve(void answers.push({ how: 'followUp', body })),
    reply(body: unknown) {
      this.replied = true;
      answers.push({ how: 'reply', body });
      return Promise.resolve();
    },
  };
  return { interaction: interaction as unknown as ActionInteraction, answers };
}

function setup(fireEvent: () => Promise<void> = () => Promise.resolve()) {
  const store = new ActionMessageStore(openDatabase(':memory:'));
  const fired: unknown[] = [];
  const ctx = {
    ha: {
      status: { kind: 'connected' },
      fireEvent: (_type: string, data: unknown) => {
        fired.push(data);
        return fireEvent();
      },
    },
    access: { check: () => ({ allowed: true }) },
    audit: { record: () => undefined },
    log: { info: () => undefined, warn: () => undefined },
  } as unknown as CommandContext;
  const presses = createActionPresses({ store, eventType: 'discord_bridge_action' }, ctx);
  return { store, fired, presses };
}

describe('createActionPresses', () => {
  it('lets the first of two simultaneous presses answer; the second is told who did', async () => {
    const { store, fired, presses } = setup();
    const { key } = store.add(CHANNEL, actions, undefined);
    const alice = press();
    const bob = press();
    await Promise.all([
      presses(alice.interaction, { key, item: '0' }, caller('190000000000000001', 'Alice')),
      presses(bob.interaction, { key, item: '0' }, caller('190000000000000002', 'Bob')),
    ]);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ action: 'stop', user_name: 'Alice' });
    expect(alice.answers.map((a) => a.how)).toEqual(['edit']);
    expect(bob.answers).toEqual([
      {
        how: expect.stringMatching(/reply|followUp/),
        body: expect.objectContaining({
          content: expect.stringContaining('already answered by Alice'),
          flags: 64,
        }),
      },
    ]);
  });

  it('gives the answer back when Home Assistant did not take the press', async () => {
    let fail = true;
    const { store, fired, presses } = setup(() =>
      fail ? Promise.reject(new Error('socket closed')) : Promise.resolve(),
    );
    const { key } = store.add(CHANNEL, actions, undefined);
    await presses(press().interaction, { key, item: '0' }, caller('190000000000000001', 'Alice'));
    fail = false;
    const again = press();
    await presses(again.interaction, { key, item: '0' }, caller('190000000000000002', 'Bob'));
    expect(fired).toHaveLength(2);
    expect(again.answers.map((a) => a.how)).toEqual(['edit']);
  });

  it('lets everyone press a message whose buttons stay (on_press: keep)', async () => {
    const { store, fired, presses } = setup();
    const { key } = store.add(CHANNEL, { ...actions, onPress: 'keep' }, undefined);
    await Promise.all([
      presses(press().interaction, { key, item: '0' }, caller('190000000000000001', 'Alice')),
      presses(press().interaction, { key, item: '0' }, caller('190000000000000002', 'Bob')),
    ]);
    expect(fired).toHaveLength(2);
  });

  it("shows a press before firing the event, so the automation's answer lands after it", async () => {
    const order: string[] = [];
    const alice = press();
    const { store, presses } = setup(() => {
      order.push(`fired after ${alice.answers.length} edit(s)`);
      return Promise.resolve();
    });
    const { key } = store.add(CHANNEL, actions, undefined);
    await presses(alice.interaction, { key, item: '0' }, caller('190000000000000001', 'Alice'));
    expect(order).toEqual(['fired after 1 edit(s)']);
  });

  it('brings the buttons back when Home Assistant did not take the press', async () => {
    const { store, presses } = setup(() => Promise.reject(new Error('socket closed')));
    const { key } = store.add(CHANNEL, actions, undefined);
    const alice = press();
    await presses(alice.interaction, { key, item: '0' }, caller('190000000000000001', 'Alice'));
    expect(alice.answers.map((a) => a.how)).toEqual(['edit', 'edit', 'followUp']);
    const restored = alice.answers[1]!.body as {
      content: string;
      components: { components: { disabled?: boolean }[] }[];
    };
    expect(restored.content).toBe('');
    expect(restored.components[0]!.components[0]!.disabled).not.toBe(true);
  });
});
