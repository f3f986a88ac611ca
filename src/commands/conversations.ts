/**
 * Which Assist conversation each person is in, per channel, so `/ha ask` can follow up
 * ("and the kitchen?"). HA forgets a conversation after a few idle minutes; so does this.
 */
export class ConversationMemory {
  private readonly ids = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly idleMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly max = 1000,
  ) {}

  get(userId: string, channelId: string | null): string | undefined {
    const key = `${userId}:${channelId ?? 'dm'}`;
    const entry = this.ids.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at > this.idleMs) {
      this.ids.delete(key);
      return undefined;
    }
    return entry.id;
  }

  set(userId: string, channelId: string | null, conversationId: string): void {
    const key = `${userId}:${channelId ?? 'dm'}`;
    this.ids.delete(key);
    if (this.ids.size >= this.max) {
      const [oldest] = this.ids.keys();
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    this.ids.set(key, { id: conversationId, at: this.now() });
  }
}
