import { sendHa, sharedWorld } from './world.js';

describe('an HA token whose user is not an administrator', () => {
  const world = sharedWorld({ ha: { admin: false } });

  it('connects and controls; what needs an admin is said once, not retried forever', async () => {
    await world().bot.waitForMessage(/only administrators hear its stop event/);
    const reply = await (
      await sendHa(world().discord, 'toggle', { target: 'light.kitchen_light' })
    ).waitForReply();
    expect(reply.embeds[0].title).toMatch(/^Kitchen Light is (on|off)$/);
    await world().bot.waitForMessage(/could not fire discord_bridge_command/);
    await (
      await sendHa(world().discord, 'toggle', { target: 'light.kitchen_light' })
    ).waitForReply();
    // One connection the whole time: no setup failure, no reconnect loop.
    expect(world().ha.authSuccesses).toBe(1);
    expect(world().bot.logs.filter((l) => String(l.msg).includes('setup failed'))).toEqual([]);
    expect(
      world().bot.logs.filter((l) =>
        String(l.msg).includes('could not fire discord_bridge_command'),
      ),
    ).toHaveLength(1);
  });
});
