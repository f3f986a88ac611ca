/**
 * Actionable messages end to end: an automation in real Home Assistant posts a message with
 * buttons (discord_bridge_send), waits for the press (wait_for_trigger on
 * discord_bridge_action) and answers with a second send with the same tag, which edits the
 * message to name who pressed.
 */
import type { FakeDiscord, Json, RecordedMessage } from '../fakes/discord/fake-discord.js';
import type { BotProcess } from '../integration/harness.js';
import { ALERT_CHANNEL_ID, GUILD_ID, MANAGER } from '../integration/world.js';
import { endToEndHooks, startBridge } from './ha/bot.js';
import { byRelease, startRealHa, type RealHa } from './ha/real-ha.js';

/**
 * 2024.10 renamed the automation keys: `trigger:`/`action:` and `platform: event` before it,
 * `triggers:`/`actions:` and `trigger: event` since.
 */
const KEYS = byRelease({
  '2024.3.3': { triggers: 'trigger', actions: 'action', kind: 'platform' },
  '2025.4.4': { triggers: 'triggers', actions: 'actions', kind: 'trigger' },
});

/** The README's doorbell automation, in the keys of the HA under test. */
const AUTOMATION = `
automation:
  - id: e2e_doorbell_buttons
    alias: Doorbell with buttons
    ${KEYS.triggers}:
      - ${KEYS.kind}: event
        event_type: e2e_doorbell
    ${KEYS.actions}:
      - event: discord_bridge_send
        event_data:
          tag: e2e_doorbell
          message: Someone is at the front door
          buttons:
            - label: Open gate
              action: e2e_open_gate
              style: success
            - label: Ignore
              action: e2e_ignore
      - wait_for_trigger:
          - ${KEYS.kind}: event
            event_type: discord_bridge_action
            event_data:
              action: e2e_open_gate
        timeout: '00:05:00'
        continue_on_timeout: false
      - event: discord_bridge_send
        event_data:
          tag: e2e_doorbell
          message: "Gate opened by {{ wait.trigger.event.data.user_name }}"
`;

let ha: RealHa;
let discord: FakeDiscord;
let bot: BotProcess;

beforeAll(async () => {
  ha = await startRealHa({ extraConfig: AUTOMATION });
  ({ discord, bot } = await startBridge(ha));
}, 15 * 60_000);

endToEndHooks(() => ({ bots: [bot], discord, ha }));

const posted = (text: string) =>
  discord.waitForMessage((m) => JSON.stringify(m.body.embeds ?? []).includes(text), 20_000);

const buttonId = (message: RecordedMessage, label: string): string => {
  const all = (message.body.components as Json[]).flatMap((row) => row.components as Json[]);
  const found = all.find((c) => c.label === label);
  if (found === undefined) throw new Error(`no button ${label}`);
  return found.custom_id as string;
};

describe('actionable messages against real Home Assistant', () => {
  it("an automation's buttons: the press reaches HA as discord_bridge_action; its answer edits the message", async () => {
    await ha.ws({ type: 'fire_event', event_type: 'e2e_doorbell' });
    const message = await posted('Someone is at the front door');
    expect(message.channelId).toBe(ALERT_CHANNEL_ID);
    await discord.sendComponent({
      guildId: GUILD_ID,
      channelId: message.channelId,
      user: MANAGER,
      customId: buttonId(message, 'Open gate'),
    });
    // The answer has the same tag: the message itself is edited, not a new one posted.
    const answer = await posted('Gate opened by owner');
    expect(answer.id).toBe(message.id);
    expect(
      discord.messages
        .filter((m) => m.channelId === ALERT_CHANNEL_ID && m.id !== message.id)
        .map((m) => JSON.stringify(m.body.embeds)),
    ).not.toContainEqual(expect.stringContaining('Gate opened'));
    expect(message.body.content).toMatch(/^\*\*Open gate\*\* · owner · <t:\d+:t>$/);
    // The press showed first (buttons greyed out), then the answer's edit: no buttons left.
    expect(message.body.components).toEqual([]);
  });
});
