import { createAlertCharts } from '../../../src/charts/alert-chart.js';
import type { LoadResult } from '../../../src/charts/load.js';
import type { HistoryService } from '../../../src/charts/service.js';
import { HaError } from '../../../src/ha/errors.js';
import { createLogger } from '../../../src/logging/logger.js';

const log = createLogger({ level: 'silent', secrets: [] });
const ENTITY = { entityId: 'sensor.t', label: 'T', unit: '°C' };
const DATA = {
  start: 0,
  end: 1,
  source: 'history' as const,
  series: [],
  timeZone: 'UTC',
  periodText: '6 h',
};

function service(load: () => Promise<LoadResult>, png?: Buffer): HistoryService {
  return {
    load,
    render: () => Promise.resolve(png),
    logbook: () => Promise.resolve([]),
  };
}

describe('alert charts', () => {
  const draw = (s: HistoryService) => createAlertCharts(s, log).draw([ENTITY], 6 * 3_600_000);

  it('draws the chart of the period through the history service', async () => {
    const periods: string[] = [];
    const png = Buffer.from('png');
    const s = service(() => Promise.resolve({ ok: true, truncated: false, data: DATA }), png);
    s.load = (_entities, _ms, text) => {
      periods.push(text);
      return Promise.resolve({ ok: true, truncated: false, data: DATA });
    };
    expect(await draw(s)).toEqual({ ok: true, png });
    expect(periods).toEqual(['6 h']);
  });

  it('says in words why there is no chart, and never throws', async () => {
    const cases: [HistoryService, string][] = [
      [
        service(() => Promise.resolve({ ok: false, reason: 'no_recorder' })),
        'Home Assistant keeps no history (it needs `recorder:` and `history:`)',
      ],
      [
        service(() => Promise.resolve({ ok: false, reason: 'no_data' })),
        'Home Assistant recorded nothing for it in the last 6 h',
      ],
      [
        service(() => Promise.resolve({ ok: true, truncated: false, data: DATA }), undefined),
        'many charts were being drawn at once',
      ],
      [
        service(() => Promise.reject(new HaError('timeout', 'no answer'))),
        'Home Assistant did not answer in time',
      ],
      [
        service(() => Promise.reject(new HaError('not_connected', 'away'))),
        'Home Assistant was unreachable',
      ],
      [
        service(() => Promise.reject(new HaError('home_assistant_error', 'db locked'))),
        "Home Assistant's history could not be read (home_assistant_error)",
      ],
      [
        {
          ...service(() => Promise.resolve({ ok: true, truncated: false, data: DATA })),
          render: () => Promise.reject(new Error('resvg')),
        },
        'the chart could not be drawn',
      ],
    ];
    for (const [s, why] of cases) expect(await draw(s)).toEqual({ ok: false, why });
  });
});
