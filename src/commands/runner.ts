import type { CatalogEntry } from '../entities/catalog.js';
import { resolveTarget } from '../entities/resolver.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { pressConfirm } from './confirm.js';
import { requiredText, text, type OptionValues } from './options.js';
import { ambiguityText, nothingLoadedText, resolutionProblem, unavailableText } from './replies.js';
import { refuse, type Reply } from './reply.js';
import type {
  AnyCommand,
  AutocompleteInput,
  Caller,
  Choice,
  CommandContext,
  Input,
  Refusal,
  Runner,
  TargetSpec,
  Targets,
} from './types.js';

/** The router's key for a command: `state`, `watch add` inside a group, `/goodnight` beside `/ha`. */
export const commandKey = (c: {
  name: string;
  group?: string | undefined;
  topLevel?: boolean | undefined;
}) => (c.topLevel ? `/${c.name}` : c.group ? `${c.group} ${c.name}` : c.name);

/** Why the command cannot run while HA is away, or undefined when it can. */
export function availability(needs: AnyCommand['needs'], ctx: CommandContext): string | undefined {
  if (needs === 'ha') return unavailableText(ctx.ha.status);
  if (needs === 'entities') return nothingLoadedText(ctx);
  return undefined;
}

const isRefusal = (value: unknown): value is Refusal =>
  typeof value === 'object' && value !== null && 'refused' in value;

/** The entities a typed target stands for, narrowed by the policy; or the reply instead. */
export function resolveTargets<P>(
  t: TargetSpec<P>,
  command: string,
  input: Input,
  prepared: P,
  ctx: CommandContext,
): Targets | Reply {
  const { caller } = input;
  const typed = t.optional ? text(input.options, t.option) : requiredText(input.options, t.option);
  if (!typed) {
    const d = ctx.access.check(caller, t.action);
    return d.allowed ? { kind: 'none' } : refuse(d.reason);
  }
  const r = resolveTarget(
    ctx.catalog,
    typed,
    t.accept ? { accept: (e) => t.accept!(e, prepared) } : undefined,
  );
  const one = (entry: CatalogEntry): Targets | Reply => {
    const d = ctx.access.check(caller, t.action, entry);
    return d.allowed ? { kind: 'entity', entry } : refuse(d.reason);
  };
  const menu = (candidates: readonly CatalogEntry[]): Reply => {
    const options = carried(t, input.options);
    if (encodeCustomId({ kind: 'pick', command, options }) === undefined)
      return refuse(ambiguityText(typed, candidates));
    return { kind: 'menu', typed, candidates, command, ...(options ? { options } : {}) };
  };
  const visibleMenu = (candidates: readonly CatalogEntry[], group?: string): Reply => {
    const visible = candidates.filter(ctx.access.filter(caller, t.action));
    if (visible.length === 0) return refuse(t.invisible?.(typed, group) ?? t.nothing);
    return menu(visible);
  };
  switch (r.kind) {
    case 'entity':
      return one(r.entry);
    case 'group': {
      const name = r.group.name;
      if (t.groups === 'choose')
        return r.entries.length === 1 ? one(r.entries[0]!) : visibleMenu(r.entries, name);
      if (t.groups === 'visible') {
        const visible = r.entries.filter(ctx.access.filter(caller, t.action));
        if (visible.length === 0) return refuse(t.invisible?.(typed, name) ?? t.nothing);
        return {
          kind: 'group',
          name,
          entries: visible,
          skipped: r.entries.length - visible.length,
        };
      }
      const decisions = r.entries.map((e) => ({ e, d: ctx.access.check(caller, t.action, e) }));
      const refused = decisions.find((x) => !x.d.allowed)?.d;
      const allowed = decisions.filter((x) => x.d.allowed).map((x) => x.e);
      if (t.groups === 'every' && refused && !refused.allowed) return refuse(refused.reason);
      if (allowed.length === 0)
        return refuse(refused && !refused.allowed ? refused.reason : t.nothing);
      return { kind: 'group', name, entries: allowed, skipped: r.entries.length - allowed.length };
    }
    case 'ambiguous':
      if (t.groups === 'choose') return visibleMenu(r.candidates);
      return (typeof t.menu === 'function' ? t.menu(prepared) : t.menu)
        ? menu(r.candidates)
        : refuse(ambiguityText(typed, r.candidates));
    default:
      return refuse(
        t.problem?.(typed, r) ?? resolutionProblem(typed, r, t.verb(prepared)) ?? t.nothing,
      );
  }
}

/** The options a target's menu carries to its pick: those typed of `t.carry`. */
function carried<P>(t: TargetSpec<P>, options: OptionValues): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const name of t.carry ?? []) {
    const value = text(options, name);
    if (value !== null) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const isReply = (x: Targets | Reply): x is Reply => !['entity', 'group', 'none'].includes(x.kind);

/** A typed command: HA away → policy action → prepare → target → ambiguity → access → plan. */
export async function runCommand(
  spec: AnyCommand,
  input: Input,
  ctx: CommandContext,
): Promise<Reply> {
  const down = availability(spec.needs, ctx);
  if (down) return refuse(down);
  if (spec.action) {
    const d = ctx.access.check(input.caller, spec.action);
    if (!d.allowed) return refuse(d.reason);
  }
  const prepared: unknown = spec.prepare ? await spec.prepare(input, ctx) : undefined;
  if (isRefusal(prepared)) return refuse(prepared.refused);
  let targets: Targets = { kind: 'none' };
  if (spec.target) {
    const resolved = resolveTargets(spec.target, commandKey(spec), input, prepared, ctx);
    if (isReply(resolved)) return resolved;
    targets = resolved;
  }
  return spec.plan(input, targets, prepared, ctx);
}

/**
 * The command on one entity named by id: a pick from its "which one?" menu, or a button.
 * The same checks as typed, in the same order; undefined when the command takes no target.
 */
export async function runOnEntity(
  spec: AnyCommand,
  entityId: string,
  input: Input,
  ctx: CommandContext,
): Promise<Reply | undefined> {
  const t = spec.target;
  if (t === undefined) return undefined;
  if (spec.needs === 'ha') {
    const down = unavailableText(ctx.ha.status);
    if (down) return refuse(down);
  }
  const prepared: unknown = spec.prepare ? await spec.prepare(input, ctx) : undefined;
  if (isRefusal(prepared)) return refuse(prepared.refused);
  const entry = ctx.catalog.get(entityId);
  const present =
    entry !== undefined &&
    (t.accept === undefined || t.accept(entry, prepared)) &&
    (t.present === undefined || t.present(entry, ctx));
  if (!present) return refuse(t.gone(entityId));
  const d = ctx.access.check(input.caller, t.action, entry);
  if (!d.allowed) return refuse(d.reason);
  return spec.plan(input, { kind: 'entity', entry }, prepared, ctx);
}

/** Every command by its key, and the one way each kind of interaction reaches them. */
export interface CommandRunner {
  has(key: string): boolean;
  /** A typed `/ha …`; undefined for a command this version does not have. */
  command(key: string, input: Omit<Input, 'via'>): Promise<Reply | undefined>;
  /**
   * The pick from a "which one?" menu of `key`, with the options its id carried; undefined
   * when it has no such menu.
   */
  pick(
    key: string,
    entityId: string,
    caller: Caller,
    options?: Readonly<Record<string, string>>,
  ): Promise<Reply | undefined>;
  /** A press on a button of `command`; undefined when it has none (an old message). */
  button(command: string, args: readonly string[], caller: Caller): Promise<Reply | undefined>;
  confirm(token: string, confirmed: boolean, caller: Caller): Promise<Reply>;
  autocomplete(key: string, input: AutocompleteInput): Promise<Choice[]>;
}

export function createCommandRunner(
  commands: readonly AnyCommand[],
  ctx: CommandContext,
): CommandRunner {
  const byKey = new Map(commands.map((c) => [commandKey(c), c]));
  const runner: Runner = {
    onEntity: async (key, entityId, input) => {
      const spec = byKey.get(key);
      return spec ? runOnEntity(spec, entityId, input, ctx) : undefined;
    },
  };
  return {
    has: (key) => byKey.has(key),
    async command(key, input) {
      const spec = byKey.get(key);
      return spec ? runCommand(spec, { ...input, via: 'command' }, ctx) : undefined;
    },
    async pick(key, entityId, caller, options = {}) {
      const spec = byKey.get(key);
      if (spec?.target === undefined || spec.target.menu === false) return undefined;
      // Only the options this command's menu carries: nothing else in an id is taken.
      const kept = carried(spec.target, options) ?? {};
      return runOnEntity(spec, entityId, { caller, options: kept, via: 'pick' }, ctx);
    },
    async button(command, args, caller) {
      const spec = byKey.get(command);
      if (spec?.button === undefined) return undefined;
      return spec.button(args, { caller, options: {}, via: 'button' }, ctx, runner);
    },
    confirm: (token, confirmed, caller) => pressConfirm(token, confirmed, caller, ctx),
    async autocomplete(key, input) {
      const spec = byKey.get(key);
      return spec?.autocomplete ? spec.autocomplete(input, ctx) : [];
    },
  };
}
