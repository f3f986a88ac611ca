import { writeFileSync } from 'node:fs';
import {
  CHANNEL_ID,
  configFile,
  EPHEMERAL,
  GUILD_ID,
  HOME,
  HOME_CONTROL_ROLE_ID,
  MANAGER,
  sendHa,
  sharedWorld,
  MEMBER,
} from './world.js';

const FIRST = `access:
  grants:
    - everyone: true
      allow: [read]
commands:
  - name: where
    description: Where someone is
    script: script.where_is
    action: read
    options:
      - name: who
        description: A person
        type: entity
        domains: [person]
        required: true
  - name: goodnight
    description: Good night, house
    event: discord_goodnight
    options:
      - { name: lights, description: Turn the lights off too, type: boolean }
`;

const SECOND = `access:
  grants:
    - everyone: true
      allow: [read]
commands:
  - name: where
    description: Where someone is
    script: script.where_is
    action: read
    options:
      - { name: who, description: A person, type: entity, domains: [person], required: true }
  - name: vacuum
    description: Vacuum a room
    event: discord_vacuum
    roles: [Home Control]
    options:
      - { name: room, description: Which room, type: string, required: true, choices: [kitchen, hall] }
`;

describe('custom commands from the config file', () => {
  const path = configFile(FIRST);
  const world = sharedWorld({
    env: { CONFIG_FILE: path },
    ha: {
      entities: [
        ...HOME.entities,
        { entity_id: 'person.bob', state: 'work', attributes: { friendly_name: 'Bob' } },
        { entity_id: 'script.where_is', state: 'off', attributes: { friendly_name: 'Where is' } },
      ],
    },
  });
  const registered = () =>
    (world().discord.commands.guild.get(GUILD_ID) ?? []).map((c) => c.name as string);
  const send = (
    name: string,
    options: Record<string, string | number | boolean> = {},
    user: typeof MANAGER | typeof MEMBER = MANAGER,
  ) =>
    world().discord.sendSlashCommand({
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      user,
      name,
      options: Object.entries(options).map(([n, value]) => ({ name: n, value })),
    });
  /** The data of each `type` event the bot fired. */
  const fired = (type: string): Record<string, unknown>[] =>
    world()
      .ha.received.filter((m) => m.type === 'fire_event' && m.event_type === type)
      .map((m) => m.event_data as Record<string, unknown>);

  beforeAll(() => {
    world().ha.setServiceHandler((call) =>
      call.domain === 'script' && call.service === 'where_is'
        ? { response: { text: `Bob is at ${String(world().ha.states.get('person.bob')?.state)}.` } }
        : undefined,
    );
  });

  it('are registered beside /ha, in the form Discord takes', async () => {
    await world().discord.waitForCommands();
    expect(registered()).toEqual(['ha', 'where', 'goodnight']);
    const goodnight = world()
      .discord.commands.guild.get(GUILD_ID)!
      .find((c) => c.name === 'goodnight')!;
    expect(goodnight.options).toEqual([
      expect.objectContaining({ name: 'lights', type: 5, required: false }),
    ]);
  });

  it("run the script with the options as variables and show the script's response", async () => {
    const choices = await (
      await world().discord.sendAutocomplete({
        guildId: GUILD_ID,
        channelId: CHANNEL_ID,
        user: MEMBER,
        name: 'where',
        focused: 'who',
        options: [{ name: 'who', value: 'bo' }],
      })
    ).waitForAutocomplete();
    expect(choices.map((c) => c.value)).toEqual(['person.bob']);

    const reply = await (await send('where', { who: 'Bob' }, MEMBER)).waitForReply();
    expect(reply.embeds[0]).toMatchObject({ title: '/where', description: 'Bob is at work.' });
    expect(world().ha.serviceCalls.at(-1)).toMatchObject({
      domain: 'script',
      service: 'where_is',
      service_data: { who: 'person.bob' },
      return_response: true,
    });
  });

  it('fire their event for automations, with the options and who asked', async () => {
    const refused = await (await send('goodnight', {}, MEMBER)).waitForReply();
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toBe('You need the Manage Server permission to control that.');
    expect(fired('discord_goodnight')).toEqual([]);

    const reply = await (await send('goodnight', { lights: true })).waitForReply();
    expect(reply.embeds[0].description).toContain('`discord_goodnight`');
    expect(fired('discord_goodnight')).toEqual([
      {
        command: 'goodnight',
        options: { lights: true },
        user_id: MANAGER.id,
        user_name: MANAGER.username,
        guild_id: GUILD_ID,
        channel_id: CHANNEL_ID,
        confirmed: false,
      },
    ]);
  });

  it('are registered again when a reload changes them, and a removed one says so', async () => {
    writeFileSync(path, SECOND);
    const from = world().bot.logs.length;
    const reload = await (await sendHa(world().discord, 'reload')).waitForReply();
    expect(reload.content).toContain('2 custom command(s), registered again.');
    await world().bot.waitForMessage('slash commands registered in guild', 5_000, from);
    expect(registered()).toEqual(['ha', 'where', 'vacuum']);

    const member = await (await send('vacuum', { room: 'hall' }, MEMBER)).waitForReply();
    expect(member.content).toBe('You need the role Home Control to use /vacuum.');
    const parent = { ...MEMBER, roles: [HOME_CONTROL_ROLE_ID] };
    const reply = await (await send('vacuum', { room: 'hall' }, parent)).waitForReply();
    expect(reply.embeds[0].title).toBe('/vacuum');
    expect(fired('discord_vacuum')).toEqual([
      expect.objectContaining({ options: { room: 'hall' } }),
    ]);

    // A stale registration (a Discord client that has not caught up yet): answered.
    const stale = await (await send('goodnight')).waitForReply();
    expect(stale.content).toContain('That command is not known to this version of the bot');

    const again = await (await sendHa(world().discord, 'reload')).waitForReply();
    expect(again.content).toContain('2 custom command(s).');
  });

  it('keep running when a reloaded section is invalid, with the line of each problem', async () => {
    writeFileSync(path, `${SECOND}  - name: Ha\n    description: x\n    event: discord_x\n`);
    const reply = await (await sendHa(world().discord, 'reload')).waitForReply();
    expect(reply.content).toContain('The config was not reloaded');
    expect(reply.content).toContain(':18: commands.2.name: must be lower case');
    expect(registered()).toEqual(['ha', 'where', 'vacuum']);
  });
});
