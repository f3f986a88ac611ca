import { readFileSync } from 'node:fs';
import { commandsIn } from '../../../src/commands/custom/command-set.js';
import { customCommands } from '../../../src/commands/custom/declare.js';
import { CustomCommandsSchema, sameCustomCommands } from '../../../src/config/custom-commands.js';
import { buildCommands, subcommands } from '../../../src/commands/registry.js';
import { createCommandRunner } from '../../../src/commands/runner.js';
import type { ServiceCallResult } from '../../../src/ha/types.js';
import { loadConfigFile } from '../../../src/config/file.js';
import { caller, commandWorld, settle, words } from './world.js';

const HOME = [
  { id: 'vacuum.roborock', name: 'Roborock', state: 'docked' },
  { id: 'person.bob', name: 'Bob', state: 'work' },
  { id: 'person.bobby', name: 'Bobby', state: 'home' },
  { id: 'light.kitchen', name: 'Kitchen Light', state: 'off' },
];
const ROLE = '400000000000000001';

const COMMANDS = `commands:
  - name: where
    description: Where someone is
    script: script.where_is
    action: read
    options:
      - name: who
        description: A person
        type: entity
        domains: [person]
        required: true
  - name: vacuum
    description: Vacuum a room
    script: vacuum_room
    options:
      - { name: room, description: Which room, type: string, required: true, choices: [kitchen, hall] }
      - { name: passes, description: How often, type: integer, choices: [1, 2] }
      - { name: turbo, description: Full power, type: boolean }
      - { name: level, description: Suction, type: number }
  - name: goodnight
    description: Good night, house
    event: discord_goodnight
    roles: [Parents]
    confirm: true
`;

function parse(text: string) {
  const r = loadConfigFile('/etc/bridge.yaml', () => text);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.file.commands;
}

function problems(text: string): string {
  const r = loadConfigFile('/etc/bridge.yaml', () => text);
  if (r.ok) throw new Error('expected problems');
  return r.problems.join('\n');
}

/** A world whose runner has the custom commands, and whose HA answers scripts. */
function customWorld(policy?: unknown, response: unknown = { text: 'Bob is at work.' }) {
  const w = commandWorld(HOME, policy === undefined ? {} : { policy });
  const scripts: { service: string; data: unknown; returnResponse: boolean | undefined }[] = [];
  w.ha.callService = (domain, service, data, _target, returnResponse?: boolean) => {
    if (domain !== 'script') throw new Error(`unexpected ${domain}`);
    scripts.push({ service, data, returnResponse });
    return Promise.resolve({ contextId: 'ctx-1', response } as ServiceCallResult);
  };
  const runner = createCommandRunner([...subcommands, ...customCommands(parse(COMMANDS))], w.ctx);
  return { ...w, runner, scripts };
}

let world: ReturnType<typeof customWorld> | undefined;
afterEach(() => world?.stop());

describe('custom commands: validation at load', () => {
  it('reads a valid section with its defaults', () => {
    const [where, vacuum, goodnight] = parse(COMMANDS);
    expect(where).toMatchObject({ name: 'where', script: 'where_is', action: 'read' });
    expect(vacuum).toMatchObject({ script: 'vacuum_room', confirm: false });
    expect(vacuum!.options.map((o) => o.required)).toEqual([true, false, false, false]);
    expect(goodnight).toMatchObject({ event: 'discord_goodnight', roles: ['Parents'] });
  });

  it("lists every problem with its line, in Discord's own terms", () => {
    const text = problems(`commands:
  - name: Goodnight
    description: ok
    script: script.goodnight
  - name: ha
    description: ok
    event: discord_x
  - name: has space
    description: ${'x'.repeat(101)}
    script: a
    event: discord_y
  - name: twice
    description: ok
    options:
      - { name: a, description: a, type: string }
      - { name: b, description: b, type: integer, required: true, choices: [1.5] }
      - { name: a, description: a, type: colour }
  - name: twice
    description: ok
    event: state_changed
    action: control
    roles: [x]
`);
    expect(text).toContain('/etc/bridge.yaml:2: commands.0.name: must be lower case');
    expect(text).toContain("commands.1.name: 'ha' is the bot's own command");
    expect(text).toContain('commands.2.name: must be 1-32 letters, digits, - or _');
    expect(text).toContain('commands.2.description: must be at most 100 characters');
    expect(text).toContain("command 'has space' needs exactly one of script:");
    expect(text).toContain(
      ':16: commands.3.options.1.required: a required option must come before every optional one',
    );
    expect(text).toContain('commands.3.options.1.choices.0: must be a whole number');
    expect(text).toContain('commands.3.options.2.type: must be one of string, integer');
    expect(text).toContain("command 'twice' needs exactly one of script:");
    expect(text).toContain("commands.4.name: duplicate command name 'twice'");
    expect(text).toContain('commands.4.event: is an event Home Assistant (or this bot) fires');
    expect(text).toContain('commands.4.action: set either action:');
  });

  it('takes at most 25 options, and names of any script in lower case', () => {
    const options = Array.from({ length: 26 }, (_, i) => ({
      name: `o${i}`,
      description: 'x',
      type: 'string',
    }));
    const r = CustomCommandsSchema.safeParse([
      { name: 'много', description: 'x', event: 'discord_x', options },
    ]);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['0.options', 'at most 25 options (Discord allows no more)'],
    ]);
    expect(
      CustomCommandsSchema.safeParse([{ name: 'ночь', description: 'x', event: 'discord_x' }])
        .success,
    ).toBe(true);
  });
});

describe('custom commands: declarations', () => {
  it('register beside /ha with their options in Discord form', () => {
    const body = buildCommands([...subcommands, ...customCommands(parse(COMMANDS))]);
    expect(body.map((c) => c.name)).toEqual(['ha', 'where', 'vacuum', 'goodnight']);
    const vacuum = body[2]!;
    expect(vacuum).toMatchObject({ type: 1, description: 'Vacuum a room' });
    expect(vacuum.options).toEqual([
      expect.objectContaining({
        name: 'room',
        type: 3,
        required: true,
        choices: [
          { name: 'kitchen', value: 'kitchen' },
          { name: 'hall', value: 'hall' },
        ],
      }),
      expect.objectContaining({
        name: 'passes',
        type: 4,
        choices: [
          { name: '1', value: 1 },
          { name: '2', value: 2 },
        ],
      }),
      expect.objectContaining({ name: 'turbo', type: 5 }),
      expect.objectContaining({ name: 'level', type: 10 }),
    ]);
    expect(body[1]!.options).toEqual([
      expect.objectContaining({ name: 'who', type: 3, autocomplete: true, required: true }),
    ]);
  });

  it('follow who may see /ha, except one only listed roles may use', () => {
    const body = buildCommands([...subcommands, ...customCommands(parse(COMMANDS))], {
      memberPermissions: 32n,
      dms: false,
    });
    expect(body.map((c) => c.default_member_permissions)).toEqual(['32', '32', '32', null]);
  });

  it('change only when the section does (a reload registers them again then)', () => {
    const commands = commandsIn(subcommands);
    const section = parse(COMMANDS);
    const all = commands(section);
    expect(all.map((c) => c.name).slice(-3)).toEqual(['where', 'vacuum', 'goodnight']);
    expect(commands(section)).toBe(all);
    expect(commands([])).toHaveLength(subcommands.length);
    expect(sameCustomCommands(section, parse(COMMANDS))).toBe(true);
    expect(sameCustomCommands(section, section.slice(1))).toBe(false);
  });
});

describe('custom commands: run by the command runner', () => {
  it("runs the script with the options as variables and shows the script's response", async () => {
    world = customWorld();
    const reply = await settle(
      await world.runner.command('/where', { caller: caller(), options: { who: 'Bob' } }),
    );
    expect(world.scripts).toEqual([
      { service: 'where_is', data: { who: 'person.bob' }, returnResponse: true },
    ]);
    expect(reply).toMatchObject({
      kind: 'show',
      message: { embeds: [{ title: '/where', description: 'Bob is at work.' }] },
    });
    expect(world.audit.at(-1)).toMatchObject({ command: '/where', domain: 'script' });
  });

  it('resolves an entity option among its domains only, and asks when it is ambiguous', async () => {
    world = customWorld();
    const ambiguous = await world.runner.command('/where', {
      caller: caller(),
      options: { who: 'bo' },
    });
    expect(words(ambiguous)).toContain('`person.bob`');
    const other = await world.runner.command('/where', {
      caller: caller(),
      options: { who: 'light.kitchen' },
    });
    expect(other?.kind).toBe('refuse');
    expect(world.scripts).toEqual([]);
    const choices = await world.runner.autocomplete('/where', {
      caller: caller(),
      focused: { name: 'who', value: 'bo' },
      options: {},
    });
    expect(choices.map((c) => c.value).sort()).toEqual(['person.bob', 'person.bobby']);
  });

  it('shows a response without text as JSON, and passes every option type', async () => {
    world = customWorld(undefined, { cleaned: ['kitchen'] });
    const reply = await settle(
      await world.runner.command('/vacuum', {
        caller: caller(),
        options: { room: 'kitchen', passes: 2, turbo: true, level: 0.5 },
      }),
    );
    expect(world.scripts[0]).toMatchObject({
      service: 'vacuum_room',
      data: { room: 'kitchen', passes: 2, turbo: true, level: 0.5 },
    });
    expect(reply).toMatchObject({
      kind: 'show',
      message: {
        embeds: [{ fields: [{ name: 'Response', value: expect.stringContaining('"cleaned"') }] }],
      },
    });
  });

  it("is covered by the policy's action (default control)", async () => {
    world = customWorld({ grants: [{ everyone: true, allow: ['read'] }] });
    const refused = await world.runner.command('/vacuum', {
      caller: caller(),
      options: { room: 'hall' },
    });
    expect(words(refused)).toBe('You need the Manage Server permission to control that.');
    const allowed = await settle(
      await world.runner.command('/where', { caller: caller(), options: { who: 'person.bob' } }),
    );
    expect(allowed.kind).toBe('show');
    expect(world.scripts).toHaveLength(1);
  });

  it('fires its event only for the roles listed, after the confirmation asked for', async () => {
    world = customWorld();
    const refused = await world.runner.command('/goodnight', { caller: caller(), options: {} });
    expect(words(refused)).toBe('You need the role Parents to use /goodnight.');
    const parent = caller({ roleIds: [ROLE], roleNames: ['parents'] });
    const asked = await world.runner.command('/goodnight', { caller: parent, options: {} });
    expect(asked?.kind).toBe('confirm');
    expect(world.events).toEqual([]);
    const buttons = asked?.kind === 'confirm' ? (asked.message.buttons ?? []) : [];
    const token = (buttons[0]?.id as { token: string }).token;
    const done = await settle(await world.runner.confirm(token, true, parent));
    expect(done).toMatchObject({ kind: 'show' });
    expect(world.events).toEqual([
      {
        type: 'discord_goodnight',
        data: {
          command: 'goodnight',
          options: {},
          user_id: parent.userId,
          user_name: 'alice',
          guild_id: parent.guildId,
          channel_id: parent.channelId,
          confirmed: true,
        },
      },
    ]);
  });

  it('says which script is missing when HA has none of that name', async () => {
    world = customWorld();
    world.ha.callService = () =>
      Promise.reject(
        Object.assign(new Error('Service script.where_is not found.'), { code: 'not_found' }),
      );
    const reply = await settle(
      await world.runner.command('/where', { caller: caller(), options: { who: 'person.bob' } }),
    );
    expect(words(reply)).toContain(
      '/where runs `script.where_is`, which Home Assistant does not have',
    );
  });
});

describe('custom commands: malformed sections', () => {
  it.each([
    ['commands: goodnight', 'commands: Invalid input: expected array, received string'],
    ['commands: [goodnight]', 'commands.0: Invalid input: expected object, received string'],
  ])('%s: one clear problem', (text, problem) => {
    expect(problems(text)).toBe(`/etc/bridge.yaml:1: ${problem}`);
  });
});

describe("the README's custom commands example", () => {
  it('is a valid commands: section', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('\n## Custom commands\n'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect(parse(yaml).map((c) => c.name)).toEqual(['where', 'goodnight']);
  });
});
