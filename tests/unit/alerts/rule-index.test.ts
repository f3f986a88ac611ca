import { jest } from '@jest/globals';
import { RuleEngine, ruleSelector, type RuleSubject } from '../../../src/alerts/rule-engine.js';
import { RuleIndex } from '../../../src/alerts/rule-index.js';
import { KINDS } from '../../../src/alerts/rule-index-kinds.js';
import { RuleSchema, type Rule, type RuleInput } from '../../../src/alerts/rule-schema.js';
import { seededRandom } from '../../helpers/random.js';

const DOMAINS = ['light', 'sensor', 'binary_sensor', 'switch'];
const AREAS = ['kitchen', 'Hall', 'office'];
const CLASSES = ['door', 'motion', 'temperature'];
const FLOORS = ['upstairs', 'ground'];
const LABELS = ['guest ok', 'critical', 'night'];
const OBJECTS = ['a1', 'b12', 'door_12', 'x', 'temp_7', 'kitchen_a1'];
const KITCHEN_KEYS = ['kitchen', 'cuisine'];
const FLOOR_KEYS = FLOORS.map((f) => [f]);
const LABEL_SETS = [[], ['critical'], ['guest ok', 'night'], LABELS];

function randomSubject(next: () => number): RuleSubject {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const domain = pick(DOMAINS);
  const area = next() < 0.7 ? pick(AREAS) : undefined;
  return {
    entityId: `${domain}.${pick(OBJECTS)}`,
    domain,
    areaId: area === undefined ? undefined : next() < 0.5 ? area : area.toUpperCase(),
    areaName: area === undefined || next() < 0.3 ? undefined : `${area} room`,
    deviceClass: next() < 0.5 ? pick(CLASSES) : undefined,
    // Lists from a pool, as the catalog shares them (the index's cache takes them by
    // identity), and now and then one of its own with the same keys.
    areaKeys: next() < 0.3 ? (next() < 0.8 ? KITCHEN_KEYS : ['kitchen', 'cuisine']) : undefined,
    floorKeys: next() < 0.5 ? FLOOR_KEYS[Math.floor(next() * FLOOR_KEYS.length)] : undefined,
    labelKeys:
      next() < 0.5
        ? next() < 0.8
          ? pick(LABEL_SETS)
          : LABELS.filter(() => next() < 0.5)
        : undefined,
  };
}

/** Rules filed by id or domain alone: no entity needs a subject to rule them out. */
function randomIdRule(next: () => number, i: number): Rule {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  return next() < 0.5
    ? RuleSchema.parse({ name: `r${i}`, domains: DOMAINS.filter(() => next() < 0.4) })
    : RuleSchema.parse({
        name: `r${i}`,
        entities: [pick([`${pick(DOMAINS)}.*`, `${pick(DOMAINS)}.${pick(OBJECTS)}`, `light.*_1?`])],
      });
}

function randomRule(next: () => number, i: number): Rule {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const some = <T>(list: readonly T[]) => list.filter(() => next() < 0.4).concat(pick(list));
  const pattern = () =>
    pick([
      () => `${pick(DOMAINS)}.${pick(OBJECTS)}`,
      () => `${pick(DOMAINS)}.*`,
      () => `${pick(DOMAINS)}.*${pick(OBJECTS).slice(-2)}`,
      () => `${pick(DOMAINS)}.*_1?`,
      () => `*.${pick(OBJECTS)}`,
      () => `sens?r.*`,
      () => `${pick(DOMAINS)}.${pick(OBJECTS)}*`,
    ])();
  const input: RuleInput = { name: `r${i}` };
  if (next() < 0.5) input.entities = Array.from({ length: 1 + Math.floor(next() * 3) }, pattern);
  if (next() < 0.4) input.domains = some(DOMAINS);
  if (next() < 0.4)
    input.areas = some([...AREAS, 'HALL', 'Kitchen Room', 'office room']).map((a) =>
      next() < 0.5 ? a : a.toLowerCase(),
    );
  if (next() < 0.3) input.device_classes = some(CLASSES);
  if (next() < 0.3) input.floors = some(['Upstairs', 'ground', 'attic']);
  if (next() < 0.3) input.labels = some(['Guest OK', 'critical', 'none']);
  if (
    !input.entities &&
    !input.domains &&
    !input.areas &&
    !input.device_classes &&
    !input.floors &&
    !input.labels
  )
    input.domains = [pick(DOMAINS)];
  return RuleSchema.parse(input);
}

/** An index over `rules` that records each rule test it makes, as "rule entity". */
function recordingIndex(rules: Rule[]) {
  const tested: string[] = [];
  const index = new RuleIndex(
    rules,
    (r) => r,
    (r, s) => {
      tested.push(`${r.name} ${s.entityId}`);
      return ruleSelector(r)(s);
    },
  );
  return { index, tested };
}

describe('rule index', () => {
  it('selects exactly the rules the naive matcher selects, over random rules and entities', () => {
    const next = seededRandom(42);
    for (let round = 0; round < 50; round++) {
      // One round in five of rules filed by id or domain alone (subjects made lazily).
      const rule = round % 5 === 4 ? randomIdRule : randomRule;
      const rules = Array.from({ length: 60 }, (_, i) => rule(next, i));
      const subjects = new Map<string, RuleSubject>();
      for (let k = 0; k < 60; k++) {
        const s = randomSubject(next);
        subjects.set(s.entityId, s);
        // A twin: the same facts under another id (the index answers facts once).
        const other = OBJECTS[Math.floor(next() * OBJECTS.length)]!;
        if (next() < 0.5)
          subjects.set(`${s.domain}.${other}`, { ...s, entityId: `${s.domain}.${other}` });
      }
      const engine = new RuleEngine(rules, (id) => subjects.get(id));
      const compare = () => {
        for (const [id, subject] of subjects) {
          const naive = rules.filter((r) => ruleSelector(r)(subject)).map((r) => r.name);
          expect([id, engine.rulesSelecting(id).map((r) => r.name)]).toEqual([id, naive]);
        }
      };
      compare();
      // The catalog changes: some entities move (another area, other lists); the engine is
      // told which, and its answers per set of facts still hold.
      const moved = [...subjects.keys()].filter(() => next() < 0.3);
      for (const id of moved) {
        const { domain } = subjects.get(id)!;
        subjects.set(id, { ...randomSubject(next), entityId: id, domain });
      }
      engine.invalidate(moved);
      compare();
    }
  });

  it('re-matches only the entities it is told changed', () => {
    const rules = [
      RuleSchema.parse({ name: 'kitchen', areas: ['kitchen'] }),
      RuleSchema.parse({ name: 'hall', areas: ['hall'] }),
    ];
    const subjects = new Map<string, RuleSubject>(
      ['light.a', 'light.b'].map((id) => [
        id,
        {
          entityId: id,
          domain: 'light',
          areaId: 'kitchen',
          areaName: undefined,
          deviceClass: undefined,
        },
      ]),
    );
    const engine = new RuleEngine(rules, (id) => subjects.get(id));
    const names = (id: string) => engine.rulesSelecting(id).map((r) => r.name);
    expect([names('light.a'), names('light.b')]).toEqual([['kitchen'], ['kitchen']]);
    for (const id of ['light.a', 'light.b'])
      subjects.set(id, { ...subjects.get(id)!, areaId: 'hall' });
    engine.invalidate(['light.a']);
    // light.b was not named: its cached match stands until it is.
    expect([names('light.a'), names('light.b')]).toEqual([['hall'], ['kitchen']]);
    engine.invalidate();
    expect(names('light.b')).toEqual(['hall']);
    // The entity asked about last (its rules kept at hand for the next question) too.
    subjects.set('light.b', { ...subjects.get('light.b')!, areaId: 'kitchen' });
    engine.invalidate(['light.b']);
    expect(names('light.b')).toEqual(['kitchen']);
  });

  it('makes no subject for an entity no rule filed by id or domain could select', () => {
    // ALERT_ENTITIES-like rules: going live asks about every entity, and making each one's
    // subject (catalog entry, device class) was most of that cost at 100,000 entities.
    const rules = [
      RuleSchema.parse({ name: 'doors', entities: ['binary_sensor.*_door', 'sensor.temp'] }),
      RuleSchema.parse({ name: 'lights', domains: ['light'] }),
    ];
    const asked: string[] = [];
    const engine = new RuleEngine(rules, (id) => {
      asked.push(id);
      const domain = id.slice(0, id.indexOf('.'));
      return {
        entityId: id,
        domain,
        areaId: undefined,
        areaName: undefined,
        deviceClass: undefined,
      };
    });
    for (const id of ['sensor.humidity', 'switch.fan', 'binary_sensor.window', 'nodot'])
      expect(engine.watches(id)).toBe(false);
    expect(asked).toEqual([]);
    expect(engine.watches('binary_sensor.front_door')).toBe(true);
    expect(engine.watches('light.desk')).toBe(true);
    expect(asked).toEqual(['binary_sensor.front_door', 'light.desk']);
  });

  it('tests a rule of domains in areas only on entities of those domains there', () => {
    const rules = [
      RuleSchema.parse({ name: 'switches', domains: ['switch', 'fan'], areas: ['Kitchen'] }),
      RuleSchema.parse({ name: 'sensors', entities: ['sensor.*'], areas: ['kitchen'] }),
    ];
    const { index, tested } = recordingIndex(rules);
    const inKitchen = (entityId: string): RuleSubject => ({
      entityId,
      domain: entityId.slice(0, entityId.indexOf('.')),
      areaId: 'kitchen',
      areaName: 'Kitchen',
      deviceClass: undefined,
    });
    const names = (id: string) => index.select(id, inKitchen).map((r) => r.name);
    expect(['light.a', 'switch.b', 'fan.c', 'sensor.d'].map(names)).toEqual([
      [],
      ['switches'],
      ['switches'],
      ['sensors'],
    ]);
    expect(tested).toEqual(['switches switch.b', 'switches fan.c', 'sensors sensor.d']);
  });

  it('tests only the rules that read ids for an entity whose facts it has seen', () => {
    const rules = [
      RuleSchema.parse({ name: 'doors', device_classes: ['door'] }),
      RuleSchema.parse({ name: 'kitchen', domains: ['binary_sensor'], areas: ['kitchen'] }),
      RuleSchema.parse({ name: 'back', entities: ['binary_sensor.*_back'] }),
    ];
    const { index, tested } = recordingIndex(rules);
    const keys = ['kitchen'];
    const door = (entityId: string): RuleSubject => ({
      entityId,
      domain: 'binary_sensor',
      areaId: 'kitchen',
      areaName: undefined,
      areaKeys: keys,
      deviceClass: 'door',
    });
    const names = (id: string) => index.select(id, door).map((r) => r.name);
    expect(names('binary_sensor.door_front')).toEqual(['doors', 'kitchen']);
    expect(names('binary_sensor.door_back')).toEqual(['doors', 'kitchen', 'back']);
    expect(names('binary_sensor.door_side')).toEqual(['doors', 'kitchen']);
    expect(tested).toEqual([
      'doors binary_sensor.door_front',
      'kitchen binary_sensor.door_front',
      'back binary_sensor.door_back',
    ]);
  });

  it('tests a rule of domains alone once per set of facts, subjects made lazily', () => {
    const rules = [
      RuleSchema.parse({ name: 'lights', domains: ['light'] }),
      RuleSchema.parse({ name: 'desk', entities: ['light.desk'] }),
    ];
    const { index, tested } = recordingIndex(rules);
    const asked: string[] = [];
    const light = (entityId: string): RuleSubject => {
      asked.push(entityId);
      return {
        entityId,
        domain: 'light',
        areaId: undefined,
        areaName: undefined,
        deviceClass: undefined,
      };
    };
    const names = (id: string) => index.select(id, light).map((r) => r.name);
    expect(['light.a', 'light.desk', 'light.b', 'switch.c'].map(names)).toEqual([
      ['lights'],
      ['lights', 'desk'],
      ['lights'],
      [],
    ]);
    expect(tested).toEqual(['lights light.a', 'desk light.desk']);
    expect(asked).toEqual(['light.a', 'light.desk', 'light.b']);
  });

  it('refuses a rule that reads no id filed under keys an id gives', () => {
    // No such rule can be written today: the check keeps a new kind or pattern from making
    // the answers kept per set of facts wrong.
    const rule = RuleSchema.parse({ name: 'lights', entities: ['light.*'] });
    const build = () => recordingIndex([rule]);
    expect(build).not.toThrow();
    const entities = KINDS.find((kind) => kind.beyondDomain)!;
    const ruleKeys = entities.ruleKeys.bind(entities);
    const spy = jest
      .spyOn(entities, 'ruleKeys')
      .mockImplementation((r) => (r.name === 'lights' ? ['light.desk'] : ruleKeys(r)));
    try {
      expect(build).toThrow('rule "lights" reads no id, but is filed by id');
    } finally {
      spy.mockRestore();
    }
  });

  it('tells apart selections whose indices run together ([1, 2, 3] and [1, 23])', () => {
    // light.a is selected by r1, r2 and r3; light.b by r1 and r23; light.z by every rule.
    const selecting = (i: number) =>
      [i === 1 || i === 2 || i === 3 ? 'light.a' : '', i === 1 || i === 23 ? 'light.b' : '']
        .filter((id) => id !== '')
        .concat('light.z');
    const rules = Array.from({ length: 24 }, (_, i) =>
      RuleSchema.parse({ name: `r${i}`, entities: selecting(i) }),
    );
    const subject = (entityId: string): RuleSubject => ({
      entityId,
      domain: 'light',
      areaId: undefined,
      areaName: undefined,
      deviceClass: undefined,
    });
    const index = new RuleIndex(
      rules,
      (r) => r,
      (r, s) => ruleSelector(r)(s),
    );
    const names = (id: string) => index.select(id, subject).map((r) => r.name);
    expect(names('light.a')).toEqual(['r1', 'r2', 'r3']);
    expect(names('light.b')).toEqual(['r1', 'r23']);
  });

  it('gives entities selected by the same rules one list', () => {
    const rules = [
      RuleSchema.parse({ name: 'doors', device_classes: ['door'] }),
      RuleSchema.parse({ name: 'kitchen', areas: ['kitchen'] }),
    ];
    const door = (entityId: string, areaId: string): RuleSubject => ({
      entityId,
      domain: 'binary_sensor',
      areaId,
      areaName: undefined,
      deviceClass: 'door',
    });
    const subjects = new Map(
      [
        door('binary_sensor.a', 'kitchen'),
        door('binary_sensor.b', 'kitchen'),
        door('binary_sensor.c', 'hall'),
      ].map((s) => [s.entityId, s]),
    );
    const index = new RuleIndex(
      rules,
      (r) => r,
      (r, s) => ruleSelector(r)(s),
    );
    const [a, b, c] = [...subjects.keys()].map((id) => index.select(id, (i) => subjects.get(i)));
    expect(a!.map((r) => r.name)).toEqual(['doors', 'kitchen']);
    expect(b).toBe(a);
    expect(c!.map((r) => r.name)).toEqual(['doors']);
  });
});
