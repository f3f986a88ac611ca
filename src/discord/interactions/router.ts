import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import { timed, type CommandMetrics } from '../../commands/instrument.js';
import { MalformedOption, type OptionValues } from '../../commands/options.js';
import { ROOT_COMMAND } from '../../commands/root.js';
import { commandKey, createCommandRunner } from '../../commands/runner.js';
import type { AnyCommand, Caller, CommandContext } from '../../commands/types.js';
import type { Logger } from '../../logging/logger.js';
import { actorOf } from '../access.js';
import { parseCustomId } from '../custom-id.js';
import type { ActionPresses } from './action-press.js';
import { render, replyError } from './render.js';

const EXPIRED_TEXT = 'That button or menu has expired. Run the command again.';
const FAILURE_TEXT =
  'Something went wrong while handling that command. It has been logged; please try again.';

const TYPE_NAMES: Record<string, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  number: ApplicationCommandOptionType.Number,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  channel: ApplicationCommandOptionType.Channel,
};

/** The subcommand's own options, as discord.js hoists them out of the group and subcommand. */
function hoisted(data: readonly CommandInteractionOption[]): readonly CommandInteractionOption[] {
  let options = data;
  if (options[0]?.type === ApplicationCommandOptionType.SubcommandGroup)
    options = options[0].options ?? [];
  if (options[0]?.type === ApplicationCommandOptionType.Subcommand)
    options = options[0].options ?? [];
  return options;
}

/**
 * The options as plain values for the command. An option of another type than the command
 * declares (a stale registration) throws when the command reads it, as discord.js' getters do.
 */
function optionValues(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  command: AnyCommand | undefined,
): OptionValues {
  const values: Record<string, string | number | boolean | undefined> = {};
  for (const option of hoisted(interaction.options.data)) {
    if (Object.hasOwn(values, option.name)) continue;
    const declared = command?.options?.find((o) => o.name === option.name);
    const expected = declared && TYPE_NAMES[declared.type];
    const value =
      option.type === ApplicationCommandOptionType.Channel ? option.channel?.id : option.value;
    Object.defineProperty(values, option.name, {
      enumerable: true,
      get() {
        if (expected !== undefined && option.type !== expected)
          throw new MalformedOption(
            'CommandInteractionOptionType',
            `Option "${option.name}" is of type: ${option.type}; expected ${expected}.`,
          );
        return value;
      },
    });
  }
  return values;
}

/**
 * The longest an interaction waits for the first search index of a large home (see
 * EntityCatalog.whenSearchable()): past it the search builds what is left at once. Short
 * enough that a command's reply, deferred DEFER_AFTER_MS after it starts, still makes
 * Discord's 3 seconds.
 */
const FIRST_INDEX_WAIT_MS = 1000;

/** Just after start-up in a large home, the first index's slices finish before the search. */
export async function firstIndex(
  catalog: Pick<CommandContext['catalog'], 'whenSearchable'>,
  waitMs = FIRST_INDEX_WAIT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([catalog.whenSearchable(), waited]);
  clearTimeout(timer);
}

const callerOf = (interaction: Interaction): Caller => ({
  ...actorOf(interaction),
  userName: interaction.user.username,
  channelId: interaction.channelId,
});

/**
 * Routes each interaction to the command runner and renders its answer. This is the one
 * error boundary: whatever a command throws becomes a logged error and a plain reply,
 * never a crash or a silent timeout.
 */
export function createInteractionRouter(
  commands: readonly AnyCommand[] | (() => readonly AnyCommand[]),
  ctx: CommandContext,
  log: Logger,
  metrics?: CommandMetrics,
  /** Presses on the buttons of messages HA automations sent (src/discord/interactions/action-press.ts). */
  actions?: ActionPresses,
): (interaction: Interaction) => Promise<void> {
  // A function: the commands in force at each interaction (a reload changes custom ones).
  const current = typeof commands === 'function' ? commands : () => commands;
  let built:
    | {
        list: readonly AnyCommand[];
        runner: ReturnType<typeof createCommandRunner>;
        byKey: Map<string, AnyCommand>;
      }
    | undefined;
  const commandSet = () => {
    const list = current();
    if (built?.list !== list)
      built = {
        list,
        runner: createCommandRunner(list, ctx),
        byKey: new Map(list.map((c) => [commandKey(c), c])),
      };
    return built;
  };
  /** `/ha state` → `state`, `/ha watch add` → `watch add`, `/goodnight` → `/goodnight`. */
  const keyOf = (
    commandName: string,
    options: {
      getSubcommandGroup(required: false): string | null;
      getSubcommand(required: false): string | null;
    },
  ) =>
    commandName === ROOT_COMMAND
      ? commandKey({
          group: options.getSubcommandGroup(false) ?? undefined,
          name: options.getSubcommand(false) ?? '',
        })
      : commandKey({ name: commandName, topLevel: true });

  return async (interaction) => {
    const started = performance.now();
    const meta: Record<string, unknown> = {
      interactionId: interaction.id,
      userId: interaction.user.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
    };
    try {
      if (!ctx.access.serves(interaction.guildId)) {
        log.warn(meta, 'interaction from a server this bot does not serve: ignored');
        if (interaction.isAutocomplete()) await interaction.respond([]);
        else if (interaction.isRepliable())
          await replyError(interaction, 'This bot does not serve this server.');
        return;
      }
      const caller = callerOf(interaction);
      // A press on buttons HA sent in a direct message is checked by the press itself (the
      // message was addressed to that person); everything else in a DM needs the policy's dm_users.
      const isAction =
        (interaction.isMessageComponent() || interaction.isModalSubmit()) &&
        parseCustomId(interaction.customId)?.kind === 'action';
      if (interaction.guildId === null && interaction.isRepliable() && !isAction) {
        const dm = ctx.access.check(caller, 'read');
        if (!dm.allowed) {
          await replyError(interaction, dm.reason);
          return;
        }
      }
      // Another command name (e.g. a stale registration) is answered too, never left to time out.
      const { runner, byKey } = commandSet();
      if (interaction.isAutocomplete()) {
        const command = byKey.get(keyOf(interaction.commandName, interaction.options));
        if (command?.autocomplete === undefined) {
          await interaction.respond([]);
          return;
        }
        const focused = interaction.options.getFocused(true);
        await firstIndex(ctx.catalog);
        const choices = await runner.autocomplete(commandKey(command), {
          caller,
          focused: { name: focused.name, value: String(focused.value) },
          options: optionValues(interaction, command),
        });
        await interaction.respond(choices);
        return;
      }
      if (interaction.isChatInputCommand()) {
        const key = keyOf(interaction.commandName, interaction.options);
        meta.command = key;
        const command = byKey.get(key);
        if (command === undefined) {
          await replyError(
            interaction,
            'That command is not known to this version of the bot. Try again in a minute: commands may still be updating.',
          );
          return;
        }
        log.info(meta, 'command received');
        await timed(metrics, key, async () => {
          await firstIndex(ctx.catalog);
          const options = optionValues(interaction, command);
          const reply = await runner.command(key, { caller, options });
          if (reply) await render(reply, { kind: 'command', interaction });
        });
        log.info({ ...meta, ms: Math.round(performance.now() - started) }, 'command handled');
        return;
      }
      const id =
        interaction.isMessageComponent() || interaction.isModalSubmit()
          ? parseCustomId(interaction.customId)
          : undefined;
      if (
        id?.kind === 'action' &&
        actions &&
        (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit())
      ) {
        meta.command = 'action';
        await actions(interaction, id, caller);
        return;
      }
      if (id?.kind === 'pick' && interaction.isStringSelectMenu()) {
        meta.command = `${id.command} (pick)`;
        const [entityId] = interaction.values;
        const reply =
          entityId === undefined
            ? undefined
            : await runner.pick(id.command, entityId, caller, id.options);
        if (reply) await render(reply, { kind: 'private', interaction });
        else await replyError(interaction, EXPIRED_TEXT);
        return;
      }
      if (id?.kind === 'confirm' && interaction.isButton()) {
        meta.command = 'confirmation';
        const reply = await runner.confirm(id.token, id.confirmed, caller);
        await render(reply, { kind: 'private', interaction });
        return;
      }
      if (id?.kind === 'button' && interaction.isButton()) {
        meta.command = `${id.command} (button)`;
        const reply = await runner.button(id.command, id.args, caller);
        if (reply) {
          await render(reply, { kind: 'panel', interaction });
          return;
        }
      }
      // A button or menu this version did not make (an old message): answered, not ignored.
      if (interaction.isRepliable()) await replyError(interaction, EXPIRED_TEXT);
    } catch (error) {
      log.error({ ...meta, err: error }, 'interaction failed');
      if (interaction.isRepliable()) {
        await replyError(interaction, FAILURE_TEXT).catch((replyFailure: unknown) =>
          log.warn({ ...meta, err: replyFailure }, 'could not tell the user about the failure'),
        );
      } else if (interaction.isAutocomplete() && !interaction.responded) {
        await interaction.respond([]).catch(() => undefined);
      }
    }
  };
}
