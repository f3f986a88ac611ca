/**
 * Custom commands end to end: a `commands:` section in CONFIG_FILE, registered beside `/ha`,
 * against each real Home Assistant release. `/where` runs the README's script, whose answer
 * (`stop:` with `response_variable:`) comes back through `call_service` with
 * `return_response`; `/goodnight` fires an event an automation can trigger on.
 */
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';
import type { BotProcess } from '../integration/harness.js';
import { CHANNEL_ID, configFile, GUILD_ID, MANAGER } from '../integration/world.js';
import { endToEndHooks, startBridge } from './ha/bot.js';
import { HaSocket, startRealHa, type RealHa } from './ha/real-ha.js';

let ha: RealHa;
let discord: FakeDiscord;
let bot: BotProcess;

const CONFIG = `commands:
  - name: where
    description: Where something is
    script: script.where_is
    action: read
    options:
      - { name: who, description: An entity, type: entity, required: true }
  - name: goodnight
    description: Lights off
    event: discord_goodnight
    options:
      - { name: music, description: Keep the music on, type: boolean }
`;

function send(name: string, options: Record<string, string | boolean>) {
  return discord.sendSlashCommand({
    guildId: GUILD_ID,
    channelId: CHANNEL_ID,
    user: MANAGER,
    name,
    options: Object.entries(options).map(([n, value]) => ({ name: n, value })),
  });
}

beforeAll(async () => {
  ha = await startRealHa();
  ({ discord, bot } = await startBridge(ha, { CONFIG_FILE: configFile(CONFIG) }));
}, 15 * 60_000);

endToEndHooks(() => ({ bots: [bot], discord, ha }));

describe('custom commands against real Home Assistant', () => {
  it('/where runs the real script with the option as a variable and shows its response', async () => {
    expect((discord.commands.guild.get(GUILD_ID) ?? []).map((c) => c.name as string)).toEqual([
      'ha',
      'where',
      'goodnight',
    ]);
    const reply = await (await send('where', { who: 'Kitchen Light' })).waitForReply(15_000);
    expect(reply.embeds[0]).toMatchObject({
      title: '/where',
      description: 'Kitchen Light is off.',
      footer: { text: '/where by owner' },
    });
  });

  it('/goodnight fires its event in HA with the options and who asked', async () => {
    const listener = await HaSocket.connect(ha.url, ha.token);
    try {
      const events: { data: Record<string, unknown> }[] = [];
      await listener.subscribe({ type: 'subscribe_events', event_type: 'discord_goodnight' }, (e) =>
        events.push(e as (typeof events)[number]),
      );
      const reply = await (await send('goodnight', { music: true })).waitForReply(15_000);
      expect(reply.embeds[0].description).toContain('`discord_goodnight`');
      const [event] = await waitFor(() => events.length > 0 && events, 10_000, 'the HA event');
      expect(event!.data).toEqual({
        command: 'goodnight',
        options: { music: true },
        user_id: MANAGER.id,
        user_name: MANAGER.username,
        guild_id: GUILD_ID,
        channel_id: CHANNEL_ID,
        confirmed: false,
      });
    } finally {
      listener.close();
    }
  });
});
