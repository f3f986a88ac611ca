import type { InteractionHandle } from '../fakes/discord/types.js';
import { waitFor } from '../helpers/wait.js';
import {
  ALERT_CHANNEL_ID,
  EPHEMERAL,
  HOME,
  MANAGER,
  sendHa,
  settle,
  sharedWorld,
  MEMBER,
} from './world.js';

const SENSORS = Array.from({ length: 30 }, (_, i) => ({
  entity_id: `sensor.probe_${String(i).padStart(2, '0')}`,
  state: String(i),
  attributes: { friendly_name: `Probe ${String(i).padStart(2, '0')}`, unit_of_measurement: '°C' },
}));

type Button = { custom_id: string; label: string };
const buttonsOf = (body: { components?: { components: Button[] }[] }): Button[] =>
  body.components?.flatMap((row) => row.components) ?? [];
const button = (body: Parameters<typeof buttonsOf>[0], label: string) => {
  const found = buttonsOf(body).find((b) => b.label === label);
  if (!found) throw new Error(`no button '${label}' in ${JSON.stringify(body.components)}`);
  return found.custom_id;
};
/** What a press did to the message it was on: type 7's data, or the edit after type 6. */
async function updated(handle: InteractionHandle) {
  const callback = await handle.waitForCallback();
  if (callback.type === 7) return callback.data as Record<string, unknown>;
  await waitFor(() => handle.replies.some((r) => r.type === 'edit'));
  return handle.replies.find((r) => r.type === 'edit')!.body as Record<string, unknown>;
}

describe('buttons and /ha list', () => {
  const world = sharedWorld({ ha: { entities: [...HOME.entities, ...SENSORS] } });
  const calls = () => world().ha.serviceCalls.filter((c) => c.domain !== 'logbook');
  const press = (customId: string, user: typeof MANAGER | typeof MEMBER = MANAGER) =>
    world().discord.sendComponent({ user, customId });

  it('puts Toggle and Refresh under a state reply; Toggle updates it in place', async () => {
    await settle(world(), 'light.porch', 'off');
    const reply = await (
      await sendHa(world().discord, 'state', { entity: 'light.porch' })
    ).waitForReply();
    expect(buttonsOf(reply).map((b) => b.label)).toEqual(['Toggle', 'Refresh']);
    const toggled = await updated(await press(button(reply, 'Toggle')));
    expect(world().ha.states.get('light.porch')!.state).toBe('on');
    expect(calls().at(-1)).toMatchObject({ domain: 'light', service: 'toggle' });
    const embed = (toggled.embeds as { title: string; footer: { text: string } }[])[0]!;
    expect(embed.title).toBe('Porch Lamp is on');
    expect(embed.footer.text).toBe('Toggled by owner');
    expect(buttonsOf(toggled).map((b) => b.label)).toEqual(['Toggle', 'Refresh']);
  });

  it('checks the policy of whoever presses, privately', async () => {
    const reply = await (
      await sendHa(world().discord, 'state', { entity: 'switch.kettle' })
    ).waitForReply();
    const before = calls().length;
    const refusal = await (await press(button(reply, 'Toggle'), MEMBER)).waitForReply();
    expect(refusal.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refusal.content).toBe(
      'You need the Manage Server permission to control `switch.kettle`.',
    );
    expect(calls().length).toBe(before);
  });

  it('refreshes a state reply with the current state', async () => {
    const reply = await (
      await sendHa(world().discord, 'state', { entity: 'sensor.humidity' })
    ).waitForReply();
    expect(buttonsOf(reply).map((b) => b.label)).toEqual(['Refresh']);
    await settle(world(), 'sensor.humidity', '55', '55 %');
    const fresh = await updated(await press(button(reply, 'Refresh'), MEMBER));
    expect(JSON.stringify(fresh.embeds)).toContain('55 %');
  });

  it('offers Unlock under a locked lock, and asks to confirm it privately', async () => {
    await settle(world(), 'lock.front_door_lock', 'locked');
    const reply = await (
      await sendHa(world().discord, 'state', { entity: 'lock.front_door_lock' })
    ).waitForReply();
    const before = calls().length;
    const prompt = await (await press(button(reply, 'Unlock'))).waitForReply();
    expect(prompt.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(prompt.content).toContain('Unlock Front Door Lock?');
    expect(calls().length).toBe(before);
    const confirm = await press(buttonsOf(prompt)[0]!.custom_id);
    await waitFor(() => confirm.replies.some((r) => r.type === 'followup'));
    expect(world().ha.states.get('lock.front_door_lock')!.state).toBe('unlocked');
  });

  it('lists entities with their states, paged with buttons', async () => {
    const first = await (
      await sendHa(world().discord, 'list', { domain: 'sensor' })
    ).waitForReply();
    expect(first.embeds[0].title).toBe('sensor (32)');
    expect(first.embeds[0].footer.text).toBe('Page 1 of 2');
    expect(buttonsOf(first).map((b) => b.label)).toEqual(['Next ▶']);
    const second = await updated(await press(button(first, 'Next ▶'), MEMBER));
    const embed = (second.embeds as { description: string; footer: { text: string } }[])[0]!;
    expect(embed.footer.text).toBe('Page 2 of 2');
    expect(embed.description.split('\n')).toHaveLength(12);
    expect(buttonsOf(second).map((b) => b.label)).toEqual(['◀ Previous']);
  });

  it('lists by area, and names the areas when one is unknown', async () => {
    const kitchen = await (
      await sendHa(world().discord, 'list', { domain: 'light', area: 'kitchen' })
    ).waitForReply();
    expect(kitchen.embeds[0].title).toBe('light in Kitchen (1)');
    expect(kitchen.embeds[0].description).toContain('light.kitchen_light');
    const unknown = await (await sendHa(world().discord, 'list', { area: 'attic' })).waitForReply();
    expect(unknown.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(unknown.content).toBe("No area matches 'attic'. Areas: Kitchen, Bedroom.");
  });

  it('puts Mute 1 h under an alert; pressing it silences that entity', async () => {
    world().ha.setState('binary_sensor.back_door', 'on');
    const alert = await world().discord.waitForMessage(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Back Door'),
    );
    const mute = await (await press(button(alert.body, 'Mute 1 h'))).waitForReply();
    expect(mute.content).toContain('`binary_sensor.back_door` muted until');
    await world().bot.waitForMessage('muted from an alert');
    const count = world().discord.messages.length;
    world().ha.setState('binary_sensor.back_door', 'off');
    world().ha.setState('binary_sensor.front_door', 'on');
    await world().discord.waitForMessage(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Front Door'),
    );
    const since = world()
      .discord.messages.slice(count)
      .map((m) => JSON.stringify(m.body));
    expect(since.some((b) => b.includes('Back Door'))).toBe(false);
  });
});
