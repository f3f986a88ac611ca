import { RuleEngine, type RuleSubject } from '../../../src/alerts/rule-engine.js';
import { RuleSchema, type RuleInput } from '../../../src/alerts/rule-schema.js';
import { STATE_MEMO, type EntityState } from '../../../src/ha/types.js';

const subjects: Record<string, RuleSubject> = {
  'binary_sensor.front_door': {
    entityId: 'binary_sensor.front_door',
    domain: 'binary_sensor',
    areaId: 'hall',
    areaName: 'Hall',
    deviceClass: 'door',
  },
  'binary_sensor.kitchen_window': {
    entityId: 'binary_sensor.kitchen_window',
    domain: 'binary_sensor',
    areaId: 'kitchen',
    areaName: 'Kitchen',
    deviceClass: 'window',
  },
  'sensor.temp': {
    entityId: 'sensor.temp',
    domain: 'sensor',
    areaId: 'kitchen',
    areaName: 'Kitchen',
    deviceClass: 'temperature',
  },
};

function engine(...rules: RuleInput[]) {
  return new RuleEngine(
    rules.map((r) => RuleSchema.parse(r)),
    (id) => subjects[id],
  );
}

let t = 0;
function st(
  entityId: string,
  state: string,
  attributes: Record<string, unknown> = {},
  lastChanged = t,
): EntityState {
  return {
    entityId,
    state,
    attributes,
    lastChanged,
    lastUpdated: lastChanged,
  };
}

/** Feeds a sequence of values for one entity and returns which steps fired. */
function feed(e: RuleEngine, entityId: string, values: string[], stepMs = 1000): number[] {
  const fired: number[] = [];
  for (let i = 1; i < values.length; i++) {
    t += stepMs;
    const out = e.observe(
      { entityId, oldState: st(entityId, values[i - 1]!), newState: st(entityId, values[i]!) },
      t,
    );
    if (out.length > 0) fired.push(i);
  }
  return fired;
}

describe('RuleEngine', () => {
  it('selects by entity glob, domain, area and device class (AND across kinds)', () => {
    const e = engine({ name: 'kitchen openings', domains: ['binary_sensor'], areas: ['Kitchen'] });
    expect(feed(e, 'binary_sensor.kitchen_window', ['off', 'on'])).toEqual([1]);
    expect(feed(e, 'binary_sensor.front_door', ['off', 'on'])).toEqual([]);
    const doors = engine({ name: 'doors', device_classes: ['door'] });
    expect(feed(doors, 'binary_sensor.front_door', ['off', 'on'])).toEqual([1]);
    const glob = engine({ name: 'g', entities: ['binary_sensor.*_door'] });
    expect(feed(glob, 'binary_sensor.front_door', ['off', 'on'])).toEqual([1]);
    expect(feed(glob, 'binary_sensor.kitchen_window', ['off', 'on'])).toEqual([]);
  });

  it('honours to and from', () => {
    const e = engine({
      name: 'opened',
      entities: ['binary_sensor.front_door'],
      to: 'on',
      from: ['off'],
    });
    expect(feed(e, 'binary_sensor.front_door', ['off', 'on', 'off', 'on'])).toEqual([1, 3]);
  });

  it('ignores attribute-only changes unless the rule names the attribute', () => {
    const e = engine({ name: 'any', entities: ['sensor.temp'] });
    t += 1000;
    expect(
      e.observe(
        {
          entityId: 'sensor.temp',
          oldState: st('sensor.temp', '20', { battery: 50 }),
          newState: st('sensor.temp', '20', { battery: 40 }),
        },
        t,
      ),
    ).toEqual([]);
    const battery = engine({
      name: 'battery',
      entities: ['sensor.temp'],
      attribute: 'battery',
      below: 20,
    });
    t += 1000;
    const out = battery.observe(
      {
        entityId: 'sensor.temp',
        oldState: st('sensor.temp', '20', { battery: 25 }),
        newState: st('sensor.temp', '20', { battery: 15 }),
      },
      t,
    );
    expect(out.map((f) => f.to)).toEqual(['15']);
  });

  it('fires a threshold once when crossed and re-arms only past the hysteresis', () => {
    const e = engine({ name: 'hot', entities: ['sensor.temp'], above: 25, hysteresis: 1 });
    // 24 -> 25.5 crosses (fires); wobbling around 25 does not; 23.9 is clear of 25-1; 26 fires again.
    expect(
      feed(e, 'sensor.temp', ['24', '25.5', '24.8', '25.2', '24.5', '25.4', '23.9', '26']),
    ).toEqual([1, 7]);
  });

  it('is not re-armed by a blank or non-numeric value, only by a number clear of the zone', () => {
    const e = engine({ name: 'hot', entities: ['sensor.temp'], above: 25, hysteresis: 1 });
    // A blank state is no number (as 'unavailable' is), not 0: 30 after it does not fire again.
    expect(feed(e, 'sensor.temp', ['24', '30', '', '30', ' ', '30', 'unavailable', '30'])).toEqual([
      1,
    ]);
    expect(feed(e, 'sensor.temp', ['30', '20', '30'])).toEqual([2]);
  });

  it('does not fire when a value was already beyond the threshold', () => {
    const e = engine({ name: 'cold', entities: ['sensor.temp'], below: 5 });
    expect(feed(e, 'sensor.temp', ['3', '2', '1'])).toEqual([]);
    expect(feed(e, 'sensor.temp', ['1', '6', '4'])).toEqual([2]);
  });

  it('fires between above and below only', () => {
    const e = engine({ name: 'band', entities: ['sensor.temp'], above: 10, below: 20 });
    expect(feed(e, 'sensor.temp', ['5', '15', '25', '15'])).toEqual([1, 3]);
  });

  it("judges each threshold rule of a change by that change's values, also on an attribute", () => {
    // The values are parsed once per change for all its rules: rules with other thresholds,
    // another entity with the same values, an attribute's value and blank states still
    // get each their own answer.
    const e = engine(
      { name: 'warm', entities: ['sensor.temp'], above: 20 },
      { name: 'hot', entities: ['sensor.temp'], above: 25, hysteresis: 1 },
      { name: 'band', entities: ['sensor.temp'], above: 10, below: 22 },
      { name: 'battery', entities: ['sensor.temp'], attribute: 'battery', below: 10 },
    );
    const fired = (from: string, to: string, attrs: Record<string, unknown> = {}) => {
      t += 1000;
      return e
        .observe(
          {
            entityId: 'sensor.temp',
            oldState: st('sensor.temp', from, attrs),
            newState: st('sensor.temp', to, attrs),
          },
          t,
        )
        .map((f) => `${f.rule.name}:${f.to}`);
    };
    expect(fired('5', '21')).toEqual(['warm:21', 'band:21']);
    expect(fired('21', '26')).toEqual(['hot:26']);
    expect(fired('26', ' ')).toEqual([]);
    expect(fired(' ', '5')).toEqual([]);
    expect(fired('5', '15')).toEqual(['band:15']);
    expect(fired('15', '30', { battery: 50 })).toEqual(['warm:30', 'hot:30']);
    t += 1000;
    const battery = e.observe(
      {
        entityId: 'sensor.temp',
        oldState: st('sensor.temp', '30', { battery: 50 }),
        newState: st('sensor.temp', '30', { battery: 5 }),
      },
      t,
    );
    expect(battery.map((f) => `${f.rule.name}:${f.to}`)).toEqual(['battery:5']);
  });

  it('waits for `for` and cancels when the state does not hold', () => {
    const e = engine({
      name: 'left open',
      entities: ['binary_sensor.front_door'],
      to: 'on',
      for: '30s',
    });
    const id = 'binary_sensor.front_door';
    t += 1000;
    expect(e.observe({ entityId: id, oldState: st(id, 'off'), newState: st(id, 'on') }, t)).toEqual(
      [],
    );
    const opened = t;
    expect(e.nextDue()).toBe(opened + 30_000);
    expect(e.due(opened + 29_000, () => st(id, 'on'))).toEqual([]);
    expect(e.due(opened + 30_000, () => st(id, 'on')).map((f) => f.rule.name)).toEqual([
      'left open',
    ]);
    // Opened, closed within the window: nothing.
    t = opened + 60_000;
    e.observe({ entityId: id, oldState: st(id, 'off'), newState: st(id, 'on') }, t);
    e.observe({ entityId: id, oldState: st(id, 'on'), newState: st(id, 'off') }, t + 5000);
    expect(e.nextDue()).toBeUndefined();
    expect(e.due(t + 60_000, () => st(id, 'off'))).toEqual([]);
  });

  it('keeps many pending `for`s in deadline order through cancels and re-opens', () => {
    const doors = Array.from({ length: 100 }, (_, i) => `binary_sensor.door_${i}`);
    const e = new RuleEngine(
      [RuleSchema.parse({ name: 'left open', domains: ['binary_sensor'], to: 'on', for: '30s' })],
      (id) => ({
        entityId: id,
        domain: 'binary_sensor',
        areaId: undefined,
        areaName: undefined,
        deviceClass: 'door',
      }),
    );
    const start = (t += 1000);
    const open = (id: string, at: number) =>
      e.observe({ entityId: id, oldState: st(id, 'off'), newState: st(id, 'on') }, at);
    const close = (id: string, at: number) =>
      e.observe({ entityId: id, oldState: st(id, 'on'), newState: st(id, 'off') }, at);
    // Door i opens at start + (99 - i) ms: the last door is due first.
    doors.forEach((id, i) => open(id, start + 99 - i));
    expect(e.nextDue()).toBe(start + 30_000);
    // Every even door closes; door 99 (due first) re-opens later.
    doors.forEach((id, i) => i % 2 === 0 && close(id, start + 200));
    close(doors[99]!, start + 200);
    open(doors[99]!, start + 1000);
    expect(e.nextDue()).toBe(start + 30_000 + 2); // door 97
    const fired = e.due(start + 30_000 + 50, () => st('x', 'on')).map((f) => f.entityId);
    // Odd doors 97 down to 49 opened at start + 2 ... start + 50, in that order.
    expect(fired).toEqual(doors.filter((_, i) => i % 2 === 1 && i >= 49 && i < 99).reverse());
    expect(e.nextDue()).toBe(start + 30_000 + 52); // door 47
    const rest = e.due(start + 40_000, () => st('x', 'on')).map((f) => f.entityId);
    expect(rest).toEqual([...doors.filter((_, i) => i % 2 === 1 && i < 49).reverse(), doors[99]]);
    expect(e.nextDue()).toBeUndefined();
  });

  it('keeps pending `for`s, arming and cooldowns of unchanged rules when rebuilt', () => {
    const leftOpen: RuleInput = {
      name: 'left open',
      entities: ['binary_sensor.front_door'],
      to: 'on',
      for: '30s',
    };
    const door: RuleInput = {
      name: 'door',
      entities: ['binary_sensor.front_door'],
      cooldown: '5m',
    };
    const hot: RuleInput = { name: 'hot', entities: ['sensor.temp'], above: 25, hysteresis: 2 };
    const id = 'binary_sensor.front_door';
    const before = engine(leftOpen, door, hot);
    t += 1000;
    const opened = t;
    expect(
      before
        .observe({ entityId: id, oldState: st(id, 'off'), newState: st(id, 'on') }, t)
        .map((f) => f.rule.name),
    ).toEqual(['door']);
    expect(feed(before, 'sensor.temp', ['20', '26'])).toEqual([1]);

    // A watch is added: the same three rules and one more.
    const after = engine(leftOpen, door, hot, { name: 'watch 1', entities: ['sensor.temp'] });
    after.adopt(before);
    expect(after.nextDue()).toBe(opened + 30_000);
    expect(after.due(opened + 30_000, () => st(id, 'on')).map((f) => f.rule.name)).toEqual([
      'left open',
    ]);
    // Still inside the cooldown of the alert before the rebuild.
    expect(feed(after, id, ['on', 'off'], 60_000)).toEqual([]);
    // Still disarmed: 26 -> 27 is not a new crossing (the new watch fires on its own).
    t += 1000;
    expect(
      after
        .observe(
          {
            entityId: 'sensor.temp',
            oldState: st('sensor.temp', '26'),
            newState: st('sensor.temp', '27'),
          },
          t,
        )
        .map((f) => f.rule.name),
    ).toEqual(['watch 1']);
  });

  it('starts a rule afresh when its definition changed', () => {
    const id = 'binary_sensor.front_door';
    const before = engine({ name: 'left open', entities: [id], to: 'on', for: '30s' });
    t += 1000;
    before.observe({ entityId: id, oldState: st(id, 'off'), newState: st(id, 'on') }, t);
    expect(before.nextDue()).toBe(t + 30_000);
    const after = engine({ name: 'left open', entities: [id], to: 'on', for: '10m' });
    after.adopt(before);
    expect(after.nextDue()).toBeUndefined();
  });

  it('fires a rule without a cooldown at every match, also after the clock was set back', () => {
    const e = engine({ name: 'door', entities: ['binary_sensor.front_door'], to: 'on' });
    const door = 'binary_sensor.front_door';
    const opened = (at: number) =>
      e.observe({ entityId: door, oldState: st(door, 'off'), newState: st(door, 'on') }, at).length;
    expect(opened(1_000_000)).toBe(1);
    // The system clock stepped back a minute (NTP): no cooldown, so nothing to wait out.
    expect(opened(940_000)).toBe(1);
    expect(opened(940_001)).toBe(1);
  });

  it('fires a `for` rule without a cooldown at every match, also after the clock was set back', () => {
    const door = 'binary_sensor.front_door';
    const e = engine({ name: 'open', entities: [door], to: 'on', for: '1m' });
    const openFor = (at: number) => {
      e.observe({ entityId: door, oldState: st(door, 'off'), newState: st(door, 'on') }, at);
      const state = st(door, 'on');
      const fired = e.due(at + 60_000, () => state).length;
      e.observe(
        { entityId: door, oldState: st(door, 'on'), newState: st(door, 'off') },
        at + 61_000,
      );
      return fired;
    };
    expect(openFor(1_000_000)).toBe(1);
    // The clock stepped back ten minutes: the next door left open still fires.
    expect(openFor(460_000)).toBe(1);
    expect(openFor(600_000)).toBe(1);
  });

  it('ends a cooldown when the clock was set back, then keeps it from the new time', () => {
    const door = 'binary_sensor.front_door';
    const e = engine({ name: 'door', entities: [door], to: 'on', cooldown: '5m' });
    const opened = (at: number) =>
      e.observe({ entityId: door, oldState: st(door, 'off'), newState: st(door, 'on') }, at).length;
    expect(opened(10_000_000)).toBe(1);
    expect(opened(10_060_000)).toBe(0);
    // An hour back: not silent for the hour plus the cooldown.
    expect(opened(6_400_000)).toBe(1);
    expect(opened(6_460_000)).toBe(0);
    expect(opened(6_700_000)).toBe(1);
  });

  it('applies a cooldown per entity', () => {
    const e = engine({ name: 'door', entities: ['binary_sensor.front_door'], cooldown: '5m' });
    expect(feed(e, 'binary_sensor.front_door', ['off', 'on', 'off', 'on'], 60_000)).toEqual([1]);
    expect(feed(e, 'binary_sensor.front_door', ['on', 'off'], 300_000)).toEqual([1]);
  });

  it("keeps each rule's cooldown, arming and pending `for` when an entity is re-matched", () => {
    const door = 'binary_sensor.front_door';
    const e = engine(
      { name: 'door', entities: [door], cooldown: '5m' },
      { name: 'open', device_classes: ['door'], to: 'on', for: '10m' },
      { name: 'hot', entities: ['sensor.temp'], above: 30, hysteresis: 2 },
    );
    expect(feed(e, door, ['off', 'on'], 60_000)).toEqual([1]);
    expect(feed(e, 'sensor.temp', ['20', '31'])).toEqual([1]);
    const due = e.nextDue();
    expect(due).toBeDefined();
    // The entities renamed or moved: their rules found again, their tracks the same.
    e.invalidate([door]);
    e.invalidate();
    expect(e.nextDue()).toBe(due);
    // Inside the cooldown; the `for` restarted, not doubled.
    expect(feed(e, door, ['on', 'off', 'on'], 60_000)).toEqual([]);
    const restarted = e.nextDue()!;
    expect(restarted).toBeGreaterThan(due!);
    expect(e.due(restarted - 1, (id) => st(id, 'on'))).toEqual([]);
    expect(e.due(restarted, (id) => st(id, 'on'))).toMatchObject([{ rule: { name: 'open' } }]);
    expect(feed(e, 'sensor.temp', ['31', '29', '32'])).toEqual([]);
    expect(feed(e, 'sensor.temp', ['32', '27', '31'])).toEqual([2]);
    // Two entities of one rule: a track each.
    expect(feed(e, 'binary_sensor.kitchen_window', ['off', 'on'])).toEqual([]);
  });

  it('finds the rules again for an entity that matched none once it is moved', () => {
    const at = (entityId: string, areaId: string): RuleSubject => ({
      entityId,
      domain: 'sensor',
      areaId,
      areaName: undefined,
      deviceClass: undefined,
    });
    const moved: Record<string, RuleSubject> = {
      'sensor.temp': at('sensor.temp', 'garage'),
    };
    const e = new RuleEngine(
      [RuleSchema.parse({ name: 'hall', areas: ['hall'] })],
      (id) => moved[id],
    );
    expect(e.watches('sensor.temp')).toBe(false);
    expect(e.watches('sensor.other')).toBe(false);
    moved['sensor.temp'] = at('sensor.temp', 'hall');
    // Not told: the answer is the one known.
    expect(e.watches('sensor.temp')).toBe(false);
    e.invalidate(['sensor.temp']);
    expect(e.watches('sensor.temp')).toBe(true);
    expect(e.watches('sensor.other')).toBe(false);
    moved['sensor.temp'] = at('sensor.temp', 'garage');
    moved['sensor.other'] = at('sensor.other', 'hall');
    e.invalidate();
    expect(e.rulesSelecting('sensor.temp')).toEqual([]);
    expect(e.rulesSelecting('sensor.other')).toMatchObject([{ name: 'hall' }]);
  });

  it('keeps "no rule" with the state, not past an invalidation nor into another engine', () => {
    const at = (areaId: string): RuleSubject => ({
      entityId: 'sensor.temp',
      domain: 'sensor',
      areaId,
      areaName: undefined,
      deviceClass: undefined,
    });
    let subject = at('garage');
    const rules = [RuleSchema.parse({ name: 'hall', areas: ['hall'] })];
    const e = new RuleEngine(rules, () => subject);
    const first = st('sensor.temp', '20');
    expect(e.watches('sensor.temp', first)).toBe(false);
    expect(first[STATE_MEMO]).toBeDefined();
    // What the store does with the entity's next state: the memo comes along.
    const next = (s: EntityState, value: string): EntityState => ({
      ...st('sensor.temp', value),
      [STATE_MEMO]: s[STATE_MEMO],
    });
    subject = at('hall');
    e.invalidate(['sensor.other']);
    // Another entity invalidated: this one's answer is still the one known.
    const second = next(first, '21');
    expect(e.watches('sensor.temp', second)).toBe(false);
    // An engine of its own does not take the first one's memo for its answer.
    expect(new RuleEngine(rules, () => subject).watches('sensor.temp', next(second, '22'))).toBe(
      true,
    );
    e.invalidate(['sensor.temp']);
    const moved = next(second, '23');
    expect(e.watches('sensor.temp', moved)).toBe(true);
    // Rules are not kept with a state (they would outlive the engine in the store's records).
    expect(moved[STATE_MEMO]).toBeUndefined();
    e.invalidate();
    const fired = e.observe(
      { entityId: 'sensor.temp', oldState: moved, newState: next(moved, '24') },
      1,
    );
    expect(fired.map((f) => f.rule.name)).toEqual(['hall']);
  });

  it('ignores unavailable/unknown transitions unless asked', () => {
    const quiet = engine({ name: 'door', entities: ['binary_sensor.front_door'] });
    expect(
      feed(quiet, 'binary_sensor.front_door', ['off', 'unavailable', 'off', 'unknown', 'on']),
    ).toEqual([]);
    const loud = engine({
      name: 'door',
      entities: ['binary_sensor.front_door'],
      include_unavailable: true,
    });
    expect(feed(loud, 'binary_sensor.front_door', ['off', 'unavailable', 'off'])).toEqual([1, 2]);
  });

  it('reports a change-and-back found across a gap, marked as missed and why', () => {
    const e = engine({ name: 'door', entities: ['binary_sensor.front_door'] });
    const id = 'binary_sensor.front_door';
    const back = (changedBetween: boolean, via?: string[]) => ({
      entityId: id,
      oldState: st(id, 'off', {}, 100),
      newState: st(id, 'off', {}, 200),
      missed: true,
      missedWhile: 'ha_restart' as const,
      changedBetween,
      via,
    });
    // A newer last_changed alone is not a change: the reconciler decides (an HA restart
    // renews every last_changed).
    expect(e.observe(back(false), 300)).toEqual([]);
    expect(e.observe(back(true, ['on']), 400)).toMatchObject([
      { missed: true, missedWhile: 'ha_restart', changedAndBack: true, to: 'off', via: ['on'] },
    ]);
  });

  it('matches to/from on a change-and-back only as far as its values are known', () => {
    const id = 'binary_sensor.front_door';
    const back = (via?: string[]) => ({
      entityId: id,
      oldState: st(id, 'on', {}, 100),
      newState: st(id, 'on', {}, 200),
      missed: true,
      changedBetween: true,
      via,
    });
    // It came back into 'on': `to: on` holds whatever it was in between.
    const opened = engine({ name: 'opened', entities: [id], to: 'on' });
    expect(opened.observe(back(), 300)).toHaveLength(1);
    const closed = engine({ name: 'closed', entities: [id], to: 'off' });
    expect(closed.observe(back(), 300)).toEqual([]);
    // `from` needs the value it came back from.
    const fromOff = engine({ name: 'from-off', entities: [id], from: 'off' });
    expect(fromOff.observe(back(), 300)).toEqual([]);
    expect(fromOff.observe(back(['off']), 400)).toHaveLength(1);
  });

  it('says which entities any rule watches, and which attributes', () => {
    const e = engine(
      { name: 'doors', device_classes: ['door'] },
      { name: 'battery', entities: ['sensor.temp'], attribute: 'battery_level' },
    );
    expect(e.watches('binary_sensor.front_door')).toBe(true);
    expect(e.watches('binary_sensor.kitchen_window')).toBe(false);
    expect(e.watches('sensor.unknown')).toBe(false);
    expect(e.attributes).toEqual(['battery_level']);
  });

  it('rejects invalid rules with a reason', () => {
    expect(RuleSchema.safeParse({ name: 'x' }).success).toBe(false);
    expect(
      RuleSchema.safeParse({ name: 'x', entities: ['sensor.t'], above: 5, below: 1 }).success,
    ).toBe(false);
    expect(RuleSchema.safeParse({ name: 'x', entities: ['sensor.t'], for: 'soon' }).success).toBe(
      false,
    );
    expect(
      RuleSchema.parse({ name: 'x', entities: ['sensor.t'], for: '1m', cooldown: 90 }),
    ).toMatchObject({ for: 60_000, cooldown: 90_000 });
  });
});

describe('RuleEngine with floors and labels', () => {
  /** Keys as the catalog gives them: ids, names and aliases in lower case. */
  const grouped: Record<string, RuleSubject> = {
    'binary_sensor.landing': {
      entityId: 'binary_sensor.landing',
      domain: 'binary_sensor',
      areaId: 'landing',
      areaName: 'Landing',
      areaKeys: ['landing', 'landing', 'stairs top'],
      floorKeys: ['first', 'upstairs', 'first floor'],
      labelKeys: ['guest_ok', 'guest ok'],
      deviceClass: 'motion',
    },
    'binary_sensor.porch': {
      entityId: 'binary_sensor.porch',
      domain: 'binary_sensor',
      areaId: undefined,
      areaName: undefined,
      areaKeys: undefined,
      floorKeys: undefined,
      labelKeys: ['outdoor', 'outdoor'],
      deviceClass: 'motion',
    },
  };
  const engineOf = (rule: RuleInput) =>
    new RuleEngine([RuleSchema.parse(rule)], (id) => grouped[id]);
  const fires = (rule: RuleInput, entityId: string) =>
    feed(engineOf(rule), entityId, ['off', 'on']).length > 0;

  it('selects by floor name, alias or id, in any case', () => {
    for (const floor of ['Upstairs', 'first floor', 'first']) {
      expect(fires({ name: floor, floors: [floor] }, 'binary_sensor.landing')).toBe(true);
    }
    expect(fires({ name: 'up', floors: ['Upstairs'] }, 'binary_sensor.porch')).toBe(false);
  });

  it('selects by label, and ANDs floors and labels with the other kinds', () => {
    expect(fires({ name: 'o', labels: ['Outdoor'] }, 'binary_sensor.porch')).toBe(true);
    expect(fires({ name: 'o', labels: ['Outdoor'] }, 'binary_sensor.landing')).toBe(false);
    const both = {
      name: 'b',
      floors: ['upstairs'],
      labels: ['Guest OK'],
      domains: ['binary_sensor'],
    };
    expect(fires(both, 'binary_sensor.landing')).toBe(true);
    expect(fires({ ...both, labels: ['outdoor'] }, 'binary_sensor.landing')).toBe(false);
  });

  it("selects an area by its alias, as the area's name", () => {
    expect(fires({ name: 'a', areas: ['Stairs top'] }, 'binary_sensor.landing')).toBe(true);
  });

  it('takes floors or labels alone as a selection', () => {
    expect(RuleSchema.safeParse({ name: 'x', floors: ['Upstairs'] }).success).toBe(true);
    expect(RuleSchema.safeParse({ name: 'x', labels: ['Outdoor'] }).success).toBe(true);
  });
});
