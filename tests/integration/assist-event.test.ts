import { EPHEMERAL, MANAGER, sendHa, sharedWorld } from './world.js';

const MEMBER = { id: '190000000000000003', username: 'guest', permissions: '0' };
const OTHER_MANAGER = { ...MANAGER, id: '190000000000000009', username: 'partner' };

describe('/ha ask and /ha event', () => {
  const world = sharedWorld();
  const asked: Record<string, unknown>[] = [];
  let turn = 0;

  beforeAll(() => {
    world().ha.setCommandHandler('conversation/process', (msg) => {
      asked.push(msg);
      turn++;
      return {
        result: {
          conversation_id: (msg.conversation_id as string | undefined) ?? `conv-${turn}`,
          response: {
            response_type: 'action_done',
            language: 'en',
            speech: { plain: { speech: 'Turned on the light @everyone', extra_data: null } },
            data: {
              targets: [],
              success: [{ name: 'Kitchen Light', type: 'entity', id: 'light.kitchen_light' }],
              failed: [],
            },
          },
        },
      };
    });
  });

  it('passes the sentence to Assist and answers in the channel, without pinging', async () => {
    const reply = await (
      await sendHa(world().discord, 'ask', { text: 'turn on the kitchen light' })
    ).waitForReply();
    expect(asked.at(-1)).toMatchObject({
      type: 'conversation/process',
      text: 'turn on the kitchen light',
    });
    expect(asked.at(-1)!.conversation_id).toBeUndefined();
    expect(reply.flags ?? 0).toBe(0);
    expect(reply.embeds[0].author.name).toBe('owner: turn on the kitchen light');
    expect(reply.embeds[0].description).toBe('Turned on the light @\u200beveryone');
    await world().bot.waitForLog((l) => l.audit === true && l.command === 'ask');
  });

  it('continues the conversation per person and channel', async () => {
    await (await sendHa(world().discord, 'ask', { text: 'and the porch?' })).waitForReply();
    expect(asked.at(-1)!.conversation_id).toBe('conv-1');
    await (
      await sendHa(world().discord, 'ask', { text: 'hello' }, { user: OTHER_MANAGER })
    ).waitForReply();
    expect(asked.at(-1)!.conversation_id).toBeUndefined();
  });

  it('says plainly when Assist is not loaded in HA', async () => {
    world().ha.setCommandHandler('conversation/process', null);
    const reply = await (await sendHa(world().discord, 'ask', { text: 'hi' })).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toContain('conversation integration) is not loaded');
  });

  it('is for those the policy lets ask', async () => {
    const reply = await (
      await sendHa(world().discord, 'ask', { text: 'unlock the door' }, { user: MEMBER })
    ).waitForReply();
    expect(reply.content).toBe(
      'You need the Manage Server permission to ask Home Assistant Assist.',
    );
  });

  it('fires an HA event with the data and who fired it', async () => {
    const reply = await (
      await sendHa(world().discord, 'event', { name: 'discord_doorbell', data: '{"who": "guest"}' })
    ).waitForReply();
    expect(reply.embeds[0].title).toBe('Fired discord_doorbell');
    const fired = world().ha.received.filter(
      (m: { type: string; event_type?: string }) =>
        m.type === 'fire_event' && m.event_type === 'discord_doorbell',
    );
    expect(fired).toHaveLength(1);
    expect(fired[0].event_data).toEqual({
      who: 'guest',
      discord: {
        user_id: MANAGER.id,
        user_name: 'owner',
        guild_id: expect.any(String),
        channel_id: expect.any(String),
      },
    });
  });

  it("refuses HA's own events, bad names and bad data", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ name: 'homeassistant_stop' }, 'an event Home Assistant (or this bot) fires itself'],
      [{ name: 'state_changed' }, 'fires itself'],
      [{ name: 'discord_bridge_command' }, 'fires itself'],
      [{ name: 'Bad Name!' }, 'lowercase letters'],
      [{ name: 'discord_x', data: '[1]' }, 'must be a JSON object'],
      [{ name: 'discord_x', data: '{' }, 'must be a JSON object'],
    ];
    for (const [options, expected] of cases) {
      const reply = await (await sendHa(world().discord, 'event', options)).waitForReply();
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(reply.content).toContain(expected);
    }
    expect(
      world().ha.received.some(
        (m: { type: string; event_type?: string }) =>
          m.type === 'fire_event' && ['homeassistant_stop', 'discord_x'].includes(m.event_type!),
      ),
    ).toBe(false);
  });
});
