import type { Client } from 'discord.js';
import { OutboxPump, type DeliveryMetrics } from '../alerts/outbox-pump.js';
import { chartEntityOf, createAlertCharts } from '../charts/alert-chart.js';
import type { HistoryService } from '../charts/service.js';
import type { Config } from '../config/schema.js';
import type { EntityStore } from '../ha/entity-store.js';
import { toHaError } from '../ha/errors.js';
import { imageErrorText, type HaHttp } from '../ha/http.js';
import type { Logger } from '../logging/logger.js';
import type { Db } from '../storage/database.js';
import type { Outbox } from '../storage/outbox.js';
import { sqliteSendThreads } from '../storage/send-threads.js';
import { sqliteStatusMessages } from '../storage/status-messages.js';
import type { GatewayStatus } from './gateway-status.js';
import { createOutboxSender } from './outbox-sender.js';
import type { RenderedMessage } from './renderers.js';

/**
 * The outbox pump and its Discord side: the renderers' charts (from HA's history) and entity
 * pictures (over HA's REST API), threads made by name and status messages kept in place,
 * both in SQLite. Started and stopped by the `outboxDelivery` feature (features.ts).
 */
export function createAlertDelivery(parts: {
  db: Db;
  outbox: Outbox;
  client: Client;
  gateway: GatewayStatus;
  /** The history service /ha history uses too: they share its render queue. */
  history: HistoryService;
  images: HaHttp;
  store: Pick<EntityStore, 'get'>;
  log: Logger;
  settings: Pick<Config['alerts'], 'outbox' | 'minIntervalMs'>;
  metrics: DeliveryMetrics;
}): OutboxPump<RenderedMessage> {
  const { db, outbox, history, images, store, log } = parts;
  return new OutboxPump({
    outbox,
    port: createOutboxSender(parts.client, parts.gateway, {
      charts: createAlertCharts(history, log, (id) => chartEntityOf(id, store.get(id)?.attributes)),
      images: {
        fetch: (entityId) =>
          images.entityImage(entityId, store.get(entityId)?.attributes.entity_picture),
        describe: (entityId, error) => imageErrorText(toHaError(error), entityId, images.timeoutMs),
      },
      log,
      threads: sqliteSendThreads(db),
    }),
    statusMessages: sqliteStatusMessages(db),
    log,
    limits: parts.settings.outbox,
    minIntervalMs: parts.settings.minIntervalMs,
    metrics: parts.metrics,
  });
}
