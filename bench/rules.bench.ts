import { RuleEngine, type RuleSubject } from '../src/alerts/rule-engine.js';
import { RuleSchema, type Rule } from '../src/alerts/rule-schema.js';
import { compileWatchList } from '../src/alerts/watch.js';
import type { EntityState } from '../src/ha/types.js';
import { bigHome } from './fixtures.js';

/** 200 rules of every kind: globs, domains, areas, device classes, thresholds, for, cooldown. */
function rules(): Rule[] {
  const out: Rule[] = [];
  for (let i = 0; i < 200; i++) {
    const kind = i % 5;
    const input =
      kind === 0
        ? { name: `r${i}`, entities: [`sensor.*_${i}`, `light.*_${i + 1}`] }
        : kind === 1
          ? { name: `r${i}`, domains: ['binary_sensor'], areas: [`area_${i % 50}`], to: 'on' }
          : kind === 2
            ? {
                name: `r${i}`,
                entities: [`sensor.*`],
                areas: [`area_${i % 50}`],
                above: 50,
                hysteresis: 1,
              }
            : kind === 3
              ? { name: `r${i}`, device_classes: ['door'], for: '30s' }
              : {
                  name: `r${i}`,
                  domains: ['switch', 'fan'],
                  areas: [`area_${i % 50}`],
                  cooldown: '1m',
                };
    out.push(RuleSchema.parse(input));
  }
  return out;
}

/**
 * Rule matching: state changes per second through the engine (200 rules, 10,000 entities),
 * against a baseline that tests every rule's entity selection on every change (what the
 * engine's per-entity cache avoids). Pure CPU on one core; no I/O.
 */
export function benchRules(changes = 200_000) {
  const { catalog } = bigHome(10_000);
  const entries = catalog.list();
  const subject = (id: string): RuleSubject | undefined => {
    const e = catalog.get(id);
    return (
      e && {
        entityId: id,
        domain: e.domain,
        areaId: e.areaId,
        areaName: e.areaName,
        deviceClass: undefined,
      }
    );
  };
  const list = rules();
  const engine = new RuleEngine(list, subject);
  const globs = list.map((r) => (r.entities ? compileWatchList(r.entities) : () => true));
  const state = (id: string, s: string, t: number): EntityState => ({
    entityId: id,
    state: s,
    attributes: {},
    lastChanged: t,
    lastUpdated: t,
    contextId: 'c',
    contextParentId: null,
  });
  const ids = entries.map((e) => e.entityId);
  const run = (observe: (id: string, old: EntityState, next: EntityState, t: number) => void) => {
    const started = performance.now();
    for (let i = 0; i < changes; i++) {
      const id = ids[(i * 7919) % ids.length]!;
      observe(id, state(id, String(i % 100), i), state(id, String((i + 1) % 100), i + 1), i);
    }
    return changes / ((performance.now() - started) / 1000);
  };
  let fired = 0;
  run((id, oldState, newState, t) => {
    fired += engine.observe({ entityId: id, oldState, newState }, t).length;
  }); // warm-up
  const engineRate = run((id, oldState, newState, t) => {
    fired += engine.observe({ entityId: id, oldState, newState }, t).length;
  });
  let selected = 0;
  const baselineRate = run((id) => {
    const s = subject(id);
    for (let r = 0; r < list.length; r++) if (s && globs[r]!(id)) selected++;
  });
  return {
    name: 'rule matching (200 rules, 10,000 entities)',
    engineRate,
    baselineRate,
    fired,
    selected,
  };
}
