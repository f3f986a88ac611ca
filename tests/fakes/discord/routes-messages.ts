import { isEmptyMessage } from './discord-rules.js';
import {
  discordError,
  errors,
  noContent,
  ok,
  type RestRequest,
  type RestResponse,
  type Route,
} from './http.js';
import { channelMessage } from './messages.js';
import { dmChannelObject, Permission, snowflake, userObject } from './payloads.js';
import { botPermissionsIn } from './permissions.js';
import { reopenForPost } from './routes-threads.js';
import type { DiscordState } from './state.js';
import type { Json, RecordedMessage } from './types.js';

/** Discord: "checked for uniqueness in the past few minutes". */
const NONCE_WINDOW_MS = 5 * 60_000;

/** Channel messages (create with nonce, get, edit, delete) and opening DM channels. */
export function messageRoutes(state: DiscordState): Route[] {
  const path = '/channels/:channelId/messages';
  return [
    { method: 'POST', path, auth: true, handle: create },
    {
      method: 'GET',
      path: `${path}/:messageId`,
      auth: true,
      handle: (req) => withMessage(req, ok),
    },
    {
      method: 'PATCH',
      path: `${path}/:messageId`,
      auth: true,
      handle: (req) => withMessage(req, () => refused(req, false) ?? edit(req)),
    },
    {
      method: 'DELETE',
      path: `${path}/:messageId`,
      auth: true,
      handle: (req) =>
        withMessage(req, () => {
          find(req)!.deletedAt = Date.now();
          state.changes.notify();
          return noContent();
        }),
    },
    { method: 'POST', path: '/users/@me/channels', auth: true, handle: openDm },
  ];

  function find(req: RestRequest): RecordedMessage | undefined {
    const { channelId, messageId } = req.params;
    return state.messages.find(
      (m) => m.id === messageId && m.channelId === channelId && !m.deletedAt,
    );
  }

  function withMessage(req: RestRequest, fn: (message: Json) => RestResponse): RestResponse {
    if (!state.channel(req.params.channelId!)) return errors.unknownChannel();
    const message = find(req);
    return message ? fn(channelMessage(state, message)) : errors.unknownMessage();
  }

  /**
   * Discord's answer when the bot may not do this in a guild channel: 50001 without View
   * Channel, 50013 without Send Messages (for a new message) or Attach Files (for files).
   */
  function refused(req: RestRequest, creates: boolean): RestResponse | undefined {
    const perms = botPermissionsIn(state, req.params.channelId!);
    if (perms === undefined) return undefined;
    const lacks = (bit: bigint) => (perms & bit) === 0n;
    if (lacks(Permission.ViewChannel)) return errors.missingAccess();
    if (creates && lacks(Permission.SendMessages)) return errors.missingPermissions();
    if (req.files.length > 0 && lacks(Permission.AttachFiles)) return errors.missingPermissions();
    return undefined;
  }

  function create(req: RestRequest): RestResponse {
    const channelId = req.params.channelId!;
    const found = state.channel(channelId);
    if (!found) return errors.unknownChannel();
    // A forum holds posts (threads), no messages of its own.
    if (found.channel.type === 15) {
      return discordError(400, 50008, 'Cannot send messages in a non-text channel');
    }
    const denied = refused(req, true);
    if (denied) return denied;
    const route = 'POST /channels/:channelId/messages';
    const body = req.body ?? {};
    const invalid = state.rejectInvalid(route, 'messageCreate', body);
    if (invalid) return invalid;
    if (isEmptyMessage(body, req.files.length)) return state.rejectEmpty(route, body);
    const closed = reopenForPost(state, channelId);
    if (closed) return closed;
    const recipient = state.dmChannels.get(channelId)?.recipients?.[0]?.id as string | undefined;
    if (recipient !== undefined && state.closedDms.has(recipient)) {
      // Discord opens the DM channel, then refuses the message.
      return discordError(403, 50007, 'Cannot send messages to this user');
    }
    if (body.enforce_nonce === true && body.nonce !== undefined && body.nonce !== null) {
      const same = state.messages.find(
        (m) =>
          m.channelId === channelId &&
          String(m.body.nonce) === String(body.nonce) &&
          Date.now() - m.at < NONCE_WINDOW_MS,
      );
      if (same) return ok(channelMessage(state, same));
    }
    const message: RecordedMessage = { channelId, body, id: snowflake(), at: Date.now() };
    if (req.files.length) message.files = req.files;
    state.messages.push(message);
    state.changes.notify();
    return ok(channelMessage(state, message));
  }

  function edit(req: RestRequest): RestResponse {
    const invalid = state.rejectInvalid(
      'PATCH /channels/:channelId/messages/:messageId',
      'messageEdit',
      req.body,
    );
    if (invalid) return invalid;
    const message = find(req)!;
    message.body = { ...message.body, ...req.body };
    message.editedAt = Date.now();
    if (req.files.length) message.files = req.files;
    state.changes.notify();
    return ok(channelMessage(state, message));
  }

  function openDm(req: RestRequest): RestResponse {
    const invalid = state.rejectInvalid('POST /users/@me/channels', 'dmCreate', req.body);
    if (invalid) return invalid;
    const recipientId = String(req.body.recipient_id);
    const existing = [...state.dmChannels.values()].find((c) => c.recipients[0].id === recipientId);
    if (existing) return ok(existing);
    const recipient = state.users.get(recipientId) ?? userObject(recipientId, `user${recipientId}`);
    const channel = dmChannelObject(snowflake(), recipient);
    state.dmChannels.set(channel.id, channel);
    return ok(channel);
  }
}
