import { code, LIMITS, plain, safe } from '../../discord/format.js';
import type { EmbedData, FileData } from '../../discord/message-data.js';
import { resolveTarget } from '../../entities/resolver.js';
import { truncate } from '../../entities/text.js';
import { toHaError } from '../../ha/errors.js';
import type { Actor } from '../../policy/decide.js';
import { responseParts } from '../act.js';
import { askToConfirm } from '../confirm.js';
import { entityChoices } from '../entity-option.js';
import type { OptionSpec } from '../options.js';
import { ambiguityText, describeHaError, resolutionProblem } from '../replies.js';
import { refuse, type Reply } from '../reply.js';
import type { Caller, CommandContext, CommandSpec, Refusal } from '../types.js';
import type { CustomCommandConfig, CustomOptionConfig } from '../../config/custom-commands.js';

/** The values a script gets as variables (an event as `options`), by option name. */
export type Variables = Record<string, string | number | boolean>;

/** An entity option is a text with autocomplete: Discord has no option type for HA entities. */
function optionSpec(o: CustomOptionConfig): OptionSpec {
  const base = { name: o.name, description: o.description, required: o.required };
  switch (o.type) {
    case 'string':
      return {
        ...base,
        type: 'string',
        maxLength: LIMITS.fieldValue,
        ...(o.choices && {
          choices: o.choices.map((c) =>
            typeof c === 'object' ? { name: c.name, value: String(c.value) } : String(c),
          ),
        }),
      };
    case 'integer':
    case 'number':
      return {
        ...base,
        type: o.type,
        ...(o.choices && {
          choices: o.choices.map((c) =>
            typeof c === 'object'
              ? { name: c.name, value: Number(c.value) }
              : { name: String(c), value: Number(c) },
          ),
        }),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'entity':
      return { ...base, type: 'string', maxLength: 255, autocomplete: true };
  }
}

const inDomains = (o: CustomOptionConfig) => (entry: { domain: string }) =>
  o.domains === undefined || o.domains.includes(entry.domain);

/** Only the roles and users listed (and server managers) may use it, when it lists any. */
function listedRefusal(c: CustomCommandConfig, actor: Actor): string | undefined {
  if (c.roles === undefined && c.users === undefined) return undefined;
  if (actor.isManager || c.users?.includes(actor.userId)) return undefined;
  const names = actor.roleNames.map((n) => n.toLowerCase());
  if (c.roles?.some((r) => actor.roleIds.includes(r) || names.includes(r.toLowerCase())))
    return undefined;
  return c.roles
    ? `You need the role ${c.roles.join(' or ')} to use /${c.name}.`
    : `Only the people listed for /${c.name} in the bot's config may use it.`;
}

/** The typed options as the script's variables; an entity option becomes its entity id. */
function variablesOf(
  c: CustomCommandConfig,
  options: Readonly<Record<string, string | number | boolean | undefined>>,
  caller: Caller,
  ctx: CommandContext,
): Variables | Refusal {
  const variables: Variables = {};
  for (const o of c.options) {
    const value = options[o.name];
    if (value === undefined) continue;
    if (o.type !== 'entity') {
      variables[o.name] = value;
      continue;
    }
    const typed = String(value);
    const r = resolveTarget(ctx.catalog, typed, { accept: inDomains(o), allowGroups: false });
    if (r.kind === 'ambiguous') return { refused: ambiguityText(typed, r.candidates) };
    if (r.kind !== 'entity')
      return {
        refused:
          resolutionProblem(typed, r, `used with /${c.name}`) ??
          `'${safe(typed, 100)}' is not an entity /${c.name} takes.`,
      };
    const seen = ctx.access.check(caller, 'read', r.entry);
    if (!seen.allowed) return { refused: seen.reason };
    variables[o.name] = r.entry.entityId;
  }
  return variables;
}

/** A script's response: its `text` as the message, anything else as JSON. */
function responseEmbed(
  title: string,
  response: unknown,
  by: string,
): { embed: EmbedData; files: FileData[] } {
  const record =
    typeof response === 'object' && response !== null && !Array.isArray(response)
      ? (response as Record<string, unknown>)
      : undefined;
  const text = typeof record?.text === 'string' ? record.text : undefined;
  const rest = record && text !== undefined ? { ...record, text: undefined } : response;
  const hasRest =
    rest !== undefined &&
    rest !== null &&
    !(typeof rest === 'object' && Object.values(rest).every((v) => v === undefined));
  const { field, file } = hasRest ? responseParts(rest) : {};
  return {
    embed: {
      title: plain(title, LIMITS.title),
      color: 0x2ecc71,
      // A script without `stop: … response_variable:` answers `{}`: it ran, nothing to show.
      ...(text !== undefined && text.trim() !== ''
        ? { description: truncate(text, LIMITS.description) }
        : field
          ? {}
          : { description: 'Done.' }),
      ...(field ? { fields: [field] } : {}),
      footer: { text: plain(by, LIMITS.footer) },
    },
    files: file ? [file] : [],
  };
}

/** Runs the script or fires the event, audits it, and words the outcome. */
async function perform(
  c: CustomCommandConfig,
  variables: Variables,
  by: Caller,
  confirmed: boolean,
  ctx: CommandContext,
): Promise<Reply> {
  const footer = `/${c.name} by ${by.userName}${confirmed ? ' (confirmed)' : ''}`;
  const audit = (domain: string, service: string, contextId?: string, error?: string) =>
    ctx.audit.record({
      userId: by.userId,
      userName: by.userName,
      guildId: by.guildId,
      channelId: by.channelId,
      command: `/${c.name}`,
      domain,
      service,
      entityIds: [],
      contextId,
      confirmed,
      error,
    });
  if (c.script !== undefined) {
    const script = c.script;
    try {
      const { contextId, response } = await ctx.ha.callService(
        'script',
        script,
        variables,
        undefined,
        true,
      );
      audit('script', script, contextId);
      const { embed, files } = responseEmbed(`/${c.name}`, response, footer);
      return { kind: 'show', message: { embeds: [embed], files } };
    } catch (raw) {
      const error = toHaError(raw);
      audit('script', script, undefined, `${error.code}: ${error.message}`);
      if (error.code === 'not_found')
        return refuse(
          `/${c.name} runs ${code(`script.${script}`, 80)}, which Home Assistant does not have. Create the script, or fix \`script:\` under commands: in the bot's config and reload it.`,
        );
      return refuse(describeHaError(error));
    }
  }
  const event = c.event!;
  try {
    // Who asked and where, beside the options, where no option can overwrite them.
    await ctx.ha.fireEvent(event, {
      command: c.name,
      options: variables,
      user_id: by.userId,
      user_name: by.userName,
      guild_id: by.guildId,
      channel_id: by.channelId,
      confirmed,
    });
  } catch (raw) {
    const error = toHaError(raw);
    audit('event', event, undefined, `${error.code}: ${error.message}`);
    return refuse(describeHaError(error));
  }
  audit('event', event);
  return {
    kind: 'show',
    message: {
      embeds: [
        {
          title: plain(`/${c.name}`, LIMITS.title),
          description: `Sent to Home Assistant as the event \`${event}\`.`,
          color: 0x3498db,
          footer: { text: plain(footer, LIMITS.footer) },
        },
      ],
    },
  };
}

const slow = (c: CustomCommandConfig, run: () => Promise<Reply>): Reply => ({
  kind: 'slow',
  working: `Working on /${c.name}…`,
  done: `Done: /${c.name}.`,
  run,
});

/**
 * A custom command from the config as a declaration the runner runs like any other: HA
 * away, the policy's action (or the roles and users listed), the options read, an entity
 * option resolved, a confirmation when the config asks for one, then the script or event.
 */
export function customCommand(c: CustomCommandConfig): CommandSpec<Variables> {
  const listed = c.roles !== undefined || c.users !== undefined;
  const action = c.action ?? 'control';
  return {
    name: c.name,
    topLevel: true,
    description: c.description,
    options: c.options.map(optionSpec),
    needs: 'ha',
    ...(listed ? {} : { action }),
    prepare({ caller, options }, ctx) {
      const refused = listedRefusal(c, caller);
      if (refused) {
        ctx.log.warn({ userId: caller.userId, command: c.name }, 'refused by the command config');
        return { refused };
      }
      return variablesOf(c, options, caller, ctx);
    },
    plan({ caller }, _, variables, ctx) {
      if (!c.confirm) return slow(c, () => perform(c, variables, caller, false, ctx));
      const given = Object.entries(variables).map(([k, v]) => `${k}: ${String(v)}`);
      return askToConfirm(
        {
          userId: caller.userId,
          action,
          entityIds: [],
          seen: new Map(),
          summary: truncate(`Run /${c.name}${given.length ? ` ${given.join(', ')}` : ''}`, 200),
          run: (presser) =>
            Promise.resolve(slow(c, () => perform(c, variables, presser, true, ctx))),
        },
        ['the config asks for it'],
        ctx,
      );
    },
    autocomplete(input, ctx) {
      const o = c.options.find((x) => x.name === input.focused.name && x.type === 'entity');
      if (o === undefined || listedRefusal(c, input.caller)) return [];
      return entityChoices(input, ctx, 'read', inDomains(o), false);
    },
  };
}

/** The `commands:` section as declarations, in the config's order. */
export const customCommands = (list: readonly CustomCommandConfig[]): CommandSpec<Variables>[] =>
  list.map(customCommand);
