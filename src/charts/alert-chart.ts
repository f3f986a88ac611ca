import { isConnectionError, toHaError } from '../ha/errors.js';
import type { Logger } from '../logging/logger.js';
import type { ChartEntity } from './load.js';
import type { ChartData } from './series.js';
import type { HistoryService } from './service.js';
import { periodText } from './time-axis.js';

/** An alert's chart as it goes out: the PNG, or in a few words why there is none. */
export type AlertChart = { ok: true; png: Buffer } | { ok: false; why: string };

/** Small charts of the last hours for alerts of rules with `chart:`, drawn at send time. */
export interface AlertCharts {
  /** `marks`: values drawn as dashed lines across the chart (the rule's thresholds). */
  draw(entity: ChartEntity, periodMs: number, marks?: ChartData['marks']): Promise<AlertChart>;
}

/**
 * Alert charts through the same history service as /ha history: HA's history read when the
 * alert goes out, drawn in the charts module's queue (one render at a time; when many wait,
 * the alert goes without). Never throws: whatever fails, the alert still goes, with why.
 */
export function createAlertCharts(history: HistoryService, log: Logger): AlertCharts {
  return {
    async draw(entity, periodMs, marks) {
      const period = periodText(periodMs);
      try {
        const loaded = await history.load([entity], periodMs, period);
        if (!loaded.ok)
          return {
            ok: false,
            why:
              loaded.reason === 'no_recorder'
                ? 'Home Assistant keeps no history (it needs `recorder:` and `history:`)'
                : `Home Assistant recorded nothing for it in the last ${period}`,
          };
        let png: Buffer | undefined;
        try {
          png = await history.render(marks ? { ...loaded.data, marks } : loaded.data);
        } catch (error) {
          log.error({ entityId: entity.entityId, err: error }, 'could not draw an alert chart');
          return { ok: false, why: 'the chart could not be drawn' };
        }
        if (png === undefined) return { ok: false, why: 'many charts were being drawn at once' };
        return { ok: true, png };
      } catch (raw) {
        const error = toHaError(raw);
        log.warn(
          { entityId: entity.entityId, code: error.code, err: error.message },
          'could not draw the chart of an alert; posting it without',
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
