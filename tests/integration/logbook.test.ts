import type { InteractionHandle } from '../fakes/discord/types.js';
import { waitFor } from '../helpers/wait.js';
import { EPHEMERAL, HOME, sharedWorld, MEMBER } from './world.js';

const ALICE = {
  entity_id: 'person.alice',
  state: 'home',
  attributes: { friendly_name: 'Alice', user_id: 'a11ce000000000000000000000000001' },
};

type Button = { custom_id: string; label: string };
const buttonsOf = (body: { components?: { components: Button[] }[] }): Button[] =>
  body.components?.flatMap((row) => row.components) ?? [];

async function updated(handle: InteractionHandle) {
  const callback = await handle.waitForCallback();
  if (callback.type === 7) return callback.data as Record<string, unknown>;
  await waitFor(() => handle.replies.some((r) => r.type === 'edit'));
  return handle.replies.find((r) => r.type === 'edit')!.body as Record<string, unknown>;
}

describe('/ha logbook', () => {
  const world = sharedWorld({ ha: { entities: [...HOME.entities, ALICE] } });

  it('says who or what changed an entity: a person, an automation', async () => {
    const now = Date.now() / 1000;
    world().ha.recorder!.seedLogbook([
      {
        when: now - 3600,
        state: 'on',
        entity_id: 'light.kitchen_light',
        context_user_id: ALICE.attributes.user_id,
      },
      {
        when: now - 1800,
        state: 'off',
        entity_id: 'light.kitchen_light',
        context_event_type: 'automation_triggered',
        context_domain: 'automation',
        context_name: 'Evening lights',
        context_entity_id: 'automation.evening_lights',
        context_message: 'triggered by time',
      },
    ]);
    const reply = await (
      await world().command('logbook', { entity: 'light.kitchen_light' })
    ).waitForReply();
    expect(reply.flags ?? 0).toBe(0);
    expect(reply.embeds[0].title).toBe('Logbook · Kitchen Light · last 24 h');
    const lines = String(reply.embeds[0].description).split('\n');
    // Newest first, times as Discord timestamps (each reader's own time zone).
    expect(lines).toEqual([
      `<t:${Math.floor(now - 1800)}:t> **Kitchen Light** turned off — by automation **Evening lights**`,
      `<t:${Math.floor(now - 3600)}:t> **Kitchen Light** turned on — by **Alice**`,
    ]);
  });

  it('pages a long logbook with buttons', async () => {
    const now = Date.now() / 1000;
    world().ha.recorder!.seedLogbook(
      Array.from({ length: 20 }, (_, i) => ({
        when: now - 7000 + i * 10,
        state: i % 2 ? 'on' : 'off',
        entity_id: 'switch.kettle',
      })),
    );
    const first = await (
      await world().command('logbook', { entity: 'switch.kettle', period: '2h' })
    ).waitForReply();
    expect(first.embeds[0].footer.text).toBe('Page 1 of 2 · 20 entries, newest first');
    expect(String(first.embeds[0].description).split('\n')).toHaveLength(15);
    const next = buttonsOf(first);
    expect(next.map((b) => b.label)).toEqual(['Next ▶']);
    const second = await updated(
      await world().discord.sendComponent({ user: MEMBER, customId: next[0]!.custom_id }),
    );
    const embed = (second.embeds as { description: string; footer: { text: string } }[])[0]!;
    expect(embed.footer.text).toBe('Page 2 of 2 · 20 entries, newest first');
    expect(embed.description.split('\n')).toHaveLength(5);
  });

  it('answers privately when nothing happened', async () => {
    const reply = await (
      await world().command('logbook', { entity: 'sensor.temp', period: '1h' })
    ).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toBe('Nothing in the logbook that you may see in the last 1 h.');
  });
});
