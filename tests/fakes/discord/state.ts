import { Changes } from './changes.js';
import { errors, type RestResponse } from './http.js';
import type { InteractionRecord } from './interaction.js';
import { channelObject, normalizeGuild, snowflake, threadObject, userObject } from './payloads.js';
import { invalidFormBody, validateBody, type BodyKind } from './schemas.js';
import type {
  FakeDiscordOptions,
  FakeGuild,
  FakeThread,
  Json,
  RecordedMessage,
  RecordedRequest,
  RestFailure,
  SchemaError,
} from './types.js';

const FIFTEEN_MINUTES = 15 * 60_000;

/** Everything the fake knows and has recorded; shared by the REST routes and the gateway. */
export class DiscordState {
  readonly token: string;
  /** What IDENTIFY and RESUME must carry; `token` unless a test sets it apart. */
  readonly gatewayToken: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly botUser: Json;
  /** The guild owner: someone other than the default test user, who is a plain member. */
  readonly ownerId = snowflake();
  readonly guilds: Required<FakeGuild>[];
  readonly deadlineMs: number;
  readonly tokenTtlMs: number;
  readonly heartbeatIntervalMs: number;
  readonly joinedAt = new Date().toISOString();

  readonly changes = new Changes();
  readonly messages: RecordedMessage[] = [];
  readonly commands = { global: [] as Json[], guild: new Map<string, Json[]>() };
  commandRegistrations = 0;
  readonly schemaErrors: SchemaError[] = [];
  readonly lateCallbacks: string[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  /** DM channels by id, opened by interactions from DMs or POST /users/@me/channels. */
  readonly dmChannels = new Map<string, Json>();
  /** Threads and forum posts by id (deleted ones kept, marked). */
  readonly threads = new Map<string, FakeThread>();
  /** Users who do not accept DMs from the bot (no shared server, or DMs from members off). */
  readonly closedDms = new Set<string>();
  /** Users and guild members seen in interactions, for GET /users/:id and members. */
  readonly users = new Map<string, Json>();
  readonly members = new Map<string, Json>();
  restFailure: { failure: RestFailure; remaining: number } | null = null;

  constructor(opts: FakeDiscordOptions) {
    this.token = opts.token ?? 'fake-bot-token';
    this.gatewayToken = opts.gatewayToken ?? this.token;
    this.applicationId = opts.applicationId ?? snowflake();
    this.botUserId = opts.botUserId ?? this.applicationId;
    this.botUser = userObject(this.botUserId, 'HA Bridge', true);
    this.guilds = (
      opts.guilds ?? [
        { id: snowflake(), name: 'Fake Guild', channels: [{ id: snowflake(), name: 'general' }] },
      ]
    ).map(normalizeGuild);
    this.deadlineMs = opts.interactionDeadlineMs ?? 3000;
    this.tokenTtlMs = opts.interactionTokenTtlMs ?? FIFTEEN_MINUTES;
    this.heartbeatIntervalMs = opts.heartbeatIntervalMs ?? 41_250;
  }

  guild(id: string): Required<FakeGuild> | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  /** A guild text channel or an open DM channel, as Discord returns it. */
  channel(id: string): { channel: Json; guildId?: string } | undefined {
    for (const guild of this.guilds) {
      const i = guild.channels.findIndex((c) => c.id === id);
      if (i >= 0)
        return { channel: channelObject(guild.id, guild.channels[i]!, i), guildId: guild.id };
    }
    const thread = this.thread(id);
    if (thread) {
      const count = this.messages.filter((m) => m.channelId === id && !m.deletedAt).length;
      return { channel: threadObject(thread, count), guildId: thread.guildId };
    }
    const dm = this.dmChannels.get(id);
    return dm ? { channel: dm } : undefined;
  }

  /** A thread that was not deleted. */
  thread(id: string): FakeThread | undefined {
    const thread = this.threads.get(id);
    return thread && !thread.deletedAt ? thread : undefined;
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    for (const record of this.interactions.values()) if (record.token === token) return record;
    return undefined;
  }

  /** Checks `body`; when invalid records it and returns Discord's 400 answer. */
  rejectInvalid(route: string, kind: BodyKind, body: Json): RestResponse | undefined {
    const issues = validateBody(kind, body);
    if (issues.length === 0) return undefined;
    this.recordSchemaError(route, issues, body);
    return { status: 400, body: invalidFormBody(issues) };
  }

  rejectEmpty(route: string, body: Json): RestResponse {
    this.recordSchemaError(route, [{ path: [], code: 'EMPTY_MESSAGE', message: 'empty' }], body);
    return errors.emptyMessage();
  }

  recordSchemaError(route: string, issues: unknown, body: Json): void {
    this.schemaErrors.push({ route, issues, body });
    this.changes.notify();
  }

  /** The configured REST outage, if it applies to `path`; counts it down. */
  takeRestFailure(path: string): RestFailure | undefined {
    const active = this.restFailure;
    if (!active) return undefined;
    if (active.failure.routeIncludes && !path.includes(active.failure.routeIncludes)) {
      return undefined;
    }
    active.remaining -= 1;
    if (active.remaining <= 0) this.restFailure = null;
    return active.failure;
  }
}
