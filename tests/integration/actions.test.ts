import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json, RecordedMessage } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  EPHEMERAL,
  expectDiscordRulesKept,
  GUILD_ID,
  HOME_CONTROL_ROLE_ID,
  MANAGER,
  startFakes,
} from './world.js';

type Fakes = Awaited<ReturnType<typeof startFakes>>;

const SEND = 'discord_bridge_send';
const ACTION = 'discord_bridge_action';
const MEMBER = { id: '190000000000000003', username: 'guest' };
const HOUSEMATE = { id: '190000000000000004', username: 'alice', roles: [HOME_CONTROL_ROLE_ID] };

interface Fired {
  type: string;
  event_type?: string;
  event_data?: Record<string, unknown>;
}

describe('actionable messages: buttons and menus on messages HA automations send', () => {
  let fakes: Fakes;
  let bot: BotProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'hdb-actions-'));

  async function startBot(): Promise<void> {
    bot = BotProcess.start(
      botEnv(fakes.ha, fakes.discord, { DATA_DIR: dataDir, HA_SEND_USERS: MANAGER.id }),
    );
    await bot.waitForMessage('bridge ready');
    await bot.waitForMessage('Home Assistant connected');
  }

  beforeAll(async () => {
    fakes = await startFakes();
    await startBot();
  });
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([fakes.ha.stop(), fakes.discord.stop()]);
  });
  afterEach(() => expectDiscordRulesKept(fakes.discord));

  const posted = (text: string) =>
    fakes.discord.waitForMessage((m) => JSON.stringify(m.body.embeds ?? []).includes(text));
  const actionEvents = (): Record<string, unknown>[] =>
    (fakes.ha.received as Fired[])
      .filter((m) => m.type === 'fire_event' && m.event_type === ACTION)
      .map((m) => m.event_data!);
  const firedFor = (messageId: string) =>
    waitFor(
      () => actionEvents().find((e) => e.message_id === messageId),
      5000,
      'discord_bridge_action',
    );
  const idOf = (message: RecordedMessage, label: string): string => {
    const all = (message.body.components as Json[]).flatMap((row) => row.components as Json[]);
    const found = all.find((c) => c.label === label);
    if (found === undefined) throw new Error(`no component ${label}`);
    return found.custom_id as string;
  };
  const press = (message: RecordedMessage, label: string, user: object = MANAGER) =>
    fakes.discord.sendComponent({
      guildId: GUILD_ID,
      channelId: message.channelId,
      user,
      customId: idOf(message, label),
    });

  it('posts buttons; a press fires discord_bridge_action with who pressed, and disables them', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Someone is at the front door',
      title: 'Doorbell',
      tag: 'doorbell',
      buttons: [
        { label: 'Open gate', action: 'open_gate', style: 'success', emoji: '🚪' },
        { label: 'Ignore', action: 'ignore' },
        { label: 'Camera', url: 'https://example.com/cam' },
      ],
    });
    const message = await posted('Someone is at the front door');
    expect(message.channelId).toBe(ALERT_CHANNEL_ID);
    const row = (message.body.components as Json[])[0]!;
    expect(row.components).toEqual([
      expect.objectContaining({ type: 2, style: 3, label: 'Open gate', emoji: { name: '🚪' } }),
      expect.objectContaining({ type: 2, style: 2, label: 'Ignore' }),
      { type: 2, style: 5, label: 'Camera', url: 'https://example.com/cam' },
    ]);
    // The custom id carries a short stored key, never the automation's text.
    const id = idOf(message, 'Open gate');
    expect(id).toMatch(/^ha:act:[A-Za-z0-9_-]+:0$/);
    expect(id).not.toContain('open_gate');

    const handle = await press(message, 'Open gate');
    const event = await firedFor(message.id);
    expect(event).toEqual({
      action: 'open_gate',
      label: 'Open gate',
      message_id: message.id,
      channel_id: ALERT_CHANNEL_ID,
      guild_id: GUILD_ID,
      tag: 'doorbell',
      user_id: MANAGER.id,
      user_name: MANAGER.username,
      roles: [],
      role_ids: [],
    });
    const after = await handle.waitForReply();
    expect(after.content).toMatch(/^\*\*Open gate\*\* · owner · <t:\d+:t>$/);
    // on_press: disable (the default): every button but the link is greyed out.
    await waitFor(() => message.editedAt, 5000, 'the message edited');
    const buttons = (message.body.components as Json[])[0]!.components as Json[];
    expect(buttons.map((b) => b.disabled === true)).toEqual([true, true, false]);
    await expect(press(message, 'Ignore')).rejects.toThrow('disabled');
    // The press was audited like a command.
    await bot!.waitForLog((l) => l.audit === true && l.userId === MANAGER.id);
  });

  it('a button with ask opens a modal; the event carries the text, and on_press: remove', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'The washer is done',
      on_press: 'remove',
      buttons: [
        {
          label: 'Reply',
          action: 'washer_reply',
          ask: { label: 'Your note', placeholder: 'Who empties it?' },
        },
      ],
    });
    const message = await posted('The washer is done');
    const opener = await press(message, 'Reply');
    const modal = await opener.waitForCallback();
    expect(modal.type).toBe(9);
    expect(modal.data.components[0]).toMatchObject({
      type: 18,
      label: 'Your note',
      component: { type: 4, custom_id: 'text', placeholder: 'Who empties it?', required: true },
    });
    // Nothing is fired until the text comes.
    expect(actionEvents().find((e) => e.message_id === message.id)).toBeUndefined();
    await fakes.discord.sendModalSubmit({
      guildId: GUILD_ID,
      channelId: message.channelId,
      user: MANAGER,
      from: opener,
      values: { text: 'I will, in 10 minutes' },
    });
    expect(await firedFor(message.id)).toMatchObject({
      action: 'washer_reply',
      text: 'I will, in 10 minutes',
      user_name: 'owner',
    });
    await waitFor(() => message.editedAt, 5000, 'the message edited');
    expect(message.body.components).toEqual([]);
    expect(message.body.content).toContain('**Reply** · owner');
  });

  it('a select menu: the event carries the chosen value; on_press: keep leaves it usable', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Which room should the vacuum clean?',
      on_press: 'keep',
      select: {
        action: 'vacuum_room',
        placeholder: 'Pick a room',
        options: [
          { label: 'Kitchen', value: 'kitchen' },
          { label: 'Living room', value: 'living_room', description: 'Takes 20 minutes' },
        ],
      },
    });
    const message = await posted('Which room should the vacuum clean?');
    const menu = (message.body.components as Json[])[0]!.components[0] as Json;
    expect(menu).toMatchObject({ type: 3, placeholder: 'Pick a room', min_values: 1 });
    // Option values are indexes: the stored definition says what they stand for.
    expect(menu.options.map((o: Json) => String(o.value))).toEqual(['0', '1']);
    await fakes.discord.sendComponent({
      guildId: GUILD_ID,
      channelId: message.channelId,
      user: MANAGER,
      customId: menu.custom_id,
      componentType: 3,
      values: ['1'],
    });
    expect(await firedFor(message.id)).toMatchObject({
      action: 'vacuum_room',
      label: 'Living room',
      value: 'living_room',
    });
    await waitFor(() => message.editedAt, 5000, 'the message edited');
    expect(message.body.content).toContain('**Living room** · owner');
    expect((message.body.components as Json[])[0]!.components[0].disabled).toBeUndefined();
  });

  it('refuses a press from a member without rights, and lets a listed role press', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Garage left open',
      buttons: [
        { label: 'Close it', action: 'close_garage' },
        { label: 'Home Control only', action: 'hc', roles: ['Home Control'] },
      ],
    });
    const message = await posted('Garage left open');
    const refused = await (await press(message, 'Close it', MEMBER)).waitForReply();
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toContain('Manage Server');
    expect(refused.content).toContain('Nothing was sent to Home Assistant');
    const notListed = await (await press(message, 'Home Control only', MEMBER)).waitForReply();
    expect(notListed.content).toContain('only for the people and roles the automation named');
    await press(message, 'Home Control only', HOUSEMATE);
    const event = await firedFor(message.id);
    expect(event).toMatchObject({ action: 'hc', user_id: HOUSEMATE.id, roles: ['Home Control'] });
    // The member's refused presses fired nothing.
    expect(actionEvents().filter((e) => e.message_id === message.id)).toHaveLength(1);
  });

  it('asks to confirm a button with confirm: true, and fires only when confirmed', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Unlock for the courier?',
      buttons: [{ label: 'Unlock', action: 'unlock_courier', style: 'danger', confirm: true }],
    });
    const message = await posted('Unlock for the courier?');
    const ask = await (await press(message, 'Unlock')).waitForReply();
    expect(ask.flags & EPHEMERAL).toBe(EPHEMERAL);
    const confirm = (ask.components as Json[])[0]!.components[0] as Json;
    expect(actionEvents().find((e) => e.message_id === message.id)).toBeUndefined();
    const done = await (
      await fakes.discord.sendComponent({
        guildId: GUILD_ID,
        channelId: message.channelId,
        user: MANAGER,
        customId: confirm.custom_id,
      })
    ).waitForReply();
    expect(done.content).toBe('Done: Unlock.');
    expect(await firedFor(message.id)).toMatchObject({ action: 'unlock_courier' });
    await waitFor(() => message.editedAt, 5000, 'the message edited');
    expect(message.body.content).toContain('**Unlock** · owner');
  });

  it('says so when the buttons have expired, and sends nothing', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Short-lived question',
      expires: '1ms',
      buttons: [{ label: 'Yes', action: 'short_yes' }],
    });
    const message = await posted('Short-lived question');
    const reply = await (await press(message, 'Yes')).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/expired <t:\d+:R>: nothing was sent to Home Assistant/);
    expect(actionEvents().find((e) => e.message_id === message.id)).toBeUndefined();
  });

  it('refuses a bad buttons block with every problem in the log', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Bad buttons',
      buttons: [{ label: 'No action' }, { label: 'Link', url: 'https://x.y', action: 'a' }],
      on_press: 'explode',
    });
    const warn = await bot!.waitForMessage(/discord_bridge_send event ignored/);
    expect(warn.msg).toContain('buttons.0.action: is required (or give url)');
    expect(warn.msg).toContain('buttons.1.action: a link button (url) only opens the link');
    expect(warn.msg).toContain('on_press: must be one of disable, remove, keep');
  });

  it('a press on a message from before a restart still works', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Posted before the restart',
      buttons: [{ label: 'Still works', action: 'after_restart' }],
    });
    const message = await posted('Posted before the restart');
    await bot!.stop();
    await startBot();
    await press(message, 'Still works');
    expect(await firedFor(message.id)).toMatchObject({ action: 'after_restart' });
  });

  it('a press on buttons sent in a direct message or a thread fires the event there', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Only for you: open the gate?',
      user_id: MANAGER.id,
      buttons: [{ label: 'Open', action: 'dm_open' }],
    });
    const dm = await posted('Only for you: open the gate?');
    expect(fakes.discord.dmChannels.map((c) => c.id as string)).toContain(dm.channelId);
    const inDm = await fakes.discord.sendComponent({
      dm: true,
      user: MANAGER,
      customId: idOf(dm, 'Open'),
    });
    expect(await firedFor(dm.id)).toMatchObject({ action: 'dm_open', channel_id: dm.channelId });
    expect((await inDm.waitForReply()).content).toMatch(/^\*\*Open\*\* · owner/);

    fakes.ha.fireEvent(SEND, {
      message: 'Leak in the cellar',
      thread: 'Leak',
      buttons: [{ label: 'Valve closed', action: 'valve_closed' }],
    });
    const inThread = await posted('Leak in the cellar');
    expect(inThread.channelId).not.toBe(ALERT_CHANNEL_ID);
    const handle = await press(inThread, 'Valve closed');
    expect(await firedFor(inThread.id)).toMatchObject({
      action: 'valve_closed',
      channel_id: inThread.channelId,
    });
    expect((await handle.waitForReply()).content).toMatch(/^\*\*Valve closed\*\*/);
  });

  it('a send with the tag edits the message with buttons in place: new text, new buttons', async () => {
    fakes.ha.fireEvent(SEND, {
      message: 'Washer running',
      tag: 'washer',
      buttons: [{ label: 'Stop', action: 'stop_washer' }],
    });
    const message = await posted('Washer running');
    fakes.ha.fireEvent(SEND, {
      message: 'Washer done',
      tag: 'washer',
      buttons: [{ label: 'Emptied', action: 'emptied' }],
    });
    await waitFor(
      () => JSON.stringify(message.body.embeds ?? []).includes('Washer done'),
      5000,
      'the tagged message edited',
    );
    await press(message, 'Emptied');
    expect(await firedFor(message.id)).toMatchObject({ action: 'emptied', tag: 'washer' });
    fakes.ha.fireEvent(SEND, { message: 'Washer done, emptied by alice', tag: 'washer' });
    await waitFor(
      () => JSON.stringify(message.body.embeds ?? []).includes('emptied by alice'),
      5000,
      'the tagged message edited again',
    );
    expect(message.body.components).toEqual([]);
    fakes.ha.fireEvent(SEND, { tag: 'washer', delete: true });
    await waitFor(() => message.deletedAt, 5000, 'the tagged message removed');
  });
});
