import { RuleEngine, ruleSelector, type RuleSubject } from '../src/alerts/rule-engine.js';
import { compileWatchList } from '../src/alerts/watch.js';
import { subjectFacts } from '../src/entities/entry.js';
import type { EntityState } from '../src/ha/types.js';
import { bigHome } from './fixtures.js';
import { alertRules } from './home.js';

/** The entities as the bot gives them to its rules (AlertService.subjectOf). */
function subjectsOf({ catalog, store }: ReturnType<typeof bigHome>) {
  return (id: string): RuleSubject | undefined => {
    const entry = catalog.get(id);
    return entry && subjectFacts(entry, store.deviceClass(id));
  };
}

/**
 * Rule matching: state changes per second through the engine (200 rules, 10,000 entities),
 * against a baseline that tests every rule's entity selection on every change (what the
 * engine's per-entity cache avoids). Pure CPU on one core; no I/O.
 */
export function benchRules(changes = 200_000) {
  const home = bigHome(10_000);
  const entries = home.catalog.list();
  const subject = subjectsOf(home);
  const list = alertRules();
  const engine = new RuleEngine(list, subject);
  const globs = list.map((r) => (r.entities ? compileWatchList(r.entities) : () => true));
  const state = (id: string, s: string, t: number): EntityState => ({
    entityId: id,
    state: s,
    attributes: {},
    lastChanged: t,
    lastUpdated: t,
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

/**
 * Cold rule matching: which rules select each entity, for every entity once (what follows a
 * start or a full re-match), through the engine's index, against the naive matcher that
 * tests every rule on every entity (timed on a sample of entities, as a rate).
 */
export function benchColdMatching(entities: number, rules: number) {
  const home = bigHome(entities);
  const subject = subjectsOf(home);
  const ids = home.catalog.list().map((e) => e.entityId);
  const list = alertRules(rules);
  const engine = new RuleEngine(list, subject);
  let selected = 0;
  let started = performance.now();
  for (const id of ids) selected += engine.rulesSelecting(id).length;
  const rate = ids.length / ((performance.now() - started) / 1000);
  const sample = ids.slice(0, Math.min(ids.length, 2000));
  let naiveSelected = 0;
  started = performance.now();
  const selectors = list.map(ruleSelector);
  for (const id of sample) {
    const s = subject(id)!;
    for (const selects of selectors) if (selects(s)) naiveSelected++;
  }
  const baselineRate = sample.length / ((performance.now() - started) / 1000);
  return { rate, baselineRate, selected, naiveSelected };
}
