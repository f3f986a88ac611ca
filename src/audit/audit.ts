import { newAlertId } from '../alerts/ids.js';
import type { Notice } from '../alerts/types.js';
import type { Logger } from '../logging/logger.js';

/** One control action someone took from Discord. */
export interface AuditEntry {
  userId: string;
  userName: string;
  guildId: string | null;
  channelId: string | null;
  /** What they ran, e.g. `unlock` or `watch add`. */
  command: string;
  domain: string;
  service: string;
  entityIds: readonly string[];
  /** HA's context id for the service call: what HA's logbook and traces show. */
  contextId: string | undefined;
  /** The person pressed a confirm button for it. */
  confirmed: boolean;
  /** Undefined when the call succeeded; else HA's reason. */
  error: string | undefined;
}

/** As the person typed it: `/ha unlock`, or a custom command's own `/goodnight`. */
const typed = (command: string): string => (command.startsWith('/') ? command : `/ha ${command}`);

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** HA's event for Discord commands, like `telegram_command` for Telegram. */
export const DEFAULT_COMMAND_EVENT = 'discord_bridge_command';

export interface AuditPorts {
  log: Logger;
  /** The HA event fired for each action (HA_COMMAND_EVENT); absent when it is turned off. */
  event?: { type: string; fire: (data: Record<string, unknown>) => Promise<void> };
  /** Writes a line in HA's logbook on the entity; absent when turned off. */
  logbook?: (entry: { name: string; message: string; entityId: string }) => Promise<void>;
  /** Posts to the audit channel (through the durable outbox); absent when there is none. */
  post?: (notice: Notice) => void;
}

/**
 * Every control action goes to the log; optionally to an audit channel, and to HA as an
 * event so HA automations can react to Discord commands and HA's logbook can say who did it.
 * Recording never throws and never delays the reply: the HA event is fire-and-forget.
 */
export function createAuditLog(ports: AuditPorts): AuditLog {
  // Once is enough to tell the owner: the cause (HA down, a non-admin token) repeats.
  const failures = new Set<string>();
  const warnOnce = (what: string, hint: string) => (error: unknown) => {
    if (failures.has(what)) return;
    failures.add(what);
    ports.log.warn(
      { err: (error as Error).message },
      `could not ${what} in Home Assistant (${hint})`,
    );
  };
  return {
    record(entry) {
      const call = `${entry.domain}.${entry.service}`;
      ports.log.info(
        {
          audit: true,
          userId: entry.userId,
          userName: entry.userName,
          guildId: entry.guildId,
          channelId: entry.channelId,
          command: entry.command,
          service: call,
          entityIds: entry.entityIds,
          contextId: entry.contextId,
          confirmed: entry.confirmed,
          ...(entry.error ? { error: entry.error } : {}),
        },
        entry.error ? 'control action failed' : 'control action',
      );
      ports.post?.(auditNotice(entry));
      if (entry.error) return;
      const first = entry.entityIds[0];
      if (ports.logbook && first !== undefined)
        ports
          .logbook({
            name: 'Discord',
            message: `${entry.userName} ran ${typed(entry.command)} (${call})`,
            entityId: first,
          })
          .catch(warnOnce('write to the logbook', 'is the logbook integration loaded?'));
      const event = ports.event;
      if (event)
        event
          .fire({
            command: entry.command,
            service: call,
            entity_id: entry.entityIds,
            user_id: entry.userId,
            user_name: entry.userName,
            guild_id: entry.guildId,
            channel_id: entry.channelId,
            context_id: entry.contextId ?? null,
            confirmed: entry.confirmed,
          })
          .catch(warnOnce(`fire ${event.type}`, 'firing events needs an HA administrator token'));
    },
  };
}

/** The audit channel's line for an action: who, what, where, and HA's context id. */
export function auditNotice(entry: AuditEntry): Notice {
  const where = entry.channelId ? ` in channel ${entry.channelId}` : ' in a direct message';
  const outcome = entry.error ? `FAILED: ${entry.error}` : 'done';
  return {
    id: newAlertId(),
    title: `${entry.userName} ran ${typed(entry.command)}`,
    text: [
      `${entry.userName} (Discord user ${entry.userId})${where}: ${entry.domain}.${entry.service}${entry.entityIds.length > 0 ? ` on ${entry.entityIds.join(', ')}` : ''}${entry.confirmed ? ', confirmed with the button' : ''}.`,
      `Result: ${outcome}.`,
      entry.contextId ? `HA context: ${entry.contextId}` : '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
    severity: entry.error ? 'warning' : 'info',
  };
}
