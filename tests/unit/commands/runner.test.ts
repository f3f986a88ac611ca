import { readFileSync } from 'node:fs';
import { act } from '../../../src/commands/act.js';
import { entityChoices } from '../../../src/commands/entity-option.js';
import { num } from '../../../src/commands/options.js';
import type { Reply } from '../../../src/commands/reply.js';
import { runCommand } from '../../../src/commands/runner.js';
import type { CommandSpec } from '../../../src/commands/types.js';
import { caller, commandWorld, GUILD, settle, words } from './world.js';

const HOME = [
  { id: 'light.kitchen', name: 'Kitchen Light', area: 'kitchen', state: 'off' },
  { id: 'switch.kettle', name: 'Kettle', area: 'kitchen', state: 'off' },
  { id: 'light.desk_lamp', name: 'Desk Lamp', state: 'off' },
  { id: 'light.floor_lamp', name: 'Floor Lamp', state: 'off' },
  { id: 'lock.front_door', name: 'Front Door', state: 'locked' },
  { id: 'sensor.temp', name: 'Temperature', state: '21.5' },
];
const AREAS = [{ id: 'kitchen', name: 'Kitchen' }];
const BOB = '100000000000000002';

/** Only Bob may control, and only the kettle; everyone may read. */
const KETTLE_ONLY = {
  grants: [
    { everyone: true, allow: ['read'] },
    { users: [BOB], allow: ['control'], entities: ['switch.kettle'] },
  ],
};

let world: ReturnType<typeof commandWorld>;
afterEach(() => world.stop());

describe('the command runner', () => {
  it('refuses while HA is away, before anything else', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    world.ha.status = { kind: 'disconnected', since: 0 } as never;
    const reply = await world.command('toggle', { target: 'light.kitchen' });
    expect(reply).toEqual({ kind: 'refuse', text: expect.stringContaining('unreachable') });
    expect(world.calls).toEqual([]);
  });

  it('checks the policy action of a command without a target', async () => {
    world = commandWorld(HOME, { policy: { grants: [{ everyone: true, allow: ['read'] }] } });
    const reply = await world.command('event', { name: 'discord_doorbell' });
    expect(reply?.kind).toBe('refuse');
    expect(words(reply)).toBe(
      'You need the Manage Server permission to fire Home Assistant events.',
    );
    expect(world.events).toEqual([]);
  });

  it('names the closest entities when the target matches nothing', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    const reply = await world.command('toggle', { target: 'zzzz' });
    expect(words(reply)).toContain("No entity, area, floor or label matches 'zzzz'");
  });

  it('offers a menu for an ambiguous name, and a pick runs the same checks and plan', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    const reply = await world.command('toggle', { target: 'lamp' });
    expect(reply).toMatchObject({ kind: 'menu', command: 'toggle', typed: 'lamp' });
    const candidates = (reply as Extract<Reply, { kind: 'menu' }>).candidates.map(
      (e) => e.entityId,
    );
    expect(candidates.sort()).toEqual(['light.desk_lamp', 'light.floor_lamp']);

    const picked = await world.runner.pick('toggle', 'light.desk_lamp', caller());
    expect(picked).toMatchObject({ kind: 'slow', working: 'Working on `light.desk_lamp`…' });
    expect(await settle(picked)).toMatchObject({ kind: 'show' });
    expect(world.calls).toEqual([
      { domain: 'light', service: 'toggle', data: undefined, entityIds: ['light.desk_lamp'] },
    ]);
  });

  it('keeps the options a menu carries through the pick (a chart’s period)', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    const reply = await world.command('history', { entity: 'lamp', period: '6h' });
    expect(reply).toMatchObject({ kind: 'menu', command: 'history', options: { period: '6h' } });
    const picked = await world.runner.pick('history', 'light.desk_lamp', caller(), {
      period: '6h',
      // Not an option the menu carries: not taken from an id.
      entity: 'light.kitchen',
    });
    expect(picked).toMatchObject({
      kind: 'slow',
      working: 'Charting `light.desk_lamp` (last 6 h)…',
    });
  });

  it('asks for the id in words when the menu could not carry the code', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    const reply = await world.command('unlock', { target: 'lamp', code: '1234' });
    // Lamps cannot be unlocked: the lock is the only candidate… so use two locks.
    expect(reply?.kind).toBe('refuse');
    world.stop();
    world = commandWorld([
      { id: 'lock.front', name: 'Front Lock', state: 'locked' },
      { id: 'lock.back', name: 'Back Lock', state: 'locked' },
    ]);
    const ambiguous = await world.command('unlock', { target: 'lock', code: '1234' });
    expect(ambiguous).toEqual({
      kind: 'refuse',
      text: expect.stringContaining('Run the command again with the entity id.'),
    });
  });

  it('checks access per entity: a refused entity is refused with the policy reason', async () => {
    world = commandWorld(HOME, { areas: AREAS, policy: KETTLE_ONLY });
    const reply = await world.command('on', { target: 'light.kitchen' }, caller({ userId: BOB }));
    expect(reply?.kind).toBe('refuse');
    expect(world.calls).toEqual([]);
  });

  it('acts on the part of an area a person may control, and says how many it skipped', async () => {
    world = commandWorld(HOME, { areas: AREAS, policy: KETTLE_ONLY });
    const reply = await settle(
      await world.command('on', { target: 'area:kitchen' }, caller({ userId: BOB })),
    );
    expect(world.calls).toEqual([
      { domain: 'switch', service: 'turn_on', data: undefined, entityIds: ['switch.kettle'] },
    ]);
    expect(reply).toMatchObject({
      kind: 'show',
      message: { embeds: [{ title: 'Kettle is on', footer: { text: 'Turned on by alice' } }] },
    });
  });

  it('asks to confirm a dangerous action; only the asker may confirm, and only once', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    const reply = await world.command('unlock', { target: 'lock.front_door' });
    if (reply?.kind !== 'confirm') throw new Error(`expected a confirmation, got ${reply?.kind}`);
    expect(reply.message.content).toContain('**Unlock Front Door?**');
    expect(reply.message.content).toContain('The button works for 30 s, and only for you.');
    const confirm = reply.message.buttons?.[0]?.id;
    if (confirm?.kind !== 'confirm') throw new Error('no confirm button');
    expect(world.calls).toEqual([]);

    const other = await world.runner.confirm(confirm.token, true, caller({ userId: BOB }));
    expect(other).toEqual({
      kind: 'refuse',
      text: 'Only the person who asked can confirm this.',
      aside: true,
    });
    const done = await settle(await world.runner.confirm(confirm.token, true, caller()));
    expect(done).toMatchObject({ kind: 'show' });
    expect(world.calls).toEqual([
      { domain: 'lock', service: 'unlock', data: undefined, entityIds: ['lock.front_door'] },
    ]);
    expect(world.audit[0]).toMatchObject({
      command: 'unlock',
      confirmed: true,
      userId: caller().userId,
    });
    const again = await world.runner.confirm(confirm.token, true, caller());
    expect(words(again)).toContain('expired or was already used');
  });

  it('reads the policy live: a reload reaches the next check and the next confirmation', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    expect((await world.command('on', { target: 'light.kitchen' }))?.kind).toBe('slow');
    world.setPolicy({ grants: [{ everyone: true, allow: ['read'] }], confirm: { timeout: '2m' } });
    expect((await world.command('on', { target: 'light.kitchen' }))?.kind).toBe('refuse');
    world.setPolicy({
      ...KETTLE_ONLY,
      grants: [{ everyone: true, allow: ['control'] }],
      confirm: { timeout: '2m' },
    });
    const reply = await world.command('unlock', { target: 'lock.front_door' });
    expect(words(reply)).toContain('The button works for 120 s');
  });

  it('answers undefined (expired) for a pick of a command that offers no menu', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    expect(await world.runner.pick('call', 'light.kitchen', caller())).toBeUndefined();
    expect(await world.runner.pick('nope', 'light.kitchen', caller())).toBeUndefined();
    expect(await world.runner.button('nope', [], caller())).toBeUndefined();
  });

  it('says a picked entity is gone when it no longer fits', async () => {
    world = commandWorld(HOME, { areas: AREAS });
    expect(await world.runner.pick('unlock', 'light.kitchen', caller())).toEqual({
      kind: 'refuse',
      text: '`light.kitchen` cannot be unlocked any more.',
    });
  });

  it('throws for a required option Discord would have sent (the router answers it)', async () => {
    world = commandWorld(HOME);
    await expect(world.command('toggle', {})).rejects.toMatchObject({
      code: 'CommandInteractionOptionNotFound',
    });
  });
});

describe('a new command is one declaration and its plan', () => {
  /** The hypothetical `/ha brightness` of CONTRIBUTING.md, "Adding a command", as written there. */
  const brightness: CommandSpec<{ percent: number }> = {
    name: 'brightness',
    description: 'Set the brightness of a light',
    options: [
      {
        type: 'string',
        name: 'target',
        description: 'A light or area',
        required: true,
        maxLength: 200,
        autocomplete: true,
      },
      { type: 'integer', name: 'percent', description: '0-100', required: true, minValue: 0 },
    ],
    needs: 'ha',
    prepare: ({ options }) => {
      const percent = num(options, 'percent') ?? -1;
      return percent >= 0 && percent <= 100 ? { percent } : { refused: 'Give 0-100.' };
    },
    target: {
      option: 'target',
      action: 'control',
      accept: (entry) => entry.domain === 'light',
      verb: () => 'dimmed',
      groups: 'allowed',
      menu: false, // a pick could not carry `percent`: ask for the entity id instead
      nothing: 'Nothing to dim.',
      gone: (id) => `${id} is no longer a light.`,
    },
    plan: ({ caller }, targets, { percent }, ctx) => {
      const entries =
        targets.kind === 'entity'
          ? [targets.entry]
          : targets.kind === 'group'
            ? targets.entries
            : [];
      return act(
        {
          command: 'brightness',
          policyAction: 'control',
          calls: [
            { domain: 'light', service: 'turn_on', entries, data: { brightness_pct: percent } },
          ],
          title: `Set ${entries.length} light(s) to ${percent}%`,
          question: `Set ${entries.length} light(s) to ${percent}%`,
          past: 'Dimmed',
        },
        caller,
        ctx,
      );
    },
    autocomplete: (input, ctx) => entityChoices(input, ctx, 'control', (e) => e.domain === 'light'),
  };

  it('gets availability, resolution, ambiguity and access from the runner', async () => {
    world = commandWorld(HOME, { areas: AREAS, policy: KETTLE_ONLY });
    const run = (target: string, who = caller(), percent = 40) =>
      runCommand(
        brightness,
        { caller: who, options: { target, percent }, via: 'command' },
        world.ctx,
      );
    expect(words(await run('lamp'))).toContain('Run the command again with the entity id.');
    expect(words(await run('switch.kettle'))).toContain('cannot be dimmed with this command');
    expect((await run('light.kitchen'))?.kind).toBe('refuse'); // nobody may control it
    world.setPolicy({ grants: [{ everyone: true, allow: ['control'] }], guilds: [GUILD] });
    const done = await settle(await run('light.kitchen'));
    expect(done).toMatchObject({ kind: 'show' });
    expect(world.calls).toEqual([
      {
        domain: 'light',
        service: 'turn_on',
        data: { brightness_pct: 40 },
        entityIds: ['light.kitchen'],
      },
    ]);
    expect(words(await run('light.kitchen', caller(), 140))).toBe('Give 0-100.');
    world.ha.status = { kind: 'connecting' };
    expect(words(await run('light.kitchen'))).toContain('unreachable');
  });
});

describe('CONTRIBUTING.md, "Adding a command"', () => {
  it('shows the declaration this test runs, word for word', () => {
    const squash = (text: string) => text.replace(/\s+/g, '');
    const doc = readFileSync('CONTRIBUTING.md', 'utf8');
    const shown = doc.slice(doc.indexOf('export const brightnessCommand'));
    const declaration = shown.slice(shown.indexOf('=') + 1, shown.indexOf('\n};') + 3);
    const test = readFileSync('tests/unit/commands/runner.test.ts', 'utf8');
    expect(declaration.length).toBeGreaterThan(500);
    expect(squash(test)).toContain(
      squash(`const brightness: CommandSpec<{ percent: number }> =${declaration}`),
    );
  });
});
