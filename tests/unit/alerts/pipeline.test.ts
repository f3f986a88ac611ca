import { alertOutlet } from '../../../src/alerts/alert-outlet.js';
import { LastSeen } from '../../../src/alerts/last-seen.js';
import { AlertPipeline, type HistoryLookup } from '../../../src/alerts/pipeline.js';
import type { HistoryPoint } from '../../../src/alerts/reconcile.js';
import { RuleEngine } from '../../../src/alerts/rule-engine.js';
import { RuleSchema, type RuleInput } from '../../../src/alerts/rule-schema.js';
import type { Alert } from '../../../src/alerts/types.js';
import { EntityStore } from '../../../src/ha/entity-store.js';
import { statesRenewedAt } from '../../../src/ha/restart.js';
import { createLogger } from '../../../src/logging/logger.js';
import { AlertStateStore } from '../../../src/storage/alert-states.js';
import { openDatabase, type Db } from '../../../src/storage/database.js';
import { groupCommits } from '../../../src/storage/group-commits.js';
import { waitFor } from '../../helpers/wait.js';

const MOTION = 'binary_sensor.porch_motion';
const DOOR = 'binary_sensor.front_door';
const TEMP = 'sensor.temp';
const DOORS: RuleInput = { name: 'doors', entities: ['binary_sensor.*'] };

/** A flush of pending promise callbacks (not a wait for time to pass). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** The bot's alert side against a hand-driven entity store: HA's stream, status and history. */
class Bot {
  readonly store = new EntityStore();
  readonly alerts: Alert[] = [];
  readonly historyCalls: { ids: readonly string[]; since: number }[] = [];
  readonly pipeline: AlertPipeline;

  constructor(
    readonly db: Db,
    opts: { rules?: RuleInput[]; history?: HistoryLookup; flushMs?: number; bursts?: boolean } = {},
  ) {
    // As src/index.ts: a live alert opens a burst (one transaction, committed at the end of
    // the step), and the states alerts came from are written just before its commit.
    const inBurst = opts.bursts
      ? groupCommits(
          db,
          (error) => {
            throw error;
          },
          () => this.pipeline.writeAlertedStates(),
        )
      : () => false;
    const rules = (opts.rules ?? [DOORS]).map((r) => RuleSchema.parse(r));
    const engine = new RuleEngine(rules, (entityId) => ({
      entityId,
      domain: entityId.split('.')[0]!,
      areaId: undefined,
      areaName: undefined,
      deviceClass: undefined,
    }));
    const history = opts.history;
    this.pipeline = new AlertPipeline({
      store: this.store,
      engine,
      emit: alertOutlet({
        describe: () => undefined,
        isMuted: () => false,
        enqueue: (_channel, entry) => {
          inBurst();
          this.alerts.push(entry.payload as Alert);
        },
        defaultChannelId: 'alerts',
        log: createLogger({ level: 'silent', secrets: [] }),
      }),
      log: createLogger({ level: 'silent', secrets: [] }),
      lastSeen: new LastSeen(new AlertStateStore(db), {
        attributes: () => engine.attributes,
        onError: (error) => {
          throw error;
        },
        onFull: () => undefined,
        flushMs: opts.flushMs,
      }),
      history:
        history &&
        ((ids, since) => {
          this.historyCalls.push({ ids, since });
          return history(ids, since);
        }),
      historyRetryMs: [10, 10],
      restartSettleMs: 50,
      atomically: (fn) => db.transaction(fn)(),
    });
  }

  /** A fresh subscription's first message: every entity, as HA has it now. */
  snapshot(states: Record<string, [state: string, lastChanged: number]>): void {
    this.store.expectSnapshot();
    this.store.apply({
      a: Object.fromEntries(
        Object.entries(states).map(([id, [s, lc]]) => [id, { s, lc, c: `c${lc}` }]),
      ),
    });
  }

  change(entityId: string, state: string, lastChanged: number): void {
    this.store.apply({ c: { [entityId]: { '+': { s: state, lc: lastChanged } } } });
  }

  running(restarted = false): void {
    this.pipeline.setHa({ connected: true, running: true, restarted });
  }

  /**
   * HA RUNNING, the connection saying nothing of a restart: as src/ha/startup.ts, a restart
   * is then told by HA's states, most of them renewed after the clock the bot had saved.
   */
  runningAsFound(): void {
    const renewedAt = statesRenewedAt(this.store.all());
    this.pipeline.setHa({
      connected: true,
      running: true,
      restarted: false,
      ...(renewedAt === undefined ? {} : { statesRenewedAt: renewedAt }),
    });
  }

  starting(): void {
    this.pipeline.setHa({ connected: true, running: false, restarted: true });
  }

  disconnected(): void {
    this.pipeline.setHa({ connected: false, running: false, restarted: false });
  }

  stop(): void {
    this.pipeline.stop();
  }

  /** Saw `states` while HA was running, then lost the connection to it. */
  watchedThenLost(states: Record<string, [state: string, lastChanged: number]>): void {
    this.snapshot(states);
    this.running();
    this.disconnected();
  }
}

const HOME = (motion: string, lc: number, others = 1) => ({
  [MOTION]: [motion, lc] as [string, number],
  [DOOR]: ['off', others] as [string, number],
  [TEMP]: ['21', others] as [string, number],
  'light.porch': ['off', others] as [string, number],
});

/** HA's history from a list of (entity, state, at). */
function recorded(rows: [string, string, number][]): HistoryLookup {
  return (ids) => {
    const result = new Map<string, HistoryPoint[]>();
    for (const [id, state, at] of rows) {
      if (!ids.includes(id)) continue;
      result.set(id, [...(result.get(id) ?? []), { state, at }]);
    }
    return Promise.resolve(result);
  };
}

let db: Db;
let bots: Bot[];
beforeEach(() => {
  db = openDatabase(':memory:');
  bots = [];
});
afterEach(() => {
  for (const bot of bots) bot.stop();
  db.close();
});

function start(opts?: ConstructorParameters<typeof Bot>[1]): Bot {
  const bot = new Bot(db, opts);
  bots.push(bot);
  return bot;
}

/** A run of the bot that saw `states` with HA running and was then stopped. */
function ranThenStopped(states: Record<string, [state: string, lastChanged: number]>): Bot {
  const bot = start();
  bot.snapshot(states);
  bot.running();
  bot.stop();
  return bot;
}

/** On before the restart, a stale 'off' restored by HA, then 'on' again. */
const ON_VIA_STALE_OFF = {
  entityId: MOTION,
  from: 'on',
  to: 'on',
  changedAndBack: true,
  missedWhile: 'ha_restart',
  via: ['off'],
};

describe('AlertPipeline: live and across a lost connection', () => {
  it('judges a live change at once, not marked as missed', () => {
    const bot = start();
    bot.snapshot(HOME('off', 1));
    bot.running();
    bot.change(MOTION, 'on', 2);
    expect(bot.alerts).toMatchObject([{ entityId: MOTION, from: 'off', to: 'on', missed: false }]);
    expect(bot.alerts[0]!.missedWhile).toBeUndefined();
  });

  it('queues a threshold rule’s chart period and thresholds with its alert', () => {
    const bot = start({
      rules: [{ name: 'hot', entities: [TEMP], above: 25, chart: '6h' }, DOORS],
    });
    bot.snapshot(HOME('off', 1));
    bot.running();
    bot.change(TEMP, '26', 2);
    bot.change(DOOR, 'on', 3);
    expect(bot.alerts).toMatchObject([
      { entityId: TEMP, chartMs: 6 * 3_600_000, chartMarks: { above: 25 } },
      { entityId: DOOR },
    ]);
    expect(bot.alerts[1]!.chartMs).toBeUndefined();
  });

  it('reports a change and back while the connection was lost (HA kept running)', () => {
    const bot = start();
    bot.watchedThenLost(HOME('off', 1));
    bot.snapshot(HOME('off', 5));
    bot.running();
    expect(bot.alerts).toMatchObject([
      { entityId: MOTION, changedAndBack: true, missed: true, missedWhile: 'disconnected' },
    ]);
  });
});

describe('AlertPipeline: across an HA restart', () => {
  it('asks HA history about an equal state with a newer last_changed, and reports what it says', async () => {
    // on before the crash; HA restored the stale 'off' at 10; the sensor went 'on' at 11.
    const bot = start({
      history: recorded([
        [MOTION, 'on', 2],
        [MOTION, 'unknown', 9],
        [MOTION, 'off', 10],
        [MOTION, 'on', 11],
        [DOOR, 'off', 2],
        [DOOR, 'off', 10],
      ]),
    });
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot(HOME('on', 11, 10));
    bot.running(true);
    await waitFor(() => bot.alerts.length > 0);
    expect(bot.alerts).toMatchObject([ON_VIA_STALE_OFF]);
    expect(bot.historyCalls[0]!.ids).toEqual([MOTION, DOOR]);
    // From the latest state the bot had seen: nothing older is read.
    expect(bot.historyCalls[0]!.since).toBe(1);
  });

  it("asks again while HA's recorder has not written the current state yet", async () => {
    let calls = 0;
    const bot = start({
      history: (ids) => {
        calls++;
        // The door: off before; HA restored a stale 'on' at 10 and the sensor said 'off' at
        // 11, but the recorder writes both only after the first answer.
        const door = [{ state: 'off', at: 1 }];
        if (calls > 1) door.push({ state: 'on', at: 10 }, { state: 'off', at: 11 });
        const motion = [
          { state: 'on', at: 1 },
          { state: 'on', at: 10 },
        ];
        const all = new Map([
          [DOOR, door],
          [MOTION, motion],
        ]);
        return Promise.resolve(new Map([...all].filter(([id]) => ids.includes(id))));
      },
    });
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot({ ...HOME('on', 10, 10), [DOOR]: ['off', 11] });
    bot.running(true);
    await waitFor(() => bot.alerts.length > 0);
    expect(bot.alerts).toMatchObject([{ entityId: DOOR, changedAndBack: true, via: ['on'] }]);
    expect(calls).toBe(2);
  });

  it('reports nothing without HA history, rather than an alert for every restored entity', async () => {
    const bot = start({ history: () => Promise.resolve(undefined) });
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot(HOME('on', 11, 10));
    bot.running(true);
    await waitFor(() => bot.historyCalls.length > 0);
    await settled();
    expect(bot.alerts).toEqual([]);
    bot.change(MOTION, 'off', 12);
    expect(bot.alerts).toMatchObject([{ entityId: MOTION, to: 'off', missed: false }]);
  });

  it('reports a stale restore followed by the real value, seen while HA was starting', () => {
    const bot = start({ history: () => Promise.reject(new Error('not to be asked')) });
    bot.watchedThenLost(HOME('on', 1));
    // Connected while HA starts: the stale 'off' is there, then the sensor says 'on'; the
    // door comes back from its placeholder.
    bot.snapshot({ ...HOME('off', 10, 10), [DOOR]: ['unavailable', 9] });
    bot.starting();
    bot.change(DOOR, 'off', 10);
    bot.change(MOTION, 'on', 11);
    expect(bot.alerts).toEqual([]);
    bot.running(true);
    expect(bot.alerts).toMatchObject([
      { entityId: MOTION, changedAndBack: true, missedWhile: 'ha_restart', via: ['off'] },
    ]);
    expect(bot.historyCalls).toEqual([]);
  });

  it('does not report states HA restored from placeholders while the bot watched it start', () => {
    const bot = start({ history: () => Promise.reject(new Error('not to be asked')) });
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot({
      [MOTION]: ['unavailable', 9],
      [DOOR]: ['unavailable', 9],
      [TEMP]: ['unavailable', 9],
      'light.porch': ['unavailable', 9],
    });
    bot.starting();
    bot.change(MOTION, 'on', 10);
    bot.change(DOOR, 'off', 10);
    bot.running(true);
    expect(bot.alerts).toEqual([]);
    expect(bot.historyCalls).toEqual([]);
  });

  it('a stale state at RUNNING, corrected right after: one alert, from before the restart', () => {
    const bot = start();
    bot.watchedThenLost(HOME('on', 1));
    // Connected while HA starts; HA is RUNNING with the stale 'off', then the sensor says 'on'.
    bot.snapshot(HOME('off', 10, 10));
    bot.starting();
    bot.running(true);
    expect(bot.alerts).toEqual([]);
    bot.change(MOTION, 'on', 11);
    expect(bot.alerts).toMatchObject([ON_VIA_STALE_OFF]);
  });

  it('a placeholder at RUNNING, the stale state, then the real one: still one alert', () => {
    const bot = start();
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot({ ...HOME('on', 1, 10), [MOTION]: ['unknown', 10] });
    bot.starting();
    bot.running(true);
    bot.change(MOTION, 'off', 11); // restored, stale
    bot.change(MOTION, 'on', 12); // the sensor's real state
    expect(bot.alerts).toMatchObject([
      { entityId: MOTION, from: 'on', to: 'on', changedAndBack: true, via: ['off'] },
    ]);
  });

  it('a state HA restored differently, then a third one: the restart change, then the live one', () => {
    const bot = start({ rules: [{ name: 'temp', entities: [TEMP] }] });
    bot.watchedThenLost(HOME('on', 1));
    // HA resets the value at start (`initial:`); then someone sets another.
    bot.snapshot({ ...HOME('on', 1, 10), [TEMP]: ['15', 10] });
    bot.running(true);
    bot.change(TEMP, '25', 11);
    expect(bot.alerts.map((a) => [a.from, a.to, a.missedWhile])).toEqual([
      ['21', '15', 'ha_restart'],
      ['15', '25', undefined],
    ]);
  });

  it('a state HA restored differently and nothing corrects: reported after a moment', async () => {
    const bot = start();
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot(HOME('off', 10, 10));
    bot.running(true);
    expect(bot.alerts).toEqual([]);
    // Other entities are live meanwhile.
    bot.change(DOOR, 'on', 11);
    expect(bot.alerts).toMatchObject([{ entityId: DOOR, missed: false }]);
    await waitFor(() => bot.alerts.length > 1);
    expect(bot.alerts[1]).toMatchObject({
      entityId: MOTION,
      from: 'on',
      to: 'off',
      missed: true,
      missedWhile: 'ha_restart',
    });
  });

  it('judges a change after core_config_updated as live when HA then says RUNNING', () => {
    const bot = start();
    bot.watchedThenLost(HOME('off', 1));
    bot.snapshot(HOME('off', 10, 10));
    bot.starting();
    // HA is RUNNING and fires core_config_updated; the sensor changes before the bot hears
    // RUNNING back from get_config.
    bot.pipeline.coreConfigChanged();
    bot.change(MOTION, 'on', 11);
    bot.running(true);
    expect(bot.alerts).toMatchObject([{ entityId: MOTION, from: 'off', to: 'on', missed: false }]);
  });

  it('keeps changes after a core_config_updated of a start still going as part of the gap', () => {
    const bot = start();
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot(HOME('off', 10, 10));
    bot.starting();
    bot.pipeline.coreConfigChanged(); // fired as HA begins STARTING
    bot.change(MOTION, 'on', 11);
    bot.starting(); // get_config: still STARTING
    bot.running(true);
    expect(bot.alerts).toMatchObject([
      { entityId: MOTION, changedAndBack: true, missedWhile: 'ha_restart' },
    ]);
  });

  it('takes only the changes after the latest core_config_updated as live', () => {
    const bot = start();
    bot.watchedThenLost(HOME('off', 1, 1));
    bot.snapshot({ ...HOME('off', 1, 1), [MOTION]: ['unavailable', 9] });
    bot.starting();
    bot.pipeline.coreConfigChanged(); // STARTING
    bot.change(MOTION, 'off', 10); // restored from its placeholder
    bot.pipeline.coreConfigChanged(); // RUNNING, before the bot heard back about STARTING
    bot.change(MOTION, 'on', 11);
    bot.running(true);
    expect(bot.alerts).toMatchObject([{ entityId: MOTION, from: 'off', to: 'on', missed: false }]);
  });

  it("drops history's finding for an entity that changed live since", async () => {
    let answer: (value: Map<string, HistoryPoint[]>) => void = () => undefined;
    const bot = start({ history: () => new Promise((resolve) => (answer = resolve)) });
    bot.watchedThenLost(HOME('on', 1));
    bot.snapshot(HOME('on', 11, 10));
    bot.running(true);
    await waitFor(() => bot.historyCalls.length > 0);
    bot.change(MOTION, 'off', 12);
    answer(
      new Map([
        [
          MOTION,
          [
            { state: 'on', at: 1 },
            { state: 'off', at: 10 },
            { state: 'on', at: 11 },
          ],
        ],
      ]),
    );
    await settled();
    expect(bot.alerts).toMatchObject([{ entityId: MOTION, to: 'off', missed: false }]);
  });
});

describe('AlertPipeline: across the bot being stopped', () => {
  it('reports nothing on the first ever start, then what changed while it was stopped, once', () => {
    expect(ranThenStopped(HOME('on', 1)).alerts).toEqual([]);

    const second = start();
    second.snapshot({ ...HOME('on', 1), [DOOR]: ['on', 5] });
    second.running();
    expect(second.alerts).toMatchObject([
      { entityId: DOOR, from: 'off', to: 'on', missed: true, missedWhile: 'bot_offline' },
    ]);
    second.stop();

    const third = start();
    third.snapshot({ ...HOME('on', 1), [DOOR]: ['on', 5] });
    third.running();
    expect(third.alerts).toEqual([]);
  });

  it('reports a change and back while it was stopped (HA kept running)', () => {
    ranThenStopped(HOME('off', 1));
    const second = start();
    second.snapshot(HOME('off', 5));
    second.running();
    expect(second.alerts).toMatchObject([
      { entityId: MOTION, changedAndBack: true, missedWhile: 'bot_offline' },
    ]);
  });

  it('reports nothing for entities newly watched', () => {
    ranThenStopped(HOME('off', 1));
    const second = start({ rules: [DOORS, { name: 'temp', entities: [TEMP] }] });
    second.snapshot({ ...HOME('off', 1), [TEMP]: ['25', 5] });
    second.running();
    expect(second.alerts).toEqual([]);
    second.stop();
    // From now on it is kept.
    const third = start({ rules: [DOORS, { name: 'temp', entities: [TEMP] }] });
    third.snapshot({ ...HOME('off', 1), [TEMP]: ['26', 6] });
    third.running();
    expect(third.alerts).toMatchObject([{ entityId: TEMP, to: '26', missedWhile: 'bot_offline' }]);
  });

  it('keeps the state of an alert for the next start at the end of the tick, not the batch', async () => {
    const first = start();
    first.snapshot(HOME('off', 1));
    first.running();
    first.change(MOTION, 'on', 2);
    expect(first.alerts).toHaveLength(1);
    await settled();
    // A crash now: nothing more is written.
    const saved = new AlertStateStore(db).load()!;
    expect(saved.states.get(MOTION)).toMatchObject({ state: 'on', lastChanged: 2 });
  });

  it('keeps only the states alerts came from at the end of the tick; a crash then repeats none', async () => {
    const rules: RuleInput[] = [{ name: 'on', entities: ['binary_sensor.*'], to: 'on' }];
    const first = start({ rules, flushMs: 60_000 });
    first.snapshot(HOME('on', 1));
    first.running();
    // One frame of a flood: the motion's change fires nothing, the door's fires.
    first.store.apply({
      c: {
        [MOTION]: { '+': { s: 'off', lc: 2 } },
        [DOOR]: { '+': { s: 'on', lc: 3 } },
      },
    });
    expect(first.alerts).toMatchObject([{ entityId: DOOR, to: 'on' }]);
    await settled();
    // A crash now: the door's state is kept, the motion's waits for the timed write.
    const saved = new AlertStateStore(db).load()!;
    expect(saved.states.get(DOOR)).toMatchObject({ state: 'on', lastChanged: 3 });
    expect(saved.states.get(MOTION)).toMatchObject({ state: 'on', lastChanged: 1 });
    expect(saved.haClock).toBe(1);
    // The next start compares: the door's alert is not repeated, the motion's change judged.
    const second = start({ rules });
    second.snapshot({ ...HOME('off', 2), [DOOR]: ['on', 3] });
    second.running();
    expect(second.alerts).toEqual([]);
    expect(new AlertStateStore(db).load()!.states.get(MOTION)).toMatchObject({ state: 'off' });
  });

  it("commits a live alert's state in the alert's own burst; a crash right after repeats none", async () => {
    const rules: RuleInput[] = [{ name: 'on', entities: ['binary_sensor.*'], to: 'on' }];
    const first = start({ rules, flushMs: 60_000, bursts: true });
    first.snapshot(HOME('off', 1));
    first.running();
    first.change(DOOR, 'on', 2);
    expect(first.alerts).toMatchObject([{ entityId: DOOR, to: 'on' }]);
    expect(db.inTransaction).toBe(true);
    // The burst's commit (a microtask), before the end of the tick: a crash now.
    await Promise.resolve();
    expect(db.inTransaction).toBe(false);
    expect(new AlertStateStore(db).load()!.states.get(DOOR)).toMatchObject({
      state: 'on',
      lastChanged: 2,
    });
    const second = start({ rules });
    second.snapshot({ ...HOME('off', 1), [DOOR]: ['on', 2] });
    second.running();
    expect(second.alerts).toEqual([]);
  });

  // Off the live path, an alert's state is written with it, not by the timed write (a minute
  // away here): a crash right after the alert, and the next start repeats none.

  it('keeps a restart change reported after the wait with its alert; a crash then repeats none', async () => {
    const first = start({ flushMs: 60_000 });
    first.watchedThenLost(HOME('on', 1));
    first.snapshot({ ...HOME('on', 1), [MOTION]: ['off', 10] });
    first.running(true);
    await waitFor(() => first.alerts.length > 0);
    expect(first.alerts).toMatchObject([
      { entityId: MOTION, from: 'on', to: 'off', missedWhile: 'ha_restart' },
    ]);
    // A crash now.
    const second = start();
    second.snapshot({ ...HOME('on', 1), [MOTION]: ['off', 10] });
    second.running();
    expect(second.alerts).toEqual([]);
  });

  it('keeps a corrected restart change with its alert; a crash then repeats none', () => {
    const first = start({ flushMs: 60_000 });
    first.watchedThenLost(HOME('on', 1));
    first.snapshot({ ...HOME('on', 1), [MOTION]: ['off', 10] });
    first.starting();
    first.running(true);
    first.change(MOTION, 'on', 11);
    expect(first.alerts).toMatchObject([ON_VIA_STALE_OFF]);
    // A crash now.
    const second = start();
    second.snapshot({ ...HOME('on', 1), [MOTION]: ['on', 11] });
    second.running();
    expect(second.alerts).toEqual([]);
  });

  it('keeps a restart change followed by a live one without alert; a crash then repeats none', () => {
    const rules: RuleInput[] = [{ name: 'from 21', entities: [TEMP], from: '21' }];
    const first = start({ rules, flushMs: 60_000 });
    first.watchedThenLost(HOME('on', 1));
    first.snapshot({ ...HOME('on', 1), [TEMP]: ['15', 10] });
    first.running(true);
    first.change(TEMP, '25', 11);
    expect(first.alerts.map((a) => [a.from, a.to, a.missedWhile])).toEqual([
      ['21', '15', 'ha_restart'],
    ]);
    // A crash now: the live change (no alert) is judged again, from 15, not from 21.
    const second = start({ rules });
    second.snapshot({ ...HOME('on', 1), [TEMP]: ['25', 11] });
    second.running();
    expect(second.alerts).toEqual([]);
  });

  it('keeps the state of a `for` rule that came due with its alert; a crash then repeats none', async () => {
    const rules: RuleInput[] = [{ name: 'left open', entities: [DOOR], to: 'on', for: '20ms' }];
    const first = start({ rules, flushMs: 60_000 });
    first.snapshot(HOME('off', 1));
    first.running();
    first.change(DOOR, 'on', 2);
    expect(first.alerts).toEqual([]);
    await waitFor(() => first.alerts.length > 0);
    expect(first.alerts).toMatchObject([{ entityId: DOOR, to: 'on', missed: false }]);
    // A crash now.
    const second = start({ rules });
    second.snapshot({ ...HOME('off', 1), [DOOR]: ['on', 2] });
    second.running();
    expect(second.alerts).toEqual([]);
  });
});

describe('AlertPipeline: the saved states after an HA restart hid changes', () => {
  // HA restarted: every entity has a new last_changed (10 or 11), the states are equal.
  const AFTER_RESTART = HOME('on', 11, 10);

  /** The bot's next start, HA kept running: what it reports. */
  function nextStart(history?: HistoryLookup): Bot {
    const next = start({ history });
    next.snapshot(AFTER_RESTART);
    next.runningAsFound();
    return next;
  }

  it.each([
    ['without HA history', () => Promise.resolve(undefined)],
    ['when reading HA history fails', () => Promise.reject(new Error('timed out'))],
  ] as [string, HistoryLookup][])(
    '%s, keeps the restored states: the next start reports no change and back',
    async (_, history) => {
      const first = start({ history });
      first.watchedThenLost(HOME('on', 1));
      first.snapshot(AFTER_RESTART);
      first.running(true);
      await waitFor(() => first.historyCalls.length > 0);
      await settled();
      first.stop();
      expect(new AlertStateStore(db).load()!.states.get(MOTION)).toMatchObject({
        lastChanged: 11,
      });
      const next = nextStart();
      await settled();
      expect(next.alerts).toEqual([]);
    },
  );

  it('stopped before HA history answered: the next start asks it again, and reports only what it says', async () => {
    const first = start({ history: () => new Promise(() => undefined) });
    first.watchedThenLost(HOME('on', 1));
    first.snapshot(AFTER_RESTART);
    first.running(true);
    await waitFor(() => first.historyCalls.length > 0);
    first.stop();
    // The motion sensor went off and on while HA restarted; the door only got restored.
    const next = nextStart(
      recorded([
        [MOTION, 'on', 1],
        [MOTION, 'off', 10],
        [MOTION, 'on', 11],
        [DOOR, 'off', 1],
        [DOOR, 'off', 10],
      ]),
    );
    // Not judged before HA's history tells: as across an HA restart.
    expect(next.alerts).toEqual([]);
    await waitFor(() => next.alerts.length > 0);
    await settled();
    expect(next.alerts).toMatchObject([{ ...ON_VIA_STALE_OFF, missedWhile: 'bot_offline' }]);
    // From the latest state saved before HA's restart.
    expect(next.historyCalls[0]!.since).toBe(1);
  });

  it('a crash before HA history answered: the next start asks it again, no false change and back', async () => {
    const first = start({ history: () => new Promise(() => undefined) });
    first.watchedThenLost(HOME('on', 1));
    first.snapshot(AFTER_RESTART);
    first.running(true);
    await waitFor(() => first.historyCalls.length > 0);
    // A crash now (the first bot is not stopped).
    const next = nextStart(
      recorded([
        [MOTION, 'on', 1],
        [MOTION, 'on', 11],
        [DOOR, 'off', 1],
        [DOOR, 'off', 10],
      ]),
    );
    expect(next.alerts).toEqual([]);
    await waitFor(() => next.historyCalls.length > 0);
    await settled();
    expect(next.alerts).toEqual([]);
    expect(new AlertStateStore(db).load()!.states.get(MOTION)).toMatchObject({ lastChanged: 11 });
  });
});
