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
import { Permission, snowflake, threadObject } from './payloads.js';
import { botPermissionsIn } from './permissions.js';
import type { DiscordState } from './state.js';
import type { FakeThread, RecordedMessage } from './types.js';

/** Discord's 50083: "Operation cannot be performed on an archived thread." */
export const archivedThread = () =>
  discordError(400, 50083, 'Operation cannot be performed on an archived thread.');

/**
 * Threads as Discord models them: a thread in a text channel (without a message, or from one),
 * a forum post (a thread and its first message in one request, the message's id the
 * thread's), and deleting a channel. Posting in an archived thread unarchives it unless a
 * moderator locked it (routes-messages asks `reopenForPost`).
 */
export function threadRoutes(state: DiscordState): Route[] {
  return [
    { method: 'POST', path: '/channels/:channelId/threads', auth: true, handle: create },
    {
      method: 'POST',
      path: '/channels/:channelId/messages/:messageId/threads',
      auth: true,
      handle: fromMessage,
    },
    { method: 'DELETE', path: '/channels/:channelId', auth: true, handle: remove },
  ];

  function parentOf(req: RestRequest) {
    const id = req.params.channelId!;
    for (const guild of state.guilds) {
      const channel = guild.channels.find((c) => c.id === id);
      if (channel) return { guildId: guild.id, channel };
    }
    return undefined;
  }

  function refused(parentId: string, forum: boolean): RestResponse | undefined {
    const perms = botPermissionsIn(state, parentId) ?? 0n;
    if ((perms & Permission.ViewChannel) === 0n) return errors.missingAccess();
    // A forum post is sent as a message; a thread needs Create Public Threads.
    const needs = forum ? Permission.SendMessages : Permission.CreatePublicThreads;
    return (perms & needs) === 0n ? errors.missingPermissions() : undefined;
  }

  function newThread(
    guildId: string,
    parentId: string,
    name: string,
    type: 11 | 12,
    id = snowflake(),
    duration = 4320,
  ) {
    const thread: FakeThread = {
      id,
      guildId,
      parentId,
      name,
      type,
      ownerId: state.botUserId,
      archived: false,
      locked: false,
      autoArchiveDuration: duration,
      createdAt: Date.now(),
    };
    state.threads.set(id, thread);
    return thread;
  }

  function create(req: RestRequest): RestResponse {
    const parent = parentOf(req);
    if (!parent)
      return state.thread(req.params.channelId!) ? errors.notFound() : errors.unknownChannel();
    const body = req.body ?? {};
    const forum = parent.channel.type === 15;
    const route = 'POST /channels/:channelId/threads';
    const invalid = state.rejectInvalid(route, forum ? 'forumThreadCreate' : 'threadCreate', body);
    if (invalid) return invalid;
    const denied = refused(parent.channel.id, forum);
    if (denied) return denied;
    const duration = (body.auto_archive_duration as number | undefined) ?? 4320;
    if (!forum) {
      // Discord's default, kept from when threads were first published: a private thread.
      const type = ((body.type as number | undefined) ?? 12) as 11 | 12;
      const thread = newThread(
        parent.guildId,
        parent.channel.id,
        String(body.name),
        type,
        snowflake(),
        duration,
      );
      state.changes.notify();
      return ok(threadObject(thread, 0));
    }
    const message = body.message as Record<string, unknown>;
    if (isEmptyMessage(message, req.files.length)) return state.rejectEmpty(route, body);
    const thread = newThread(
      parent.guildId,
      parent.channel.id,
      String(body.name),
      11,
      snowflake(),
      duration,
    );
    // A forum post's first message has the thread's id.
    const first: RecordedMessage = {
      channelId: thread.id,
      body: message,
      id: thread.id,
      at: Date.now(),
    };
    if (req.files.length) first.files = req.files;
    state.messages.push(first);
    state.changes.notify();
    return ok({ ...threadObject(thread, 1), message: channelMessage(state, first) });
  }

  function fromMessage(req: RestRequest): RestResponse {
    const parent = parentOf(req);
    if (!parent) return errors.unknownChannel();
    const { messageId } = req.params;
    const message = state.messages.find(
      (m) => m.id === messageId && m.channelId === parent.channel.id && !m.deletedAt,
    );
    if (!message) return errors.unknownMessage();
    const invalid = state.rejectInvalid(
      'POST /channels/:channelId/messages/:messageId/threads',
      'threadFromMessage',
      req.body ?? {},
    );
    if (invalid) return invalid;
    const denied = refused(parent.channel.id, false);
    if (denied) return denied;
    if (state.threads.has(message.id)) {
      return discordError(400, 160004, 'A thread has already been created for this message');
    }
    // A thread started from a message has the message's id.
    const thread = newThread(
      parent.guildId,
      parent.channel.id,
      String(req.body.name),
      11,
      message.id,
    );
    state.changes.notify();
    return ok(threadObject(thread, 0));
  }

  function remove(req: RestRequest): RestResponse {
    const thread = state.thread(req.params.channelId!);
    // Only threads can be deleted here; the fake's own channels stay.
    if (!thread)
      return state.channel(req.params.channelId!)
        ? errors.missingPermissions()
        : errors.unknownChannel();
    thread.deletedAt = Date.now();
    state.changes.notify();
    return noContent();
  }
}

/**
 * Before a message is posted in a thread: an archived thread is unarchived by the post, unless
 * it is locked (then Discord refuses with 50083). Undefined when the post may go ahead.
 */
export function reopenForPost(state: DiscordState, channelId: string): RestResponse | undefined {
  const thread = state.thread(channelId);
  if (!thread || !thread.archived) return undefined;
  if (thread.locked) return archivedThread();
  thread.archived = false;
  return undefined;
}
