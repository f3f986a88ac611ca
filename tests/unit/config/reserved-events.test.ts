import { reservedEvent } from '../../../src/config/reserved-events.js';

describe('reservedEvent', () => {
  const own = ['house_command', 'house_post'];

  it("refuses HA's own events and the bot's, by their configured names", () => {
    for (const type of ['homeassistant_stop', 'state_changed', 'area_registry_updated'])
      expect(reservedEvent(type, own)).toBe(true);
    // HA_COMMAND_EVENT and HA_SEND_EVENT renamed: the new names are the bot's own.
    expect(reservedEvent('house_command', own)).toBe(true);
    expect(reservedEvent('house_post', own)).toBe(true);
    // The default names stay refused too.
    expect(reservedEvent('discord_bridge_command', own)).toBe(true);
    expect(reservedEvent('discord_bridge_send', [])).toBe(true);
    // A member must not fake a press on an automation's button.
    expect(reservedEvent('discord_bridge_action', [])).toBe(true);
  });

  it('lets other events through', () => {
    expect(reservedEvent('discord_doorbell', own)).toBe(false);
    expect(reservedEvent('house_other', own)).toBe(false);
  });
});
