import type {
  AutocompleteParams,
  CommandOptionValue,
  ComponentParams,
  InteractionTarget,
  Json,
  SlashCommandParams,
} from '../../fakes/discord/fake-discord.js';
import { hostileString, type Random } from './random.js';

/** One interaction for the fake to send, as generated. */
export type FuzzInteraction =
  | { kind: 'command'; params: SlashCommandParams }
  | { kind: 'autocomplete'; params: AutocompleteParams }
  | { kind: 'component'; params: ComponentParams };

interface OptionDef {
  name: string;
  type: number;
  required: boolean;
  autocomplete: boolean;
}

interface SubcommandDef {
  group?: string;
  name: string;
  options: OptionDef[];
}

const SUBCOMMAND = 1;
const GROUP = 2;

/** Every subcommand of a registered command (the bot's own `buildCommands()` output). */
export function subcommandsOf(command: Json): SubcommandDef[] {
  const options = (list: Json[] | undefined): OptionDef[] =>
    (list ?? []).map((o) => ({
      name: o.name,
      type: o.type,
      required: o.required === true,
      autocomplete: o.autocomplete === true,
    }));
  return (command.options as Json[]).flatMap((o): SubcommandDef[] => {
    if (o.type === SUBCOMMAND) return [{ name: o.name, options: options(o.options) }];
    if (o.type === GROUP)
      return (o.options as Json[]).map((s) => ({
        group: o.name,
        name: s.name,
        options: options(s.options),
      }));
    return [];
  });
}

export interface FuzzWorld {
  /** The root command as the bot registers it. */
  command: Json;
  /** Who sends an interaction and where: guild members, DMs, other guilds. */
  target(r: Random): InteractionTarget;
  /** Real names from the home: entity ids, friendly names, areas, rule names. */
  words: readonly string[];
  entityIds: readonly string[];
  /** The prefix of the bot's "which one did you mean?" menus. */
  pickPrefix: string;
}

const OPTION_TYPES = [3, 4, 5, 6, 7, 8, 10];
const SNOWFLAKES = ['822222222222222222', '190000000000000002', '1', '0', '99999999999999999999'];

/** A value for an option of `type`, mostly valid for the type and hostile within it. */
function optionValue(r: Random, type: number, words: readonly string[]): string | number | boolean {
  switch (type) {
    case 3:
      return hostileString(r, words);
    case 4:
      return r.pick([
        0,
        1,
        2,
        3,
        -1,
        2 ** 31,
        Number.MAX_SAFE_INTEGER,
        -Number.MAX_SAFE_INTEGER,
        r.int(50),
      ]);
    case 10:
      return r.pick([0, -0, 1.5, -273.15, 1e308, -1e308, 5e-324, 21.5, r.next() * 100]);
    case 5:
      return r.chance(0.5);
    default:
      return r.pick(SNOWFLAKES);
  }
}

function options(
  r: Random,
  defs: readonly OptionDef[],
  words: readonly string[],
): CommandOptionValue[] {
  const out: CommandOptionValue[] = [];
  const dropRequired = r.chance(0.05);
  for (const def of defs) {
    if (def.required ? dropRequired && r.chance(0.7) : r.chance(0.5)) continue;
    if (r.chance(0.06)) {
      // A type Discord would not send for this option (a stale command definition).
      const type = r.pick(OPTION_TYPES.filter((t) => t !== def.type));
      out.push({ name: def.name, type, value: optionValue(r, type, words) });
    } else out.push({ name: def.name, value: optionValue(r, def.type, words) });
  }
  if (r.chance(0.04))
    out.push({
      name: r.pick(['bogus', 'entity', 'target', 'id', '']),
      value: hostileString(r, words),
    });
  return out;
}

/** Which `/ha` path: mostly real subcommands, sometimes unknown ones or wrong groups. */
function path(r: Random, subs: readonly SubcommandDef[], root: string) {
  const sub = r.pick(subs);
  const other = r.pick(subs);
  return r.weighted<() => { name: string; group?: string; sub?: string; defs: OptionDef[] }>([
    [85, () => ({ name: root, group: sub.group, sub: sub.name, defs: sub.options })],
    [
      3,
      () => ({
        name: root,
        sub: r.pick(['bogus', 'State', '', 'watch', 'add']),
        defs: sub.options,
      }),
    ],
    [
      3,
      () => ({
        name: root,
        group: other.group ?? 'watch',
        sub: sub.group ? 'state' : sub.name,
        defs: sub.options,
      }),
    ],
    [2, () => ({ name: root, group: r.pick(['nope', 'watch', 'state']), defs: sub.options })],
    [2, () => ({ name: root, defs: sub.options })],
    [2, () => ({ name: r.pick(['help', 'HA', 'ha2', 'ping']), sub: sub.name, defs: sub.options })],
  ])();
}

function slashCommand(r: Random, w: FuzzWorld, subs: readonly SubcommandDef[]): FuzzInteraction {
  const p = path(r, subs, w.command.name);
  return {
    kind: 'command',
    params: {
      ...w.target(r),
      name: p.name,
      ...(p.group !== undefined ? { subcommandGroup: p.group } : {}),
      ...(p.sub !== undefined ? { subcommand: p.sub } : {}),
      options: options(r, p.defs, w.words),
    },
  };
}

function autocomplete(r: Random, w: FuzzWorld, subs: readonly SubcommandDef[]): FuzzInteraction {
  const withOptions = subs.filter((s) => s.options.length > 0);
  const p = r.chance(0.9)
    ? (() => {
        const s = r.pick(withOptions);
        return { name: w.command.name, group: s.group, sub: s.name, defs: s.options };
      })()
    : path(r, subs, w.command.name);
  const completable = p.defs.filter((d) => d.autocomplete);
  const focused = r.weighted<() => string>([
    [8, () => (completable.length ? r.pick(completable).name : 'target')],
    [1, () => (p.defs.length ? r.pick(p.defs).name : 'entity')],
    [1, () => 'not-an-option'],
  ])();
  const opts = options(r, p.defs, w.words).filter((o) => o.name !== focused);
  if (focused !== 'not-an-option' || r.chance(0.5))
    opts.push({ name: focused, value: r.chance(0.1) ? '' : hostileString(r, w.words) });
  return {
    kind: 'autocomplete',
    params: {
      ...w.target(r),
      name: p.name,
      ...(p.group !== undefined ? { subcommandGroup: p.group } : {}),
      ...(p.sub !== undefined ? { subcommand: p.sub } : {}),
      focused,
      options: opts,
    },
  };
}

function component(r: Random, w: FuzzWorld, subs: readonly SubcommandDef[]): FuzzInteraction {
  const key = (s: SubcommandDef) => (s.group ? `${s.group} ${s.name}` : s.name);
  const customId = r.weighted<() => string>([
    [5, () => w.pickPrefix + key(r.pick(subs))],
    [2, () => w.pickPrefix + hostileString(r, w.words).slice(0, 90)],
    [2, () => hostileString(r, w.words).slice(0, 100) || 'x'],
    [1, () => `${w.pickPrefix}state${'x'.repeat(200)}`],
    // The bot's own buttons, with real and hostile arguments (ha:btn:<subcommand>:<args>).
    [
      4,
      () =>
        `ha:btn:${r.pick(['state', 'list', 'mute', 'call', r.pick(subs).name])}:${[
          r.pick(['toggle', 'refresh', 'unlock', 'lock', '1', '-3', '99999']),
          r.chance(0.7) ? r.pick(w.entityIds) : hostileString(r, w.words).slice(0, 40),
          r.pick(['', '1h', 'light', 'kitchen', 'NaN']),
        ].join(':')}`.slice(0, 100),
    ],
    [2, () => `${r.pick(['ha:confirm:', 'ha:cancel:'])}${hostileString(r, w.words).slice(0, 60)}`],
  ])();
  const componentType = r.weighted([
    [7, 3],
    [2, 2],
    [1, r.pick([5, 6, 7, 8])],
  ] as const);
  const values = r.weighted<() => string[] | undefined>([
    [6, () => [r.pick(w.entityIds)]],
    [2, () => Array.from({ length: 1 + r.int(3) }, () => hostileString(r, w.words))],
    [1, () => []],
    [1, () => undefined],
  ])();
  return {
    kind: 'component',
    params: {
      ...w.target(r),
      customId,
      componentType,
      ...(componentType === 2 || values === undefined ? {} : { values }),
    },
  };
}

/**
 * Every subcommand with every real name of the home in its first string option, and the
 * same names typed into autocomplete, sent by `target`: so each hostile name is echoed back
 * by each command at least once, however the random part falls.
 */
export function tour(w: FuzzWorld, target: InteractionTarget): FuzzInteraction[] {
  return subcommandsOf(w.command).flatMap((s) => {
    const option = s.options.find((o) => o.type === 3);
    if (option === undefined) return [];
    const path = {
      ...target,
      name: w.command.name,
      ...(s.group !== undefined ? { subcommandGroup: s.group } : {}),
      subcommand: s.name,
    };
    return w.words.flatMap((word): FuzzInteraction[] => [
      { kind: 'command', params: { ...path, options: [{ name: option.name, value: word }] } },
      ...(option.autocomplete
        ? [
            {
              kind: 'autocomplete' as const,
              params: {
                ...path,
                focused: option.name,
                options: [{ name: option.name, value: word }],
              },
            },
          ]
        : []),
    ]);
  });
}

/** Random interactions drawn from the bot's own command definitions. */
export function interactionGenerator(w: FuzzWorld): (r: Random) => FuzzInteraction {
  const subs = subcommandsOf(w.command);
  return (r) =>
    r.weighted<() => FuzzInteraction>([
      [50, () => slashCommand(r, w, subs)],
      [30, () => autocomplete(r, w, subs)],
      [20, () => component(r, w, subs)],
    ])();
}
