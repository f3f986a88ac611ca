import { RuleSchema, type Rule, type RuleInput } from '../src/alerts/rule-schema.js';
import type { FakeArea, FakeEntityInput, FakeRegistryEntry } from '../tests/fakes/ha/fake-ha.js';

const DOMAINS = [
  'light',
  'switch',
  'sensor',
  'binary_sensor',
  'fan',
  'cover',
  'climate',
  'media_player',
];
const ROOMS = [
  'Kitchen',
  'Living Room',
  'Bedroom',
  'Office',
  'Garage',
  'Hallway',
  'Bathroom',
  'Attic',
  'Basement',
  'Garden',
];
const THINGS = [
  'Ceiling',
  'Lamp',
  'Outlet',
  'Temperature',
  'Humidity',
  'Motion',
  'Door',
  'Window',
  'Fan',
  'Blind',
  'Speaker',
  'Heater',
];
const DEVICE_CLASSES: Record<string, Record<string, string>> = {
  binary_sensor: { Door: 'door', Window: 'window', Motion: 'motion' },
  sensor: { Temperature: 'temperature', Humidity: 'humidity' },
};

export interface BenchHome {
  entities: FakeEntityInput[];
  areas: FakeArea[];
  registry: FakeRegistryEntry[];
  ids: string[];
}

/**
 * A deterministic home of `count` entities over 50 areas, like a large HA install, in the
 * fake HA's terms: states with friendly names and device classes, areas, registry entries.
 */
export function benchHome(count: number): BenchHome {
  const areas = Array.from({ length: 50 }, (_, i) => ({
    area_id: `area_${i}`,
    name: `${ROOMS[i % ROOMS.length]} ${Math.floor(i / ROOMS.length) + 1}`,
  }));
  const entities: FakeEntityInput[] = [];
  const registry: FakeRegistryEntry[] = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length]!;
    const area = areas[i % areas.length]!;
    const thing = THINGS[Math.floor(i / DOMAINS.length) % THINGS.length]!;
    const name = `${area.name} ${thing} ${i}`;
    const entityId = `${domain}.${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    const deviceClass = DEVICE_CLASSES[domain]?.[thing];
    entities.push({
      entity_id: entityId,
      state: domain === 'sensor' ? '20' : i % 2 ? 'on' : 'off',
      attributes: {
        friendly_name: name,
        ...(deviceClass ? { device_class: deviceClass } : {}),
        ...(domain === 'sensor' ? { unit_of_measurement: thing === 'Humidity' ? '%' : '°C' } : {}),
      },
    });
    registry.push({ entity_id: entityId, area_id: area.area_id });
  }
  return { entities, areas, registry, ids: entities.map((e) => e.entity_id) };
}

/** The entity the i-th change of the benchmark stream changes. */
export function changedEntity(home: BenchHome, i: number): string {
  return home.ids[(i * 7919) % home.ids.length]!;
}

/**
 * The i-th change of the benchmark stream: every entity in turn (7919 is prime, so the
 * stride visits all 10,000 before repeating), sensors up 17 (mod 100), the rest flipping.
 */
export function nthChange(
  home: BenchHome,
  i: number,
  current: (entityId: string) => string | undefined,
): { entityId: string; state: string } {
  const entityId = changedEntity(home, i);
  const now = current(entityId);
  if (entityId.startsWith('sensor.')) return { entityId, state: String((Number(now) + 17) % 100) };
  return { entityId, state: now === 'on' ? 'off' : 'on' };
}

/**
 * `count` rules (200 unless told) of every kind: globs, domains, areas, device classes,
 * thresholds, for, cooldown.
 */
export function alertRules(count = 200): Rule[] {
  return alertRuleInputs(count).map((r) => RuleSchema.parse(r));
}

/** The same rules as written in a CONFIG_FILE. */
export function alertRuleInputs(count = 200): RuleInput[] {
  const out: RuleInput[] = [];
  for (let i = 0; i < count; i++) {
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
    out.push(input);
  }
  return out;
}

/** Keystrokes as people type a name: its prefixes, every third character. */
export function keystrokes(name: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= name.length; i += 3) out.push(name.slice(0, i));
  return out;
}

/** What the profiling scripts type: the keystrokes of 16 names spread over the home. */
export function spreadKeystrokes(home: BenchHome): string[] {
  const count = home.entities.length;
  return Array.from({ length: 16 }, (_, k) =>
    keystrokes(home.entities[(k * 7919) % count]!.attributes!.friendly_name as string),
  ).flat();
}
