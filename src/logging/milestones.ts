/**
 * Stable names for the points in the bot's life that people, scripts and tests wait for. The
 * log line said at such a point carries its name as a `milestone` field
 * (`{"milestone":"ha.connected","msg":"Home Assistant connected",…}`): the words of the line
 * may be reworded, the field stays. Tests wait on the field (tests/integration/harness.ts), so
 * a milestone renamed or dropped here fails to compile there instead of timing out.
 */
export const MILESTONES = [
  /** Discord (logged in, commands registered) and Home Assistant are both connected, once. */
  'bridge.ready',
  /** A side is missing and something is wrong with it: the line says what and why. */
  'bridge.not-ready',
  /** Connected (or reconnected) to Home Assistant, its states loaded. */
  'ha.connected',
  /** Home Assistant, connected while it was still starting, now runs. */
  'ha.started',
  /** The connection to Home Assistant dropped; the bot reconnects. */
  'ha.connection-lost',
  /** Home Assistant did not answer a ping in time: the bot drops the connection and reconnects. */
  'ha.ping-timeout',
  /** An attempt to reach Home Assistant failed; the bot tries again. */
  'ha.unreachable',
  /** Home Assistant rejected the access token; the bot does not retry it. */
  'ha.token-rejected',
  /** The bot switched to a new Home Assistant token (from HA_TOKEN_FILE or its own rotation). */
  'ha.token-switched',
  /** After HA restarted, its history was read for changes the restart hid. */
  'ha.history-checked',
  /** The slash commands are registered with Discord. */
  'discord.commands-registered',
  /** An attempt to reach Discord failed; the bot tries again. */
  'discord.unreachable',
  /** The health endpoint (/livez, /readyz, /metrics) is listening. */
  'health.listening',
  /** The config file was reloaded and applied. */
  'config.reloaded',
  /** Messages for a Discord channel could not be delivered; they stay in the outbox. */
  'outbox.delivery-failed',
  /** A discord_bridge_send event from Home Assistant was queued for delivery. */
  'ha-send.queued',
] as const;

export type Milestone = (typeof MILESTONES)[number];

/** The log fields marking `name`: `log.info({ ...milestone('ha.connected'), haVersion }, '…')`. */
export function milestone(name: Milestone): { milestone: Milestone } {
  return { milestone: name };
}
