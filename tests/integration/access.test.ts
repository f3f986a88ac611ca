import { EPHEMERAL, sendHa, sharedWorld, configFile, suggestHa, HOUSEMATE } from './world.js';

const MEMBER = { id: '190000000000000003', username: 'guest' };

const POLICY = `access:
  grants:
    - everyone: true
      allow: [read]
    - roles: ["home control"]
      allow: [control]
      areas: [kitchen]
  deny:
    - entities: [lock.*]
      actions: [read, control]
`;

describe('who may do what', () => {
  describe('the default policy', () => {
    const world = sharedWorld();
    const as = (user: typeof MEMBER, subcommand: string, options: Record<string, string>) =>
      sendHa(world().discord, subcommand, options, { user });

    it('lets a plain member read but not toggle, and says why, privately', async () => {
      const state = await (await as(MEMBER, 'state', { entity: 'sensor.temp' })).waitForReply();
      expect(state.embeds[0].title).toBe('Temperature');
      const before = world().ha.serviceCalls.length;
      const reply = await (
        await as(MEMBER, 'toggle', { target: 'light.kitchen_light' })
      ).waitForReply();
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(reply.content).toBe(
        'You need the Manage Server permission to control `light.kitchen_light`.',
      );
      expect(world().ha.serviceCalls.length).toBe(before);
      await world().bot.waitForLog(
        (l) => l.msg === 'refused by the access policy' && l.userId === MEMBER.id,
      );
    });

    it('offers a plain member nothing to control in autocomplete', async () => {
      const choices = await (
        await suggestHa(
          world().discord,
          'toggle',
          'target',
          { target: 'kitchen' },
          { user: MEMBER },
        )
      ).waitForAutocomplete();
      expect(choices).toEqual([]);
    });

    it('refuses direct messages', async () => {
      const reply = await (
        await world().discord.sendSlashCommand({
          dm: true,
          user: MEMBER,
          name: 'ha',
          subcommand: 'state',
          options: [{ name: 'entity', value: 'sensor.temp' }],
        })
      ).waitForReply();
      expect(reply.content).toContain('does not take commands in direct messages');
    });
  });

  describe('a policy from the config file', () => {
    const world = sharedWorld({ env: { CONFIG_FILE: configFile(POLICY) } });
    const as = (user: typeof MEMBER, subcommand: string, options: Record<string, string>) =>
      sendHa(world().discord, subcommand, options, { user });

    it('lets a role control its area only', async () => {
      const ok = await (
        await as(HOUSEMATE, 'on', { target: 'light.kitchen_light' })
      ).waitForReply();
      expect(ok.embeds[0].title).toBe('Kitchen Light is on');
      const no = await (await as(HOUSEMATE, 'on', { target: 'light.bedroom_left' })).waitForReply();
      expect(no.content).toBe(
        'You need the Manage Server permission to control `light.bedroom_left`.',
      );
    });

    it('hides denied entities from reading', async () => {
      const reply = await (
        await as(HOUSEMATE, 'state', { entity: 'lock.front_door_lock' })
      ).waitForReply();
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(reply.content).toContain('to see `lock.front_door_lock`');
    });
  });
});
