import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeHaOptions } from '../../fakes/ha/fake-ha.js';
import { HOME, HOME_CONTROL_ROLE_ID } from '../world.js';
import { EVIL_LINK } from './random.js';

/** The user an alert rule pings, besides HOME_CONTROL_ROLE_ID. */
export const ALERT_USER_ID = '190000000000000004';
/** May use the bot in direct messages. */
export const DM_USER_ID = '190000000000000009';

/** Entities whose names and states are hostile: they are echoed back in replies and alerts. */
const HOSTILE_ENTITIES: FakeHaOptions['entities'] = [
  {
    entity_id: 'light.markdown',
    state: 'off',
    attributes: { friendly_name: `**Bold** ${EVIL_LINK} \`code\` ||spoiler|| ~~x~~ __u__` },
  },
  {
    entity_id: 'switch.everyone',
    state: 'off',
    attributes: { friendly_name: '@everyone @here <@&700000000000000007> <@190000000000000002>' },
  },
  {
    entity_id: 'sensor.long_name',
    state: '9'.repeat(255),
    attributes: { friendly_name: 'Long '.repeat(2000), unit_of_measurement: '`'.repeat(60) },
  },
  {
    entity_id: 'light.control_chars',
    state: 'on',
    attributes: { friendly_name: 'Ctrl\u0000\u0007\u001b[31mRed\u202eevil\u200b\u2066x\u0085' },
  },
  {
    entity_id: 'sensor.json',
    state: '{"a": [1, 2',
    attributes: {
      friendly_name: '{"__proto__": {"polluted": true}}',
      nested: { deep: { x: '@everyone', link: EVIL_LINK } },
      '': 'empty key',
      '\u0000\u0001': 'control key',
      '**': '**',
      list: [EVIL_LINK, '\u202e', null],
      long: 'x'.repeat(5000),
      forecast: JSON.stringify(Array.from({ length: 2500 }, (_, i) => ({ t: i, v: '*_' }))),
      empty: '',
    },
  },
  {
    entity_id: `light.${'x'.repeat(150)}`,
    state: 'off',
    attributes: { friendly_name: 'Very Long Id' },
  },
  {
    entity_id: 'switch.newline',
    state: 'off',
    attributes: { friendly_name: 'First\n# Second\n> quote\n-# small\n- item\n1. one' },
  },
  {
    entity_id: 'light.heading',
    state: '# on',
    attributes: { friendly_name: '# Heading', unit_of_measurement: '> q' },
  },
  { entity_id: 'light.empty_name', state: '', attributes: { friendly_name: '' } },
  {
    entity_id: 'sensor.emoji',
    state: '👍🏽',
    attributes: { friendly_name: '👨‍👩‍👧 Family 🇺🇸', unit_of_measurement: '°C\u202e' },
  },
  {
    entity_id: 'switch.backslash',
    state: 'off',
    attributes: { friendly_name: `\\${EVIL_LINK}\\` },
  },
];

/** The integration tests' home plus hostile entities and an area with a hostile name. */
export const HOSTILE_HOME: Required<Pick<FakeHaOptions, 'entities' | 'areas' | 'registry'>> = {
  entities: [...HOME.entities, ...HOSTILE_ENTITIES],
  areas: [
    ...HOME.areas,
    { area_id: 'evil', name: `**Evil** @everyone ${EVIL_LINK}`, aliases: ['\u202eevil', '# area'] },
  ],
  registry: [
    ...HOME.registry,
    { entity_id: 'light.markdown', area_id: 'evil' },
    { entity_id: 'switch.everyone', area_id: 'evil', aliases: ['@here', EVIL_LINK] },
    { entity_id: 'switch.newline', area_id: 'evil' },
  ],
};

/**
 * Alert rules that echo names (one pings a role and a user: the only pings allowed) and an
 * access policy with roles, areas and DM users, written to a temp file for CONFIG_FILE.
 */
export function fuzzConfigFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'hdb-fuzz-')), 'bridge.yaml');
  writeFileSync(
    path,
    `alerts:
  rules:
    - name: fuzz lights
      domains: [light, switch]
      mention:
        roles: ['${HOME_CONTROL_ROLE_ID}']
        users: ['${ALERT_USER_ID}']
      template: '{name} is {state} in {area}'
    - name: fuzz board
      entities: ['switch.*']
      edit_in_place: true
access:
  grants:
    - everyone: true
      allow: [read]
    - roles: ['Home Control']
      allow: [control, watch]
      areas: [kitchen, evil]
    - users: ['${DM_USER_ID}']
      allow: [read, control, watch]
  deny:
    - entities: ['lock.*']
      actions: [control]
  dm_users: ['${DM_USER_ID}']
`,
  );
  return path;
}
