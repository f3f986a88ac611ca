/**
 * The HA websocket contract (tests/contract/ha-contract.ts) against the real Home Assistant
 * release under test: the same checks the fake HA passes in `npm test`, so a shape the fake
 * gets wrong fails one of the two runs.
 */
import { haContract, type ContractTarget } from '../contract/ha-contract.js';
import { byRelease, HA_VERSION, startRealHa, type RealHa } from './ha/real-ha.js';

let ha: RealHa | undefined;
let target: ContractTarget;

beforeAll(async () => {
  ha = await startRealHa({ extraConfig: 'recorder:\nhistory:' });
  const assigns = byRelease({ '2024.3.3': false, '2025.4.4': true });
  // The fake's contract home: the light in a Kitchen area on a floor, a label on the light.
  const areaId = await ha.setupArea('Kitchen', ['light.kitchen_light']);
  const floor = await ha.ws<{ floor_id: string }>({
    type: 'config/floor_registry/create',
    name: 'Downstairs',
    level: 0,
  });
  const label = await ha.ws<{ label_id: string }>({
    type: 'config/label_registry/create',
    name: 'Christmas lights',
    color: '#ff0000',
  });
  if (assigns) {
    await ha.ws({ type: 'config/area_registry/update', area_id: areaId, floor_id: floor.floor_id });
    await ha.ws({
      type: 'config/entity_registry/update',
      entity_id: 'light.kitchen_light',
      labels: [label.label_id],
    });
  }
  target = {
    url: ha.url,
    token: ha.token,
    version: HA_VERSION,
    // 2025.4's always-loaded backup integration registers a device; 2024.3 has none here.
    hasDevices: byRelease({ '2024.3.3': false, '2025.4.4': true }),
    assignsFloorsAndLabels: assigns,
  };
}, 15 * 60_000);

afterAll(() => ha?.stop(), 60_000);

describe(`real Home Assistant ${HA_VERSION} keeps the HA websocket contract`, () => {
  haContract(() => target);
});
