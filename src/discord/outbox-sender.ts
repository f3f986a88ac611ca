import { ChannelType, RequestMethod, Routes, type APIMessage, type Client } from 'discord.js';
import { parseDestination } from '../actions/destination.js';
import type { DeliveryPort } from '../alerts/outbox-pump.js';
import type { SendThreads } from '../storage/send-threads.js';
import type { GatewayStatus } from './gateway-status.js';
import {
  createRenderers,
  render,
  type MessageFile,
  type MessageRequest,
  type RenderDeps,
  type RenderedMessage,
} from './renderers.js';
import { upload } from './upload.js';

/** Discord's "Missing Permissions": without Attach Files it refuses a message with files. */
const MISSING_PERMISSIONS = 50013;
/** Discord's "Unknown Channel": a thread made by name was deleted since. */
const UNKNOWN_CHANNEL = 10003;
/** A week: a thread made for HA's messages stays in the channel's list that long when quiet. */
const AUTO_ARCHIVE_MINUTES = 10080;

export interface OutboxSenderDeps extends RenderDeps {
  /** Threads made by name (`thread: "Front door"`), kept across restarts. */
  threads: SendThreads;
}

type Send = (body: Record<string, unknown>, files: MessageFile[] | undefined) => Promise<string>;

/**
 * DeliveryPort over discord.js REST: each message is composed once by its kind's renderer
 * (src/discord/renderers.ts), then posted with its nonce, edited in place or removed. Ready
 * while the gateway is up. A destination (src/actions/destination.ts) is a channel or thread
 * id, a user's DM (opened when sent) or a thread by name (made once).
 */
export function createOutboxSender(
  client: Client,
  gateway: GatewayStatus,
  deps: OutboxSenderDeps,
): DeliveryPort<RenderedMessage> {
  const renderers = createRenderers(deps);
  const dms = new Map<string, string>();

  /** A message request: with files, as one multipart Buffer (src/discord/upload.ts). */
  const send = (
    method: RequestMethod.Post | RequestMethod.Patch,
    route: `/${string}`,
    body: Record<string, unknown>,
    files: MessageFile[] | undefined,
  ): Promise<unknown> =>
    files !== undefined && files.length > 0
      ? upload(client.rest, { method, route, json: body, files })
      : method === RequestMethod.Post
        ? client.rest.post(route, { body })
        : client.rest.patch(route, { body });

  const postIn = (channelId: string, nonce: string): Send => {
    return async (body, files) => {
      const message = (await send(
        RequestMethod.Post,
        Routes.channelMessages(channelId),
        { ...body, nonce, enforce_nonce: true },
        files,
      )) as APIMessage;
      return message.id;
    };
  };

  /** Sends the request; without Attach Files, sends it again without its files. */
  const withFallback = async (
    channelId: string,
    request: MessageRequest,
    send: Send,
  ): Promise<string> => {
    try {
      return await send(request.body, request.files);
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
      return send(without.body, undefined);
    }
  };

  const dmChannel = async (userId: string): Promise<string> => {
    const known = dms.get(userId);
    if (known !== undefined) return known;
    const channel = (await client.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as { id: string };
    dms.set(userId, channel.id);
    return channel.id;
  };

  /** The channel an edit or delete goes to; undefined for a thread by name no longer known. */
  const existingChannel = async (key: string): Promise<string | undefined> => {
    const d = parseDestination(key);
    if (d.kind === 'channel') return d.channelId;
    if (d.kind === 'dm') return dmChannel(d.userId);
    return deps.threads.get(d.parentId, d.name);
  };

  /** Makes the thread named in `key` (a forum post carries the message) and posts in it. */
  const postInNewThread = async (
    parentId: string,
    name: string,
    request: MessageRequest,
    nonce: string,
  ): Promise<string> => {
    const parent = await client.channels.fetch(parentId);
    const forum =
      parent?.type === ChannelType.GuildForum || parent?.type === ChannelType.GuildMedia;
    if (forum) {
      // A forum post is a thread with its first message: made together, in one request.
      const created = await withFallback(parentId, request, async (body, files) => {
        const { allowed_mentions, ...message } = body;
        const thread = (await send(
          RequestMethod.Post,
          Routes.threads(parentId),
          {
            name,
            auto_archive_duration: AUTO_ARCHIVE_MINUTES,
            message: { ...message, allowed_mentions },
          },
          files,
        )) as { id: string; message?: { id: string } };
        deps.threads.set(parentId, name, thread.id);
        // The first message of a forum post has the thread's id.
        return thread.message?.id ?? thread.id;
      });
      deps.log.info({ parentId, name }, 'forum post made for messages from Home Assistant');
      return created;
    }
    const thread = (await client.rest.post(Routes.threads(parentId), {
      body: { name, type: ChannelType.PublicThread, auto_archive_duration: AUTO_ARCHIVE_MINUTES },
    })) as { id: string };
    deps.threads.set(parentId, name, thread.id);
    deps.log.info(
      { parentId, name, threadId: thread.id },
      'thread made for messages from Home Assistant',
    );
    return withFallback(thread.id, request, postIn(thread.id, nonce));
  };

  return {
    isReady: () => gateway.up,
    compose: (rows) => render(renderers, rows),
    async post(key, message, nonce) {
      const request = await message.request();
      const d = parseDestination(key);
      if (d.kind === 'channel') return withFallback(key, request, postIn(key, nonce));
      if (d.kind === 'dm') {
        const channelId = await dmChannel(d.userId);
        return withFallback(channelId, request, postIn(channelId, nonce));
      }
      const known = deps.threads.get(d.parentId, d.name);
      if (known !== undefined) {
        try {
          // Posting in an archived thread brings it back (unless a moderator locked it).
          return await withFallback(known, request, postIn(known, nonce));
        } catch (error) {
          if ((error as { code?: unknown }).code !== UNKNOWN_CHANNEL) throw error;
          deps.log.info(
            { parentId: d.parentId, name: d.name, threadId: known },
            'the thread for these messages was deleted in Discord: making it again',
          );
          deps.threads.forget(d.parentId, d.name);
        }
      }
      return postInNewThread(d.parentId, d.name, request, nonce);
    },
    async edit(key, messageId, message) {
      const channelId = await existingChannel(key);
      if (channelId === undefined) return false;
      const request = await message.request();
      const files = request.files ?? [];
      try {
        await send(
          RequestMethod.Patch,
          Routes.channelMessage(channelId, messageId),
          // New pictures replace the old ones: `attachments` lists the ones the message keeps.
          files.length > 0
            ? {
                ...request.body,
                attachments: files.map((f, i) => ({ id: String(i), filename: f.name })),
              }
            : request.body,
          files,
        );
        return true;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    },
    async remove(key, messageId) {
      const channelId = await existingChannel(key);
      if (channelId === undefined) return;
      try {
        await client.rest.delete(Routes.channelMessage(channelId, messageId));
      } catch (error) {
        // Deleted already (by a moderator, or a resend after a crash): what was asked.
        if ((error as { status?: number }).status !== 404) throw error;
      }
    },
  };
}
