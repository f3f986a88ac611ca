import type { HaEvent } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import type { ActionMessageStore } from '../storage/action-messages.js';
import { newAlertId } from './ids.js';
import { parseSendEvent } from './send-schema.js';
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
  /** Whether an entity has an `entity_picture` (checked for image_entity). */
  hasPicture: (entityId: string) => boolean;
  /** Into the durable outbox: nothing is lost while Discord is down. */
  enqueue: (channelId: string, entry: OutboxEntry<'message' | 'actionable'>) => void;
  /** Where the definitions of buttons and select menus are kept (absent: they are refused). */
  actions?: Pick<ActionMessageStore, 'add'>;
  log: Logger;
}

const KNOWN_KEYS =
  'message, title, color, channel_id, image_entity, buttons, select, on_press, expires';

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
  const channelId = request.channelId ?? opts.defaultChannelId;
  if (channelId === undefined) {
    ignore('no channel: give channel_id, or set DISCORD_ALERT_CHANNEL_ID for a default');
    return;
  }
  const refusal = await channelRefusal(channelId, opts);
  if (refusal !== undefined) {
    ignore(refusal, { channelId });
    return;
  }
  const message: HaMessage = {
    id: newAlertId(),
    text: request.message,
    title: request.title,
    color: request.color,
    imageEntity: request.imageEntity,
    at: event.timeFired,
    contextId: event.contextId,
  };
  if (request.actions === undefined) {
    opts.enqueue(channelId, { kind: 'message', payload: message });
  } else {
    if (opts.actions === undefined) {
      ignore('buttons and select menus are not available in this setup');
      return;
    }
    // The tag of the send (see `tag`), passed on to the press events when given.
    const data = event.data as Record<string, unknown>;
    const tag = typeof data.tag === 'string' && data.tag.length <= 100 ? data.tag : undefined;
    const stored = opts.actions.add(channelId, request.actions, tag);
    opts.enqueue(channelId, {
      kind: 'actionable',
      payload: { message, key: stored.key, actions: request.actions },
    });
  }
  log.info(
    {
      ...milestone('ha-send.queued'),
      ...where,
      channelId,
      imageEntity: request.imageEntity,
      actions: request.actions !== undefined,
    },
    'message from Home Assistant queued',
  );
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
