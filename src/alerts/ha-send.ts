import type { HaEvent } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import type { ActionMessageStore } from '../storage/action-messages.js';
import { destinationKey, type Destination } from '../actions/destination.js';
import { newAlertId } from './ids.js';
import { parseSendEvent } from './send-schema.js';
import type { SendTarget } from './send-posting.js';
import type { HaMessage, OutboxEntry } from './types.js';
import { milestone } from '../logging/milestones.js';

/** HA_SEND_CHANNELS: channel ids HA may post to besides the alert channel, or any channel. */
export type SendChannels = 'any' | readonly string[];

export interface HaSendOptions {
  eventType: string;
  /** Where a message without `channel_id` goes: DISCORD_ALERT_CHANNEL_ID. Always allowed. */
  defaultChannelId: string | undefined;
  channels: SendChannels;
  /** For `any`: whether the channel is in a server this bot serves. */
  inServedGuild: (channelId: string) => Promise<boolean>;
  /** HA_SEND_USERS: the users HA may send a direct message (`user_id`); none by default. */
  users?: readonly string[];
  /** A thread's channel (or forum), for `thread_id`; undefined when the bot cannot see it. */
  threadParent?: (threadId: string) => Promise<string | undefined>;
  /** Whether an entity has an `entity_picture` (checked for image_entity). */
  hasPicture: (entityId: string) => boolean;
  /** Into the durable outbox: nothing is lost while Discord is down. */
  enqueue: (channelId: string, entry: OutboxEntry<'message' | 'tagged' | 'actionable'>) => void;
  /** Where the definitions of buttons and select menus are kept (absent: they are refused). */
  actions?: Pick<ActionMessageStore, 'add'>;
  log: Logger;
}

const KNOWN_KEYS =
  'message, title, color, channel_id, image_entity, buttons, select, on_press, expires, user_id, thread_id, thread, tag, delete, url, thumbnail, footer, timestamp, author, fields, chart';

/**
 * Posts what HA automations send: each `discord_bridge_send` event is validated and queued
 * for Discord. The automation's author sees nothing of a refusal except the bot's log, so
 * every refusal is logged at warn with the reason and HA's context id (which HA's automation
 * traces show). Nothing is sent back to HA. Events are handled one at a time, in order.
 */
export function listenForSends(
  ha: { onEvent(eventType: string, listener: (event: HaEvent) => void): () => void },
  opts: HaSendOptions,
): () => void {
  let queue = Promise.resolve();
  return ha.onEvent(opts.eventType, (event) => {
    queue = queue
      .then(() => handle(event, opts))
      .catch((error: unknown) =>
        opts.log.error({ err: error, eventType: event.eventType }, 'could not queue a message'),
      );
  });
}

async function handle(event: HaEvent, opts: HaSendOptions): Promise<void> {
  const { log } = opts;
  const where = { eventType: event.eventType, contextId: event.contextId, userId: event.userId };
  const ignore = (reason: string, extra: Record<string, unknown> = {}) =>
    log.warn({ ...where, ...extra }, `${event.eventType} event ignored: ${reason}`);

  const parsed = parseSendEvent(event.data, { hasPicture: opts.hasPicture });
  if (!parsed.ok) {
    ignore(parsed.problems.join('; '), { problems: parsed.problems });
    return;
  }
  const { request, ignoredKeys } = parsed;
  if (ignoredKeys.length > 0) {
    log.warn(
      { ...where, keys: ignoredKeys },
      `${event.eventType} event: unknown keys ignored: ${ignoredKeys.join(', ')} (known: ${KNOWN_KEYS})`,
    );
  }
  const resolved = await destinationOf(request.posting.target, opts);
  if ('refused' in resolved) {
    ignore(resolved.refused, resolved.extra);
    return;
  }
  const destination = destinationKey(resolved.destination);
  const { tag, remove, embed } = request.posting;
  const payload: HaMessage = {
    id: newAlertId(),
    text: request.message,
    title: request.title,
    color: request.color,
    imageEntity: request.imageEntity,
    at: event.timeFired,
    contextId: event.contextId,
    ...(request.moreImages.length > 0 ? { moreImages: request.moreImages } : {}),
    ...(Object.keys(embed).length > 0 ? { embed } : {}),
    ...(remove ? { remove } : {}),
    ...(request.chart !== undefined ? { chart: request.chart } : {}),
  };
  if (request.actions !== undefined && !remove) {
    if (opts.actions === undefined) {
      ignore('buttons and select menus are not available in this setup');
      return;
    }
    // The tag goes into the press events too; with a tag, the buttons' new definition
    // replaces the tag's earlier one, and the tagged message is edited in place.
    const stored = opts.actions.add(destination, request.actions, tag);
    const message = { message: payload, key: stored.key, actions: request.actions };
    opts.enqueue(
      destination,
      tag === undefined
        ? { kind: 'actionable', payload: message }
        : { kind: 'actionable', payload: message, statusKey: `tag:${tag}` },
    );
  } else {
    opts.enqueue(
      destination,
      // A tag is one message kept up to date in place: the newest send for it wins.
      tag === undefined
        ? { kind: 'message', payload }
        : { kind: 'tagged', payload, statusKey: `tag:${tag}` },
    );
  }
  log.info(
    {
      ...milestone('ha-send.queued'),
      ...where,
      destination,
      tag,
      remove,
      imageEntity: request.imageEntity,
      actions: request.actions !== undefined,
    },
    remove ? 'removal of a tagged message queued' : 'message from Home Assistant queued',
  );
}

type Resolved = { destination: Destination } | { refused: string; extra: Record<string, unknown> };

/** Where the message goes, or why it may not go there. */
async function destinationOf(target: SendTarget, opts: HaSendOptions): Promise<Resolved> {
  if (target.kind === 'dm') {
    const users = opts.users ?? [];
    if (users.includes(target.userId))
      return { destination: { kind: 'dm', userId: target.userId } };
    // A DM is read by one person only, and Discord limits the bot's DMs to people it knows:
    // HA may message only the users the configuration names.
    return {
      refused: `user_id ${target.userId} is not allowed: Home Assistant may send direct messages only to the users in HA_SEND_USERS${
        users.length === 0 ? ' (none set)' : ''
      }. Add the user's id there to allow it`,
      extra: { userId: target.userId },
    };
  }
  if (target.kind === 'thread_id') {
    const parent = await opts.threadParent?.(target.threadId);
    if (parent === undefined) {
      return {
        refused: `thread_id ${target.threadId} is not a thread the bot can see (check the id: right-click the thread, Copy Thread ID)`,
        extra: { threadId: target.threadId },
      };
    }
    const refusal = await channelRefusal(parent, opts);
    if (refusal !== undefined) {
      return {
        refused: `thread_id ${target.threadId}: its ${refusal}`,
        extra: { threadId: target.threadId, parent },
      };
    }
    return { destination: { kind: 'channel', channelId: target.threadId } };
  }
  const channelId = target.channelId ?? opts.defaultChannelId;
  if (channelId === undefined) {
    return {
      refused: 'no channel: give channel_id, or set DISCORD_ALERT_CHANNEL_ID for a default',
      extra: {},
    };
  }
  const refusal = await channelRefusal(channelId, opts);
  if (refusal !== undefined) return { refused: refusal, extra: { channelId } };
  return {
    destination:
      target.kind === 'thread'
        ? { kind: 'thread', parentId: channelId, name: target.name }
        : { kind: 'channel', channelId },
  };
}

async function channelRefusal(channelId: string, opts: HaSendOptions): Promise<string | undefined> {
  if (channelId === opts.defaultChannelId) return undefined;
  if (opts.channels === 'any') {
    if (await opts.inServedGuild(channelId)) return undefined;
    return `channel_id ${channelId} is not a channel the bot can see in the server it serves`;
  }
  if (opts.channels.includes(channelId)) return undefined;
  return `channel_id ${channelId} is not allowed: Home Assistant may post to the alert channel${
    opts.channels.length > 0 ? ' and the channels in HA_SEND_CHANNELS' : ''
  } only. Add it to HA_SEND_CHANNELS (or set HA_SEND_CHANNELS=any for any channel of the server)`;
}
