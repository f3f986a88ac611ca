/**
 * Discord JSON as the bot sent it (or as this fake sends it). Tests read it freely
 * (`reply.embeds[0].title`), so its members are deliberately untyped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface FakeGuild {
  id: string;
  name: string;
  /** Text channels (type 0). */
  channels: FakeChannel[];
  /** Extra roles; `@everyone` (id = guild id) is added when missing. */
  roles?: { id: string; name: string; permissions?: string }[];
  /** Role ids the bot's own member has; default none (only @everyone). */
  botRoles?: string[];
}

export interface FakeChannel {
  id: string;
  name: string;
  /** 0 a text channel (default), 15 a forum (only threads, each a post with a first message). */
  type?: 0 | 15;
  /** Channel permission overwrites, as Discord returns them; default none. */
  overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
}

export interface FakeDiscordOptions {
  /** The valid bot token; default 'fake-bot-token'. */
  token?: string;
  applicationId?: string;
  botUserId?: string;
  /** Default: one guild with one text channel. */
  guilds?: FakeGuild[];
  /** Time the bot has for the first interaction callback; default 3000 ms, like Discord. */
  interactionDeadlineMs?: number;
  /** How long an interaction token works for edits and follow-ups; default 15 min. */
  interactionTokenTtlMs?: number;
  /** HELLO heartbeat_interval; default 41250 ms, like Discord. */
  heartbeatIntervalMs?: number;
  /**
   * The token the gateway accepts; default `token`. Set it apart to make IDENTIFY fail with
   * 4004 after REST accepted the token (a token reset between the two).
   */
  gatewayToken?: string;
  /** Default 0: a free port. A fixed one lets a test start Discord after the bot. */
  port?: number;
}

export interface InteractionUser {
  id?: string;
  username?: string;
  /** Role ids (or names of roles in the guild). */
  roles?: string[];
  /** Member permissions bitfield; default: @everyone's plus those of `roles`. */
  permissions?: string;
}

export interface RecordedFile {
  key: string;
  name: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface RecordedReply {
  type: 'callback' | 'edit' | 'followup' | 'delete';
  body: Json;
  at: number;
  /** The HTTP status this fake answered; anything but 2xx was refused, like Discord would. */
  status: number;
  /** '@original' or the follow-up message id the request created or changed. */
  messageId?: string;
  files?: RecordedFile[];
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** When Discord created it (ms epoch): the 3 s deadline runs from here. */
  createdAt: number;
  /** Everything the bot sent for this interaction, in order (refused requests included). */
  replies: RecordedReply[];
  /** The first accepted interaction callback body `{type, data}`. */
  waitForCallback(timeoutMs?: number): Promise<Json>;
  /**
   * The first visible reply message: callback type 4 (or 7) data; after a defer (5 or 6) the
   * first accepted edit of @original or follow-up. A deferred reply's flags (ephemeral) are
   * merged into the body, since that is how the message ends up.
   */
  waitForReply(timeoutMs?: number): Promise<Json>;
  /** The choices of the first accepted type 8 callback. */
  waitForAutocomplete(timeoutMs?: number): Promise<{ name: string; value: string | number }[]>;
}

export interface CommandOptionValue {
  name: string;
  value: string | number | boolean;
  /** The option type sent; default: the registered option's, else inferred from `value`. */
  type?: number;
}

export interface InteractionTarget {
  guildId?: string;
  channelId?: string;
  user?: InteractionUser;
  /** From a DM with the bot instead of a guild channel. */
  dm?: boolean;
}

export interface SlashCommandParams extends InteractionTarget {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  options?: CommandOptionValue[];
}

export interface AutocompleteParams extends SlashCommandParams {
  /** Name of the focused option (its value is what the user has typed so far). */
  focused: string;
}

export interface ComponentParams extends InteractionTarget {
  customId: string;
  /** 2 button (default), 3 string select. */
  componentType?: number;
  values?: string[];
  /** The message carrying the component; default: the latest one the bot sent with it. */
  message?: Json;
}

export interface ModalSubmitParams extends InteractionTarget {
  /** The interaction the bot answered with the modal (callback type 9). */
  from: InteractionHandle;
  /** What the person typed, by text input custom id. */
  values: Record<string, string>;
}

export interface RecordedMessage {
  channelId: string;
  body: Json;
  id: string;
  at: number;
  files?: RecordedFile[];
  editedAt?: number;
  deletedAt?: number;
}

/** A thread the bot made (or a test added), as this fake keeps it. */
export interface FakeThread {
  id: string;
  guildId: string;
  parentId: string;
  name: string;
  /** 11 public, 12 private. */
  type: 11 | 12;
  ownerId: string;
  archived: boolean;
  /** Locked by a moderator: an archived locked thread cannot be posted in by the bot. */
  locked: boolean;
  autoArchiveDuration: number;
  createdAt: number;
  deletedAt?: number;
}

export interface RestFailure {
  status: number;
  /** How many requests fail; default: every one until `setRestFailure(null)`. */
  count?: number;
  /** Only requests whose path (e.g. '/channels/1/messages') contains this. */
  routeIncludes?: string;
  /** Seconds, for 429; default 1. */
  retryAfter?: number;
  /** For 429: a global rate limit. */
  global?: boolean;
  /** The error body's `message`; default Discord's words for the status. */
  message?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, decoded, without query: '/webhooks/1/abc/messages/@original'. */
  path: string;
  at: number;
  status: number;
  /** The JSON body (or multipart `payload_json`) as sent; absent when there was none. */
  body?: Json;
  /**
   * The `allowed_mentions` the body carried, at the top level (messages, webhooks) or under
   * `data` (interaction callbacks); absent when it carried none.
   */
  allowedMentions?: Json;
}

export interface SchemaError {
  route: string;
  issues: unknown;
  body: Json;
}
