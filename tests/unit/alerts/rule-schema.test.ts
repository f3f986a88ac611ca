import { RuleSchema } from '../../../src/alerts/rule-schema.js';

const problems = (rule: Record<string, unknown>) => {
  const r = RuleSchema.safeParse({ name: 'hot', entities: ['sensor.temp'], ...rule });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('a rule’s chart option', () => {
  it('reads the period of a threshold rule’s chart as a duration', () => {
    expect(
      RuleSchema.parse({ name: 'hot', entities: ['sensor.temp'], above: 25, chart: '6h' }),
    ).toMatchObject({ chart: 6 * 3_600_000 });
    expect(
      RuleSchema.parse({ name: 'hot', entities: ['sensor.temp'], below: 5, chart: { hours: 2 } }),
    ).toMatchObject({ chart: 2 * 3_600_000 });
  });

  it('says what is wrong with a chart it cannot draw', () => {
    expect(problems({ to: 'on', chart: '6h' })).toEqual([
      'chart: chart is for numeric threshold rules: set above or below, or remove chart',
    ]);
    expect(problems({ above: 25, attribute: 'temperature', chart: '6h' })).toEqual([
      "chart: chart draws the entity's state, not an attribute: remove chart or attribute",
    ]);
    expect(problems({ above: 25, edit_in_place: true, chart: '6h' })).toEqual([
      'chart: chart goes with posted alerts, not one edited in place: remove chart or edit_in_place',
    ]);
    expect(problems({ above: 25, chart: '30d' })[0]).toMatch(/^chart: .*7 days/);
    expect(problems({ above: 25, chart: '10s' })).toEqual([
      'chart: must be at least a minute, e.g. 6h',
    ]);
    expect(problems({ above: 25, chart: 'soon' })[0]).toMatch(/^chart: /);
  });
});
