import type { Changes } from './changes.js';
import type { InteractionHandle, Json, RecordedReply } from './types.js';

const DEFAULT_WAIT_MS = 5000;
const EPHEMERAL = 1 << 6;

/** The message an interaction response created (or, for components, the message updated). */
export interface ResponseMessage {
  id: string;
  body: Json;
  at: number;
  editedAt?: number;
  deleted?: boolean;
}

/**
 * One interaction as Discord tracks it: when it was created, whether it was acknowledged,
 * its response message and follow-ups. Also the test's handle on it.
 */
export class InteractionRecord implements InteractionHandle {
  readonly replies: RecordedReply[] = [];
  /** The accepted first callback: `{type, data}`. */
  acknowledgement: Json | null = null;
  original: ResponseMessage | null = null;
  readonly followups = new Map<string, ResponseMessage>();

  constructor(
    readonly id: string,
    readonly token: string,
    /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
    readonly type: number,
    readonly createdAt: number,
    /** Guild or DM context of the interaction, used for the messages it creates. */
    readonly context: { channelId: string; guildId?: string; user: Json; commandName?: string },
    /** For component interactions: the message that carries the component. */
    readonly componentMessage: Json | undefined,
    private readonly changes: Changes,
  ) {}

  record(reply: Omit<RecordedReply, 'at'>): void {
    this.replies.push({ ...reply, at: Date.now() });
    this.changes.notify();
  }

  waitForCallback(timeoutMs = DEFAULT_WAIT_MS): Promise<Json> {
    return this.changes.waitFor(
      () => this.accepted('callback')[0]?.body,
      timeoutMs,
      () => this.describe('no accepted interaction callback'),
    );
  }

  waitForReply(timeoutMs = DEFAULT_WAIT_MS): Promise<Json> {
    return this.changes.waitFor(
      () => this.visibleReply(),
      timeoutMs,
      () => this.describe('no visible reply'),
    );
  }

  waitForAutocomplete(
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<{ name: string; value: string | number }[]> {
    return this.changes.waitFor(
      () => {
        const callback = this.accepted('callback')[0]?.body;
        if (callback === undefined) return undefined;
        if (callback.type !== 8) throw new Error(this.describe('callback is not autocomplete'));
        const choices: { name: string; value: string | number }[] = callback.data?.choices ?? [];
        return choices;
      },
      timeoutMs,
      () => this.describe('no autocomplete result'),
    );
  }

  private visibleReply(): Json | undefined {
    const callback = this.accepted('callback')[0]?.body;
    if (!callback) return undefined;
    if (callback.type === 4 || callback.type === 7) return (callback.data ?? {}) as Json;
    if (callback.type !== 5 && callback.type !== 6) return undefined;
    const next = this.replies.find(
      (r) =>
        r.status < 300 &&
        ((r.type === 'edit' && r.messageId === '@original') || r.type === 'followup'),
    );
    if (!next) return undefined;
    const deferFlags = (callback.data?.flags ?? 0) & EPHEMERAL;
    if (next.type === 'followup' || !deferFlags) return next.body;
    return { ...next.body, flags: (next.body.flags ?? 0) | deferFlags };
  }

  private accepted(type: RecordedReply['type']): RecordedReply[] {
    return this.replies.filter((r) => r.type === type && r.status < 300);
  }

  private describe(what: string): string {
    const seen = this.replies.map((r) => `${r.type} ${r.status}`).join(', ') || 'nothing';
    return `${what} for interaction ${this.id}; the bot sent: ${seen}`;
  }
}
