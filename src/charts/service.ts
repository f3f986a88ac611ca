import type { HaClient } from '../ha/client.js';
import {
  haTimeZone,
  logbookEntries,
  stateChanges,
  statistics,
  type LogbookEntry,
} from '../ha/history.js';
import { loadChart, type ChartEntity, type HistoryPort, type LoadResult } from './load.js';
import { createChartRenderer, type ChartRenderer } from './png.js';
import type { ChartData } from './series.js';
import { renderChartSvg } from './svg.js';
import { isTimeZone } from './time-axis.js';

/** Charts waiting for their turn at most; more is refused ("busy"), not queued. */
const MAX_WAITING = 8;

/** What commands use of HA's history: charts of entities (drawn one at a time), the logbook. */
export interface HistoryService {
  load(entities: readonly ChartEntity[], periodMs: number, periodText: string): Promise<LoadResult>;
  /** A PNG; undefined when too many charts are already waiting. */
  render(data: ChartData): Promise<Buffer | undefined>;
  /** HA's logbook, newest first; undefined when HA has none. */
  logbook(
    start: number,
    end: number,
    entityIds?: readonly string[],
  ): Promise<LogbookEntry[] | undefined>;
}

export function createHistoryService(
  ha: Pick<HaClient, 'command'>,
  now: () => number = Date.now,
  renderer: ChartRenderer = createChartRenderer(),
): HistoryService {
  const port: HistoryPort = {
    stateChanges: (ids, start, end) => stateChanges(ha, ids, start, end),
    statistics: (ids, start, end, period) => statistics(ha, ids, start, end, period),
    timeZone: () => haTimeZone(ha, isTimeZone),
  };
  // One render at a time (on the renderer's one thread): each needs a few MB, and renders
  // share the machine's cores with HA.
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  return {
    logbook: (start, end, entityIds) => logbookEntries(ha, start, end, entityIds),
    load: (entities, periodMs, periodText) =>
      loadChart(port, entities, periodMs, now(), periodText),
    async render(data) {
      if (waiting >= MAX_WAITING) return undefined;
      waiting++;
      const turn = queue.then(() => renderer.png(renderChartSvg(data).svg));
      queue = turn.catch(() => undefined);
      try {
        return await turn;
      } finally {
        waiting--;
      }
    },
  };
}
