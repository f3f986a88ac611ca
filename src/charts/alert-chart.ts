import { isConnectionError, toHaError } from '../ha/errors.js';
import type { Logger } from '../logging/logger.js';
import type { ChartEntity } from './load.js';
import type { ChartData } from './series.js';
import type { HistoryService } from './service.js';
import { periodText } from './time-axis.js';

/** An alert's chart as it goes out: the PNG, or in a few words why there is none. */
export type AlertChart = { ok: true; png: Buffer } | { ok: false; why: string };

/**
 * Charts drawn when a message goes out: alerts of rules with `chart:`, and messages from HA
 * automations with `chart:` (discord_bridge_send).
 */
export interface AlertCharts {
  /** `marks`: values drawn as dashed lines across the chart (the rule's thresholds). */
  draw(
    entities: readonly ChartEntity[],
    periodMs: number,
    marks?: ChartData['marks'],
  ): Promise<AlertChart>;
  /** An entity's name and unit as HA has them now (for a chart an automation asked for). */
  entity(entityId: string): ChartEntity;
}

/**
 * Alert charts through the same history service as /ha history: HA's history read when the
 * alert goes out, drawn in the charts module's queue (one render at a time; when many wait,
 * the alert goes without). Never throws: whatever fails, the alert still goes, with why.
 */
export function createAlertCharts(
  history: HistoryService,
  log: Logger,
  describe: (entityId: string) => ChartEntity = (entityId) => ({ entityId, label: entityId }),
): AlertCharts {
  return {
    entity: describe,
    async draw(entities, periodMs, marks) {
      const period = periodText(periodMs);
      const entityIds = entities.map((e) => e.entityId);
      try {
        const loaded = await history.load(entities, periodMs, period);
        if (!loaded.ok)
          return {
            ok: false,
            why:
              loaded.reason === 'no_recorder'
                ? 'Home Assistant keeps no history (it needs `recorder:` and `history:`)'
                : `Home Assistant recorded nothing for ${entityIds.length === 1 ? 'it' : 'them'} in the last ${period}`,
          };
        let png: Buffer | undefined;
        try {
          png = await history.render(marks ? { ...loaded.data, marks } : loaded.data);
        } catch (error) {
          log.error({ entityIds, err: error }, 'could not draw a chart for a message');
          return { ok: false, why: 'the chart could not be drawn' };
        }
        if (png === undefined) return { ok: false, why: 'many charts were being drawn at once' };
        return { ok: true, png };
      } catch (raw) {
        const error = toHaError(raw);
        log.warn(
          { entityIds, code: error.code, err: error.message },
          "could not read Home Assistant's history for a chart; posting the message without it",
        );
        const why =
          error.code === 'timeout'
            ? 'Home Assistant did not answer in time'
            : isConnectionError(error)
              ? 'Home Assistant was unreachable'
              : `Home Assistant's history could not be read (${error.code})`;
        return { ok: false, why };
      }
    },
  };
}

/** An entity as a chart names it, from HA's state attributes (friendly_name, unit). */
export function chartEntityOf(
  entityId: string,
  attributes: Readonly<Record<string, unknown>> | undefined,
): ChartEntity {
  const name = attributes?.friendly_name;
  const unit = attributes?.unit_of_measurement;
  return {
    entityId,
    label: typeof name === 'string' && name.trim() !== '' ? name : entityId,
    ...(typeof unit === 'string' && unit !== '' ? { unit } : {}),
  };
}
