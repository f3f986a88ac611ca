/**
 * Events HA itself fires, or this bot does: a Discord member must not be able to fake a
 * restart, a state change or another member's command to HA's automations, nor fire the
 * event that makes the bot post (HA_SEND_EVENT). `ownEvents`: the bot's configured event
 * types; their default names are refused even when renamed or off.
 */
export function reservedEvent(type: string, ownEvents: readonly string[]): boolean {
  return (
    type.startsWith('homeassistant_') ||
    type.endsWith('_registry_updated') ||
    ownEvents.includes(type) ||
    [
      'state_changed',
      'state_reported',
      'call_service',
      'service_registered',
      'service_removed',
      'component_loaded',
      'core_config_updated',
      'automation_triggered',
      'automation_reloaded',
      'script_started',
      'logbook_entry',
      'user_added',
      'user_removed',
      'user_updated',
      'themes_updated',
      'panels_updated',
      'discord_bridge_command',
      'discord_bridge_send',
      'discord_bridge_action',
    ].includes(type)
  );
}
