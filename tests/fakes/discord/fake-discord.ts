import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { InteractionRecord } from './interaction.js';
import {
  commandData,
  interactionPayload,
  resolveTarget,
  type ResolvedTarget,
} from './interaction-payloads.js';
import { findComponentMessage } from './messages.js';
import { findComponent, modalSubmitData } from './modals.js';
import { interactionToken, messageObject, snowflake } from './payloads.js';
import { createRestHandler } from './rest.js';
import { commandRoutes } from './routes-commands.js';
import { interactionRoutes } from './routes-interactions.js';
import { messageRoutes } from './routes-messages.js';
import { resourceRoutes } from './routes-resources.js';
import { threadRoutes } from './routes-threads.js';
import { DiscordState } from './state.js';
import type {
  AutocompleteParams,
  ComponentParams,
  FakeChannel,
  FakeDiscordOptions,
  FakeGuild,
  FakeThread,
  InteractionHandle,
  InteractionTarget,
  Json,
  ModalSubmitParams,
  RecordedMessage,
  RecordedRequest,
  RestFailure,
  SchemaError,
  SlashCommandParams,
} from './types.js';

export { DEFAULT_USER } from './interaction-payloads.js';
export type * from './types.js';

const DEFAULT_WAIT_MS = 5000;

/**
 * A local Discord for the real discord.js client: REST v10 under `apiUrl` and the gateway it
 * points to. Request bodies are checked against Discord's published schemas, interactions
 * against Discord's deadlines; tests inject interactions and read what the bot sent.
 *
 *   const discord = new FakeDiscord({ token, guilds });
 *   await discord.start(); // bot: new Client({ intents, rest: { api: discord.apiUrl } })
 *   const reply = await (await discord.sendSlashCommand({ name: 'ha', subcommand: 'state' }))
 *     .waitForReply();
 *   expect(discord.schemaErrors).toEqual([]);
 */
export class FakeDiscord {
  private readonly state: DiscordState;
  private readonly gateway: FakeGateway;
  private readonly server = createServer();
  private port: number;

  constructor(opts: FakeDiscordOptions = {}) {
    this.port = opts.port ?? 0;
    const state = (this.state = new DiscordState(opts));
    this.gateway = new FakeGateway(state, () => this.gatewayUrl);
    const routes = [
      ...resourceRoutes(state, () => this.gatewayUrl),
      ...commandRoutes(state),
      ...messageRoutes(state),
      ...threadRoutes(state),
      ...interactionRoutes(state),
    ];
    this.server.on('request', createRestHandler(state, routes));
    this.gateway.attach(this.server);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.state.changes.cancelAll('Fake Discord stopped');
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** What the bot passes as `rest.api`: 'http://127.0.0.1:PORT/api'. */
  get apiUrl(): string {
    if (!this.port) throw new Error('Fake Discord: call start() first');
    return `http://127.0.0.1:${this.port}/api`;
  }

  private get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  get token(): string {
    return this.state.token;
  }
  get applicationId(): string {
    return this.state.applicationId;
  }
  get botUserId(): string {
    return this.state.botUserId;
  }
  get guilds(): FakeGuild[] {
    return this.state.guilds;
  }
  /** POST /channels/:id/messages, in order; edits and deletes update the entries. */
  get messages(): RecordedMessage[] {
    return this.state.messages;
  }
  get commands(): { global: Json[]; guild: Map<string, Json[]> } {
    return this.state.commands;
  }
  get schemaErrors(): SchemaError[] {
    return this.state.schemaErrors;
  }
  get lateCallbacks(): string[] {
    return this.state.lateCallbacks;
  }
  /** Every REST request with its answer, body and `allowed_mentions`, in order. */
  get requests(): RecordedRequest[] {
    return this.state.requests;
  }
  /**
   * Interactions past Discord's deadline without an accepted callback: what a user sees as
   * "The application did not respond". (Late callbacks are in `lateCallbacks` as well.)
   */
  get unanswered(): string[] {
    const now = Date.now();
    return [...this.state.interactions.values()]
      .filter((r) => r.acknowledgement === null && now - r.createdAt > this.state.deadlineMs)
      .map((r) => r.id);
  }
  get identifies(): number {
    return this.gateway.identifies;
  }
  get resumes(): number {
    return this.gateway.resumes;
  }
  get connected(): boolean {
    return this.gateway.connected;
  }

  sendSlashCommand(p: SlashCommandParams): Promise<InteractionHandle> {
    return this.interact(2, p, (t) => commandData(this.state, p, t.guildId));
  }

  sendAutocomplete(p: AutocompleteParams): Promise<InteractionHandle> {
    return this.interact(4, p, (t) => commandData(this.state, p, t.guildId, p.focused));
  }

  sendComponent(p: ComponentParams): Promise<InteractionHandle> {
    const data = {
      custom_id: p.customId,
      component_type: p.componentType ?? 2,
      ...(p.values ? { values: p.values } : {}),
    };
    return this.interact(
      3,
      p,
      () => data,
      (t) => {
        const message = this.componentMessage(p, t);
        // The Discord client greys out a disabled component: nobody can press it.
        if (findComponent(message.components, p.customId)?.disabled === true)
          throw new Error(
            `Fake Discord: component ${p.customId} is disabled; it cannot be pressed`,
          );
        return message;
      },
    );
  }

  /**
   * Submits the modal the bot opened in answer to `p.from` (callback type 9), with `values`
   * by text input custom id, as Discord does: an interaction of type 5 carrying the modal's
   * components and, for a modal opened from a message's component, that message.
   */
  sendModalSubmit(p: ModalSubmitParams): Promise<InteractionHandle> {
    const opener = this.state.interactions.get(p.from.id);
    const ack = opener?.acknowledgement;
    if (!opener || ack?.type !== 9) {
      throw new Error('Fake Discord: that interaction was not answered with a modal');
    }
    const data = modalSubmitData(ack.data as Json, p.values);
    return this.interact(
      5,
      p,
      () => data,
      () => opener.componentMessage,
    );
  }

  /** Resolves with the first (past or future) channel message matching `predicate`. */
  waitForMessage(
    predicate: (m: RecordedMessage) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedMessage> {
    return this.state.changes.waitFor(
      () => this.state.messages.find(predicate),
      timeoutMs,
      () => `no matching message; the bot posted ${this.state.messages.length}`,
    );
  }

  /** Resolves once the bot has registered commands (at any time so far). */
  async waitForCommands(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.state.changes.waitFor(
      () => (this.state.commandRegistrations > 0 ? true : undefined),
      timeoutMs,
      () => 'the bot registered no commands',
    );
  }

  /** Closes the gateway connection(s) with a resumable code, like Discord does now and then. */
  dropGateway(code = 4000): void {
    this.gateway.drop(code);
  }

  /** Replaces a guild channel's permission overwrites, as a server admin would. */
  /** Threads and forum posts (deleted ones too, with `deletedAt`). */
  get threads(): FakeThread[] {
    return [...this.state.threads.values()];
  }

  /** DM channels opened, as Discord returns them. */
  get dmChannels(): Json[] {
    return [...this.state.dmChannels.values()];
  }

  /** The user accepts no DMs from the bot: a message to them is refused with 50007. */
  closeDms(userId: string, closed = true): void {
    if (closed) this.state.closedDms.add(userId);
    else this.state.closedDms.delete(userId);
  }

  /** Archives a thread as Discord does when it goes quiet (or a moderator, `locked`). */
  archiveThread(threadId: string, opts: { locked?: boolean } = {}): void {
    const thread = this.state.thread(threadId);
    if (!thread) throw new Error(`Fake Discord: no thread ${threadId}`);
    thread.archived = true;
    thread.locked = opts.locked ?? false;
  }

  /** Deletes a thread as a moderator would: posting in it then answers Unknown Channel. */
  deleteThread(threadId: string): void {
    const thread = this.state.thread(threadId);
    if (!thread) throw new Error(`Fake Discord: no thread ${threadId}`);
    thread.deletedAt = Date.now();
  }

  setChannelOverwrites(
    channelId: string,
    overwrites: NonNullable<FakeChannel['overwrites']>,
  ): void {
    const channel = this.state.guilds.flatMap((g) => g.channels).find((c) => c.id === channelId);
    if (!channel) throw new Error(`Fake Discord: no channel ${channelId}`);
    channel.overwrites = overwrites;
  }

  /** Makes REST answer `status` (all routes, or those matching) until `count` runs out or null. */
  setRestFailure(failure: RestFailure | null): void {
    this.state.restFailure = failure && { failure, remaining: failure.count ?? Infinity };
  }

  private async interact(
    type: number,
    target: InteractionTarget,
    data: (t: ResolvedTarget) => Json,
    componentMessage?: (t: ResolvedTarget) => Json | undefined,
  ): Promise<InteractionHandle> {
    const resolved = resolveTarget(this.state, target);
    const payloadData = data(resolved);
    const record = new InteractionRecord(
      snowflake(),
      interactionToken(),
      type,
      Date.now(),
      { ...resolved, commandName: payloadData.name },
      componentMessage?.(resolved),
      this.state.changes,
    );
    this.state.interactions.set(record.id, record);
    this.gateway.dispatch(
      'INTERACTION_CREATE',
      interactionPayload(this.state, record, resolved, payloadData),
    );
    return record;
  }

  /** The given message, else the bot's latest message with this component, else a stub. */
  private componentMessage(p: ComponentParams, t: ResolvedTarget): Json {
    const stub = messageObject({
      id: snowflake(),
      channelId: t.channelId,
      guildId: t.guildId,
      author: this.state.botUser,
      body: {},
      at: Date.now(),
    });
    return { ...stub, ...(p.message ?? findComponentMessage(this.state, p.customId)) };
  }
}
