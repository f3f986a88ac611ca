import { AlertService } from '../../../src/alerts/alert-service.js';
import { RuleSchema } from '../../../src/alerts/rule-schema.js';
import type { Alert } from '../../../src/alerts/types.js';
import { EntityCatalog } from '../../../src/entities/catalog.js';
import { EntityStore } from '../../../src/ha/entity-store.js';
import { Registry } from '../../../src/ha/registry.js';
import { createLogger } from '../../../src/logging/logger.js';
import { openDatabase } from '../../../src/storage/database.js';
import { MuteStore } from '../../../src/storage/mutes.js';
import { WatchStore } from '../../../src/storage/watches.js';

describe('AlertService', () => {
  it('judges a live change by the areas in force: an entity moved into an area is selected', () => {
    const store = new EntityStore();
    const registry = new Registry();
    const catalog = new EntityCatalog(store, registry);
    const db = openDatabase(':memory:');
    const alerts: Alert[] = [];
    const service = new AlertService({
      store,
      catalog,
      configuredRules: [RuleSchema.parse({ name: 'kitchen', areas: ['kitchen'], to: 'on' })],
      watches: new WatchStore(db),
      mutes: new MuteStore(db),
      defaultChannelId: '833333333333333333',
      enqueue: (_channel, entry) => {
        if (entry.kind === 'alert') alerts.push(entry.payload);
      },
      log: createLogger({ level: 'silent', secrets: [] }),
    });
    registry.setAreas([{ area_id: 'kitchen', name: 'Kitchen' }]);
    registry.setEntities({ entities: [{ ei: 'binary_sensor.a' }] });
    store.expectSnapshot();
    store.apply({ a: { 'binary_sensor.a': { s: 'off', c: 'c', lc: 1 } } });
    service.onHaStatus({
      kind: 'connected',
      haVersion: '2025.1',
      coreState: 'RUNNING',
      restarted: false,
    });
    store.apply({ c: { 'binary_sensor.a': { '+': { s: 'on', lc: 2 } } } });
    expect(alerts).toEqual([]);

    // Moved into the kitchen: the next change is judged by the kitchen's rule.
    store.apply({ c: { 'binary_sensor.a': { '+': { s: 'off', lc: 3 } } } });
    registry.setEntities({ entities: [{ ei: 'binary_sensor.a', ai: 'kitchen' }] });
    store.apply({ c: { 'binary_sensor.a': { '+': { s: 'on', lc: 4 } } } });
    expect(alerts.map((a) => [a.ruleName, a.entityId, a.to])).toEqual([
      ['kitchen', 'binary_sensor.a', 'on'],
    ]);

    // And out of it again.
    registry.setEntities({ entities: [{ ei: 'binary_sensor.a' }] });
    store.apply({ c: { 'binary_sensor.a': { '+': { s: 'off', lc: 5 } } } });
    store.apply({ c: { 'binary_sensor.a': { '+': { s: 'on', lc: 6 } } } });
    expect(alerts).toHaveLength(1);
    service.stop();
    db.close();
  });
});
