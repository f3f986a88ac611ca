/**
 * The HA websocket contract (ha-contract.ts) against the fake HA, playing each release the
 * e2e suite runs for real (tests/e2e/ha/releases.txt): the same checks run against real HA
 * in tests/e2e/contract.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import { FakeHomeAssistant, fixedFakeToken } from '../fakes/ha/fake-ha.js';
import { haContract, type ContractTarget } from './ha-contract.js';

const RELEASES = readFileSync('tests/e2e/ha/releases.txt', 'utf8')
  .split('\n')
  .filter((line) => /^\d/.test(line))
  .map((line) => line.split(/\s+/)[0]!);

const releaseAtLeast = (version: string, floor: string) =>
  version.localeCompare(floor, undefined, { numeric: true }) >= 0;

describe.each(RELEASES)('the fake HA playing %s keeps the HA websocket contract', (version) => {
  const token = fixedFakeToken('contract');
  let ha: FakeHomeAssistant;
  let target: ContractTarget;

  beforeAll(async () => {
    const assigns = releaseAtLeast(version, '2024.4');
    // What the real HA holds once the e2e contract set it up: a light in the Kitchen area on a
    // floor, with a label (assignable from 2024.4), and (2025.4) a device.
    ha = new FakeHomeAssistant({
      token,
      haVersion: version,
      entities: [
        {
          entity_id: 'light.kitchen_light',
          state: 'off',
          attributes: { friendly_name: 'Kitchen Light' },
        },
        { entity_id: 'sensor.temp', state: '21.0', attributes: { unit_of_measurement: '°C' } },
      ],
      areas: [
        { area_id: 'kitchen', name: 'Kitchen', ...(assigns ? { floor_id: 'downstairs' } : {}) },
      ],
      floors: [{ floor_id: 'downstairs', name: 'Downstairs', level: 0 }],
      labels: [{ label_id: 'christmas_lights', name: 'Christmas lights', color: '#ff0000' }],
      devices: [{ id: 'backup0123456789', name: 'Backup' }],
      registry: [
        {
          entity_id: 'light.kitchen_light',
          area_id: 'kitchen',
          ...(assigns ? { labels: ['christmas_lights'] } : {}),
        },
      ],
    });
    await ha.start();
    target = {
      url: ha.url,
      token,
      version,
      hasDevices: true,
      assignsFloorsAndLabels: assigns,
    };
  });
  afterAll(() => ha?.stop());

  haContract(() => target);
});
