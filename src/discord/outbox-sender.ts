import { Routes, type APIMessage, type Client } from 'discord.js';
import type { DeliveryPort } from '../alerts/outbox-pump.js';
import type { GatewayStatus } from './gateway-status.js';
import {
  createRenderers,
  render,
  type MessageFile,
  type RenderDeps,
  type RenderedMessage,
} from './renderers.js';

/** Discord's "Missing Permissions": without Attach Files it refuses a message with files. */
const MISSING_PERMISSIONS = 50013;

/**
 * DeliveryPort over discord.js REST: each message is composed once by its kind's renderer
 * (src/discord/renderers.ts), then posted with its nonce or edited in place. Ready while
 * the gateway is up.
 */
export function createOutboxSender(
  client: Client,
  gateway: GatewayStatus,
  deps: RenderDeps,
): DeliveryPort<RenderedMessage> {
  const renderers = createRenderers(deps);
  const send = async (
    channelId: string,
    body: Record<string, unknown>,
    nonce: string,
    files: MessageFile[] | undefined,
  ): Promise<string> => {
    const message = (await client.rest.post(Routes.channelMessages(channelId), {
      body: { ...body, nonce, enforce_nonce: true },
      ...(files !== undefined && files.length > 0 ? { files } : {}),
    })) as APIMessage;
    return message.id;
  };
  return {
    isReady: () => gateway.up,
    compose: (rows) => render(renderers, rows),
    async post(channelId, message, nonce) {
      const request = await message.request();
      try {
        return await send(channelId, request.body, nonce, request.files);
      } catch (error) {
        // Without Attach Files Discord refuses the whole message (50013): send it without the
        // files rather than holding up the channel. (Without Send Messages this fails too.)
        const without = request.withoutFiles;
        if (without === undefined || (error as { code?: unknown }).code !== MISSING_PERMISSIONS)
          throw error;
        deps.log.warn(
          { channelId, ...without.log },
          'the bot lacks Attach Files in the channel: posting the message without its picture. Allow Attach Files for the bot there (npm run doctor checks it)',
        );
        return send(channelId, without.body, nonce, undefined);
      }
    },
    async edit(channelId, messageId, message) {
      const request = await message.request();
      try {
        await client.rest.patch(Routes.channelMessage(channelId, messageId), {
          body: request.body,
        });
        return true;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    },
  };
}
