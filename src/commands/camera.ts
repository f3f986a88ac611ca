import { code, LIMITS, plain, safe } from '../discord/format.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { toHaError } from '../ha/errors.js';
import { imageErrorText, imageFileName } from '../ha/http.js';
import { entityChoices } from './entity-option.js';
import { refuse, type Reply } from './reply.js';
import type { CommandContext, CommandSpec } from './types.js';

const isCamera = (entry: CatalogEntry) => entry.domain === 'camera';

/** Fetches a snapshot from HA's camera proxy and makes it a message: an embed with the image. */
async function snapshot(entry: CatalogEntry, ctx: CommandContext): Promise<Reply> {
  try {
    const image = await ctx.images.cameraImage(entry.entityId);
    const name = imageFileName(entry.entityId, image.contentType);
    return {
      kind: 'show',
      message: {
        embeds: [
          {
            title: safe(entry.name, LIMITS.title),
            image: { url: `attachment://${name}` },
            color: 0x3498db,
            footer: { text: plain(entry.entityId, LIMITS.footer) },
            timestamp: new Date().toISOString(),
          },
        ],
        files: [{ name, data: image.data, description: entry.name }],
      },
    };
  } catch (raw) {
    const error = toHaError(raw);
    ctx.log.warn(
      { entityId: entry.entityId, code: error.code, err: error.message },
      'could not get a camera snapshot from Home Assistant',
    );
    return refuse(imageErrorText(error, entry.entityId, ctx.images.timeoutMs));
  }
}

export const cameraCommand: CommandSpec = {
  name: 'camera',
  description: 'Post a snapshot from a camera',
  options: [
    {
      type: 'string',
      name: 'entity',
      description: 'Camera entity id or name, e.g. camera.front_door',
      required: true,
      maxLength: 200,
      autocomplete: true,
    },
  ],
  needs: 'entities',
  target: {
    option: 'entity',
    action: 'read',
    accept: isCamera,
    verb: () => 'shown',
    groups: 'choose',
    menu: true,
    nothing: 'No camera found.',
    invisible: (typed) => `You may not see any camera matching '${safe(typed, 100)}'.`,
    problem: (_, r) =>
      r.kind === 'unsupported'
        ? `${safe(r.entry.name, 100)} (\`${r.entry.entityId}\`) is a ${r.entry.domain}, not a camera. Pick a camera from the suggestions.`
        : undefined,
    gone: (entityId) => `${code(entityId, 100)} is no longer a camera in Home Assistant.`,
  },

  // A camera can take seconds: reply at once when it is quick, defer when it is not.
  plan(_, targets, __, ctx): Reply {
    if (targets.kind !== 'entity') return refuse('No camera found.');
    const { entry } = targets;
    return {
      kind: 'slow',
      working: `Getting a snapshot from \`${entry.entityId}\`…`,
      done: `Snapshot from \`${entry.entityId}\` posted.`,
      run: () => snapshot(entry, ctx),
    };
  },

  autocomplete: (input, ctx) => entityChoices(input, ctx, 'read', isCamera, false),
};
