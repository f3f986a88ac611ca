/**
 * Commands without Discord: a CommandContext over a real catalog, the real access policy and
 * confirmations, and a Home Assistant that records calls and applies them to the store as
 * HA's state stream would. Commands take plain callers and options and return Replies.
 */
import pino from 'pino';
import type { Rule } from '../../../src/alerts/rule-schema.js';
import type { AuditEntry } from '../../../src/audit/audit.js';
import { Confirmations } from '../../../src/commands/confirmations.js';
import { ConversationMemory } from '../../../src/commands/conversations.js';
import type { OptionValues } from '../../../src/commands/options.js';
import type { Reply } from '../../../src/commands/reply.js';
import { createCommandRunner } from '../../../src/commands/runner.js';
import { subcommands } from '../../../src/commands/registry.js';
import type { AnyCommand, Caller, CommandContext } from '../../../src/commands/types.js';
import { createAccessControl } from '../../../src/discord/access.js';
import type { ServiceInfo } from '../../../src/ha/services.js';
import type { AssistAnswer, HaStatus } from '../../../src/ha/types.js';
import { PolicySchema, type Policy } from '../../../src/policy/schema.js';
import type { Watch } from '../../../src/storage/watches.js';
import { makeCatalog, type TestArea, type TestEntity } from '../../helpers/catalog.js';

export const CONNECTED: HaStatus = {
  kind: 'connected',
  haVersion: '2025.4.0',
  coreState: 'RUNNING',
  restarted: false,
};

export const GUILD = '200000000000000001';

/** Alice, a member with no roles; `isManager` and the rest can be changed per test. */
export const caller = (over: Partial<Caller> = {}): Caller => ({
  userId: '100000000000000001',
  userName: 'alice',
  guildId: GUILD,
  channelId: '300000000000000001',
  roleIds: [],
  roleNames: [],
  isManager: false,
  ...over,
});

/** Everyone may do everything: the policy tests narrow it. */
export const OPEN_POLICY = {
  grants: [{ everyone: true, allow: ['read', 'control', 'watch', 'call', 'ask', 'event'] }],
};

export interface ServiceCall {
  domain: string;
  service: string;
  data: Record<string, unknown> | undefined;
  entityIds: string[];
}

/** The state each service leaves an entity in (others leave it unchanged). */
const RESULT: Record<string, string> = {
  turn_on: 'on',
  turn_off: 'off',
  lock: 'locked',
  unlock: 'unlocked',
  alarm_disarm: 'disarmed',
  alarm_arm_home: 'armed_home',
  alarm_arm_away: 'armed_away',
};

export function commandWorld(
  entities: TestEntity[],
  opts: { areas?: TestArea[]; policy?: unknown; services?: ServiceInfo[] } = {},
) {
  const { store, catalog } = makeCatalog(entities, opts.areas ?? []);
  let policy: Policy = PolicySchema.parse(opts.policy ?? OPEN_POLICY);
  let contexts = 0;
  const calls: ServiceCall[] = [];
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const audit: AuditEntry[] = [];
  const watches: Watch[] = [];
  const mutes = new Map<string, number>();
  const ha = {
    status: CONNECTED,
    failWith: undefined as Error | undefined,
    answer: {
      speech: 'It is 21 degrees.',
      kind: 'query_answer',
      conversationId: 'conv-1',
      done: [],
      failed: [],
    } as AssistAnswer,
    callService(
      domain: string,
      service: string,
      data?: Record<string, unknown>,
      target?: { entity_id?: string | string[] },
    ) {
      if (ha.failWith) return Promise.reject(ha.failWith);
      const ids = target?.entity_id;
      const entityIds = typeof ids === 'string' ? [ids] : (ids ?? []);
      calls.push({ domain, service, data, entityIds });
      const contextId = `call-${++contexts}`;
      for (const id of entityIds) {
        const before = store.get(id)?.state;
        const s =
          service === 'toggle' ? (before === 'on' ? 'off' : 'on') : (RESULT[service] ?? before);
        if (s !== undefined && s !== before)
          store.apply({ c: { [id]: { '+': { s, c: contextId, lc: 1_800_000_000 } } } });
      }
      return Promise.resolve({ contextId });
    },
    fireEvent(type: string, data: Record<string, unknown>) {
      events.push({ type, data });
      return Promise.resolve();
    },
    converse: () => Promise.resolve(ha.answer),
  };
  const rules: Rule[] = [];
  const ctx: CommandContext = {
    ha,
    // HA that recorded nothing: /ha history and /ha logbook are tested through the fakes.
    history: {
      load: () => Promise.resolve({ ok: false, reason: 'no_data' }),
      render: () => Promise.resolve(undefined),
      logbook: () => Promise.resolve([]),
    },
    images: {
      timeoutMs: 10_000,
      cameraImage: () => Promise.resolve({ data: Buffer.from('jpeg'), contentType: 'image/jpeg' }),
    },
    catalog,
    store,
    log: pino({ level: 'silent' }),
    stateWaitMs: 500,
    alerts: {
      rules: () => [...rules, ...watches.map((w) => w.rule)],
      watches: () => watches,
      addWatch(rule, createdBy, guildId) {
        const watch = { id: watches.length + 1, rule, createdBy, guildId, createdAt: 0 };
        watches.push(watch);
        return watch;
      },
      removeWatch: (id) => {
        const i = watches.findIndex((w) => w.id === id);
        if (i >= 0) watches.splice(i, 1);
        return i >= 0;
      },
      mute: (target, until) => void mutes.set(target, until),
      unmute: (target) => mutes.delete(target),
      mutes: () => [...mutes].map(([target, until]) => ({ target, until })),
    },
    access: createAccessControl(() => policy, GUILD, pino({ level: 'silent' })),
    confirmations: new Confirmations(() => policy.confirm.timeout),
    audit: { record: (entry) => void audit.push(entry) },
    services: {
      list: () => Promise.resolve(opts.services ?? []),
      get: (id) => Promise.resolve((opts.services ?? []).find((s) => s.id === id)),
    },
    conversations: new ConversationMemory(),
    ownEvents: ['discord_bridge_command'],
    reloadConfig: () => ({ ok: true, changes: ['Nothing new.'] }),
    runtime: {
      status: () => {
        throw new Error('not in these tests');
      },
    },
  };
  const runner = createCommandRunner(subcommands, ctx);
  return {
    ctx,
    store,
    catalog,
    ha,
    calls,
    events,
    audit,
    watches,
    mutes,
    runner,
    /** A reload: the next decision reads the new policy. */
    setPolicy(next: unknown) {
      policy = PolicySchema.parse(next);
    },
    /** `/ha <key> options…` typed by `who`. */
    command: (key: string, options: OptionValues, who: Caller = caller()) =>
      runner.command(key, { caller: who, options }),
    stop: () => ctx.confirmations.stop(),
  };
}

/** A slow reply's outcome (what the person sees after the work). */
export async function settle(reply: Reply | undefined): Promise<Reply> {
  if (reply === undefined) throw new Error('no reply');
  return reply.kind === 'slow' ? reply.run() : reply;
}

/** The reply's text: a refusal's or note's words, or a message's content. */
export function words(reply: Reply | undefined): string {
  if (reply === undefined) return '';
  if (reply.kind === 'refuse' || reply.kind === 'note') return reply.text;
  if (reply.kind === 'show' || reply.kind === 'replace' || reply.kind === 'confirm')
    return reply.message.content ?? '';
  return '';
}

export type { AnyCommand };
