import type { InteractionHandle } from '../fakes/discord/types.js';
import { waitFor } from '../helpers/wait.js';
import {
  ALERT_CHANNEL_ID,
  EPHEMERAL,
  fakeEntity,
  HOME,
  MANAGER,
  sendHa,
  settle as settleIn,
  sharedWorld,
  configFile,
  HOUSEMATE,
} from './world.js';
import { textsShown, wholeNumber } from './shown-text.js';

const GUEST = { id: '190000000000000003', username: 'guest' };
const ALARM_CODE = '482913';

const POLICY = `access:
  grants:
    - everyone: true
      allow: [read]
    - roles: ["Home Control"]
      allow: [control]
  confirm:
    timeout: 2s
    rules:
      - entities: [switch.kettle]
        services: [turn_on]
`;

const EXTRA = [
  fakeEntity('cover.garage_door', 'closed', 'Garage Door', { device_class: 'garage' }),
  fakeEntity('cover.blinds', 'closed', 'Blinds', { device_class: 'blind' }),
  fakeEntity('alarm_control_panel.house', 'armed_away', 'House Alarm', { code_format: 'number' }),
];

type Button = { custom_id: string; label: string };
const buttonsOf = (reply: { components?: { components: Button[] }[] }): Button[] =>
  reply.components?.[0]?.components ?? [];

describe('confirmations and the audit trail', () => {
  const world = sharedWorld({
    env: { CONFIG_FILE: configFile(POLICY), DISCORD_AUDIT_CHANNEL_ID: ALERT_CHANNEL_ID },
    ha: { entities: [...HOME.entities, ...EXTRA] },
  });
  const calls = () => world().ha.serviceCalls.filter((c) => c.domain !== 'logbook');
  const press = (user: typeof MANAGER | typeof HOUSEMATE | typeof GUEST, customId: string) =>
    world().discord.sendComponent({ user, customId });
  const ask = async (
    subcommand: string,
    options: Record<string, string>,
    user: typeof MANAGER | typeof HOUSEMATE = MANAGER,
  ) => {
    const handle = await sendHa(world().discord, subcommand, options, { user });
    const reply = await handle.waitForReply();
    return { handle, reply, buttons: buttonsOf(reply) };
  };
  /** What a button press made of the private message (callback type 7's data). */
  const lastUpdate = async (handle: InteractionHandle): Promise<{ content: string }> => {
    const callback = await handle.waitForCallback();
    return callback.data as { content: string };
  };

  const settle = (entityId: string, state: string) => settleIn(world(), entityId, state);

  beforeEach(() => settle('lock.front_door_lock', 'locked'));

  it('asks privately before unlocking, then unlocks, audits and tells HA who did it', async () => {
    const before = calls().length;
    const { reply, buttons } = await ask('unlock', { target: 'front door lock' });
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toContain('Unlock Front Door Lock?');
    expect(reply.content).toContain('`lock.front_door_lock` (now locked)');
    expect(reply.content).toContain('unlocking a lock');
    expect(buttons.map((b) => b.label)).toEqual(['Unlock Front Door Lock', 'Cancel']);
    expect(calls().length).toBe(before);

    const confirm = await press(MANAGER, buttons[0]!.custom_id);
    await waitFor(() => confirm.replies.some((r) => r.type === 'followup'));
    const result = confirm.replies.find((r) => r.type === 'followup')!.body;
    expect(result.flags ?? 0).toBe(0);
    expect(result.embeds[0].title).toBe('Front Door Lock is unlocked');
    expect(result.embeds[0].footer.text).toBe('Unlocked by owner (confirmed)');
    expect(calls().slice(before)).toMatchObject([
      { domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door_lock'] } },
    ]);

    const event = world().ha.received.find(
      (m: { type: string; event_type?: string }) =>
        m.type === 'fire_event' && m.event_type === 'discord_bridge_command',
    );
    expect(event.event_data).toMatchObject({
      command: 'unlock',
      service: 'lock.unlock',
      entity_id: ['lock.front_door_lock'],
      user_id: MANAGER.id,
      user_name: 'owner',
      confirmed: true,
    });
    expect(event.event_data.context_id).toEqual(expect.any(String));
    await waitFor(() =>
      world().ha.serviceCalls.some(
        (c) =>
          c.domain === 'logbook' &&
          c.service_data?.entity_id === 'lock.front_door_lock' &&
          String(c.service_data.message).includes('owner ran /ha unlock'),
      ),
    );
    const audit = await world().discord.waitForMessage(
      (m) =>
        m.channelId === ALERT_CHANNEL_ID && m.body.embeds?.[0]?.title === 'owner ran /ha unlock',
    );
    expect(audit.body.embeds[0].description).toContain('lock.unlock on lock.front\\_door\\_lock');
    await world().bot.waitForLog((l) => l.audit === true && l.service === 'lock.unlock');
  });

  it('refuses a press by anyone else and leaves the confirmation to the one who asked', async () => {
    const before = calls().length;
    const { buttons } = await ask('unlock', { target: 'lock.front_door_lock' });
    const intruder = await press(GUEST, buttons[0]!.custom_id);
    const refusal = await intruder.waitForReply();
    expect(refusal.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refusal.content).toBe('Only the person who asked can confirm this.');
    expect(calls().length).toBe(before);

    const cancel = await press(MANAGER, buttons[1]!.custom_id);
    expect((await lastUpdate(cancel)).content).toBe(
      'Cancelled: Unlock Front Door Lock was not done.',
    );
    expect(calls().length).toBe(before);
    expect(world().ha.states.get('lock.front_door_lock')!.state).toBe('locked');
  });

  it('expires: the prompt says so, and a late press does nothing', async () => {
    const before = calls().length;
    const { handle, buttons } = await ask('unlock', { target: 'lock.front_door_lock' });
    await waitFor(() => handle.replies.some((r) => r.type === 'edit'), 5_000);
    const edit = handle.replies.find((r) => r.type === 'edit')!.body;
    expect(edit.content).toContain('Expired: Unlock Front Door Lock was not done.');
    expect(edit.components).toEqual([]);
    const late = await press(MANAGER, buttons[0]!.custom_id);
    expect((await lastUpdate(late)).content).toContain('expired or was already used');
    expect(calls().length).toBe(before);
  });

  it('does nothing when the state changed between the ask and the press', async () => {
    const before = calls().length;
    const { buttons } = await ask('unlock', { target: 'lock.front_door_lock' });
    await settle('lock.front_door_lock', 'unlocked');
    const confirm = await press(MANAGER, buttons[0]!.custom_id);
    expect((await lastUpdate(confirm)).content).toBe(
      'Not done: `lock.front_door_lock` changed from locked to unlocked since you asked. Run the command again if you still want it.',
    );
    expect(calls().length).toBe(before);
  });

  it('re-checks the policy when pressed: a role taken away meanwhile counts', async () => {
    const before = calls().length;
    const { buttons } = await ask('unlock', { target: 'lock.front_door_lock' }, HOUSEMATE);
    const confirm = await press({ ...HOUSEMATE, roles: [] }, buttons[0]!.custom_id);
    expect((await lastUpdate(confirm)).content).toBe(
      'Not done: You need the role Home Control to control `lock.front_door_lock`. Run the command again if you still want it.',
    );
    expect(calls().length).toBe(before);
  });

  it('asks before opening a garage door, not before opening blinds', async () => {
    const garage = await ask('on', { target: 'garage door' });
    expect(garage.reply.content).toContain('opening a garage door');
    const blinds = await ask('on', { target: 'cover.blinds' });
    expect(blinds.reply.embeds[0].title).toBe('Blinds is open');
  });

  it('asks for what the config adds, and only for that service', async () => {
    const on = await ask('on', { target: 'switch.kettle' });
    expect(on.reply.content).toContain('the access policy asks for a confirmation');
    const off = await ask('off', { target: 'switch.kettle' });
    expect(off.reply.embeds[0].title).toBe('Kettle is off');
  });

  it('passes an alarm code to HA and never shows or logs it', async () => {
    const { buttons, reply } = await ask('disarm', {
      target: 'alarm_control_panel.house',
      code: ALARM_CODE,
    });
    expect(reply.content).toContain('disarming an alarm');
    const confirm = await press(MANAGER, buttons[0]!.custom_id);
    await waitFor(() => confirm.replies.some((r) => r.type === 'followup'));
    expect(calls().at(-1)).toMatchObject({
      domain: 'alarm_control_panel',
      service: 'alarm_disarm',
      service_data: { code: ALARM_CODE },
    });
    expect(world().ha.states.get('alarm_control_panel.house')!.state).toBe('disarmed');
    await world().bot.waitForLog((l) => l.service === 'alarm_control_panel.alarm_disarm');
    // As a number of its own: the digits turn up inside snowflakes and timestamps by chance.
    const code = wholeNumber(ALARM_CODE);
    expect(world().bot.output).not.toMatch(code);
    expect(textsShown(world().discord).filter((t) => code.test(t))).toEqual([]);
  });

  it('never operates a lock with toggle, on or off', async () => {
    const { reply } = await ask('off', { target: 'lock.front_door_lock' });
    expect(reply.content).toContain('cannot be turned off with this command');
  });

  it('arms without asking: arming keeps people out', async () => {
    await settle('alarm_control_panel.house', 'disarmed');
    const { reply } = await ask('arm', { target: 'house alarm', mode: 'night' });
    expect(reply.embeds[0].title).toBe('House Alarm is armed night');
    expect(calls().at(-1)).toMatchObject({ service: 'alarm_arm_night' });
  });
});
