import {
  AttachmentBuilder,
  EmbedBuilder,
  type InteractionEditReplyOptions,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { code, LIMITS, plain, safe } from '../discord/format.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { resolveTarget } from '../entities/resolver.js';
import { toHaError } from '../ha/errors.js';
import { imageErrorText, imageFileName } from '../ha/http.js';
import { respondWithEntities } from './entity-option.js';
import { ambiguityReply, nothingLoadedText, replyError, resolutionProblem } from './replies.js';
import { slashResponder } from './responder.js';
import type { CommandContext, Subcommand } from './types.js';

const isCamera = (entry: CatalogEntry) => entry.domain === 'camera';

type Snapshot = { ok: true; reply: InteractionEditReplyOptions } | { ok: false; text: string };

/** Fetches a snapshot from HA's camera proxy and makes it a message: an embed with the image. */
async function snapshot(entry: CatalogEntry, ctx: CommandContext): Promise<Snapshot> {
  try {
    const image = await ctx.images.cameraImage(entry.entityId);
    const name = imageFileName(entry.entityId, image.contentType);
    const embed = new EmbedBuilder()
      .setTitle(safe(entry.name, LIMITS.title))
      .setImage(`attachment://${name}`)
      .setColor(0x3498db)
      .setFooter({ text: plain(entry.entityId, LIMITS.footer) })
      .setTimestamp(new Date());
    return {
      ok: true,
      reply: {
        embeds: [embed.toJSON()],
        files: [new AttachmentBuilder(image.data, { name, description: entry.name })],
      },
    };
  } catch (raw) {
    const error = toHaError(raw);
    ctx.log.warn(
      { entityId: entry.entityId, code: error.code, err: error.message },
      'could not get a camera snapshot from Home Assistant',
    );
    return { ok: false, text: imageErrorText(error, entry.entityId, ctx.images.timeoutMs) };
  }
}

export const cameraCommand: Subcommand = {
  name: 'camera',
  build: (sub) =>
    sub
      .setName('camera')
      .setDescription('Post a snapshot from a camera')
      .addStringOption((o) =>
        o
          .setName('entity')
          .setDescription('Camera entity id or name, e.g. camera.front_door')
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      ),

  async execute(interaction, ctx) {
    const typed = interaction.options.getString('entity', true);
    const down = nothingLoadedText(ctx);
    if (down) return replyError(interaction, down);
    const r = resolveTarget(ctx.catalog, typed, { accept: isCamera });
    let entry: CatalogEntry;
    if (r.kind === 'entity') entry = r.entry;
    else if (r.kind === 'group' && r.entries.length === 1) entry = r.entries[0]!;
    else if (r.kind === 'group' || r.kind === 'ambiguous') {
      const visible = (r.kind === 'group' ? r.entries : r.candidates).filter(
        ctx.access.filter(interaction, 'read'),
      );
      if (visible.length === 0)
        return replyError(
          interaction,
          `You may not see any camera matching '${safe(typed, 100)}'.`,
        );
      await interaction.reply(ambiguityReply(typed, visible, 'camera'));
      return;
    } else if (r.kind === 'unsupported') {
      return replyError(
        interaction,
        `${safe(r.entry.name, 100)} (\`${r.entry.entityId}\`) is a ${r.entry.domain}, not a camera. Pick a camera from the suggestions.`,
      );
    } else {
      return replyError(interaction, resolutionProblem(typed, r, 'shown') ?? 'No camera found.');
    }
    const decision = ctx.access.check(interaction, 'read', entry);
    if (!decision.allowed) return replyError(interaction, decision.reason);
    // A camera can take seconds: reply at once when it is quick, defer when it is not.
    const responder = slashResponder(interaction);
    await responder.begin();
    const result = await snapshot(entry, ctx);
    if (result.ok) await responder.success(result.reply);
    else await responder.failure(result.text);
  },

  autocomplete: (interaction, ctx) =>
    respondWithEntities(interaction, ctx, 'read', isCamera, false),

  async pick(interaction: StringSelectMenuInteraction, entityId, ctx) {
    const entry = ctx.catalog.get(entityId);
    if (entry === undefined || !isCamera(entry)) {
      await interaction.update({
        content: `${code(entityId, 100)} is no longer a camera in Home Assistant.`,
        components: [],
      });
      return;
    }
    const decision = ctx.access.check(interaction, 'read', entry);
    if (!decision.allowed) {
      await interaction.update({ content: decision.reason, components: [] });
      return;
    }
    await interaction.update({
      content: `Getting a snapshot from \`${entityId}\`…`,
      components: [],
    });
    const result = await snapshot(entry, ctx);
    if (!result.ok) {
      await interaction.editReply({ content: result.text });
      return;
    }
    await interaction.editReply({ content: `Snapshot from \`${entityId}\` posted.` });
    await interaction.followUp({ embeds: result.reply.embeds, files: result.reply.files });
  },
};
