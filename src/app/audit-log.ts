import { createAuditLog, type AuditLog } from '../audit/audit.js';
import type { Config } from '../config/schema.js';
import type { HaClient } from '../ha/client.js';
import type { Logger } from '../logging/logger.js';
import type { Enqueue } from '../alerts/types.js';

/** The audit log wired to where AUDIT_* says it goes: an HA event, HA's logbook, a channel. */
export function auditLogFor(
  settings: Config['audit'],
  ha: Pick<HaClient, 'fireEvent' | 'callService'>,
  enqueue: Enqueue,
  log: Logger,
): AuditLog {
  const { haEvent, logbook, channelId } = settings;
  return createAuditLog({
    log: log.child({ side: 'audit' }),
    event: haEvent ? { type: haEvent, fire: (data) => ha.fireEvent(haEvent, data) } : undefined,
    logbook: logbook
      ? async ({ name, message, entityId }) =>
          void (await ha.callService('logbook', 'log', { name, message, entity_id: entityId }))
      : undefined,
    post: channelId
      ? (notice) => enqueue(channelId, { kind: 'notice', payload: notice })
      : undefined,
  });
}
