import { describe, expect, it } from '@jest/globals';
import { createAccessControl } from '../../../src/discord/access.js';
import { EntityCatalog } from '../../../src/entities/catalog.js';
import { EntityStore } from '../../../src/ha/entity-store.js';
import { Registry } from '../../../src/ha/registry.js';
import { createLogger } from '../../../src/logging/logger.js';
import { PolicySchema } from '../../../src/policy/schema.js';

const log = createLogger({ level: 'silent', secrets: [] });

describe('access control: confirmations', () => {
  it("asks by the area, floor and labels of a catalog entry (read through the entry's getters)", () => {
    const store = new EntityStore();
    store.apply({
      a: {
        'switch.pump': { s: 'off', a: { friendly_name: 'Pump' } },
        'switch.lamp': { s: 'off', a: { friendly_name: 'Lamp' } },
      },
    });
    const registry = new Registry();
    registry.setFloors([{ floor_id: 'basement', name: 'Basement' }]);
    registry.setLabels([{ label_id: 'critical', name: 'Critical' }]);
    registry.setAreas([
      { area_id: 'cellar', name: 'Cellar', floor_id: 'basement' },
      { area_id: 'hall', name: 'Hall' },
    ]);
    registry.setDevices([]);
    registry.setEntities({
      entities: [
        { ei: 'switch.pump', ai: 'cellar', lb: ['critical'] },
        { ei: 'switch.lamp', ai: 'hall' },
      ],
    });
    const catalog = new EntityCatalog(store, registry);
    const pump = catalog.get('switch.pump')!;
    const lamp = catalog.get('switch.lamp')!;
    const asks = (scope: Record<string, string[]>) => {
      const policy = PolicySchema.parse({
        confirm: { rules: [{ ...scope, services: ['turn_on'] }] },
      });
      const access = createAccessControl(() => policy, undefined, log);
      return [access.confirmation(pump, 'turn_on'), access.confirmation(lamp, 'turn_on')];
    };
    const reason = 'the access policy asks for a confirmation';
    expect(asks({ areas: ['cellar'] })).toEqual([reason, undefined]);
    expect(asks({ floors: ['basement'] })).toEqual([reason, undefined]);
    expect(asks({ labels: ['critical'] })).toEqual([reason, undefined]);
  });
});
