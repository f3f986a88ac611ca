import type { CatalogEntry } from '../entities/catalog.js';
import {
  code,
  colorFor,
  groupColor,
  entityLine,
  joinWithin,
  LIMITS,
  plain,
  safe,
  stateText,
} from '../discord/format.js';
import type { EmbedData, FileData, MessageData } from '../discord/message-data.js';
import { ContextWaiter } from '../ha/context-waiter.js';
import type { HaError } from '../ha/errors.js';
import { toHaError } from '../ha/errors.js';
import type { Action } from '../policy/schema.js';
import { askToConfirm } from './confirm.js';
import { stateButtons } from './state-buttons.js';
import { describeHaError } from './replies.js';
import type { Reply } from './reply.js';
import type { Caller, CommandContext } from './types.js';

/** One HA service call an action makes. */
export interface PlannedCall {
  domain: string;
  service: string;
  entries: readonly CatalogEntry[];
  /** Service data, e.g. a lock's `code` (never logged). */
  data?: Record<string, unknown>;
  /** The state that shows the call took effect, when it is a fixed word. */
  expected?: string;
  returnResponse?: boolean;
}

/** An action as asked: its calls, how to word it, and which policy action it is. */
export interface ActionRequest {
  /** The subcommand, for the audit: `unlock`, `call`. */
  command: string;
  policyAction: Action;
  calls: readonly PlannedCall[];
  /** "Unlocked Front Door Lock": the result's heading. */
  title: string;
  /** "Unlock Front Door Lock": what a confirmation asks. */
  question: string;
  /** "Unlocked": the footer's verb. */
  past: string;
}

interface Outcome {
  entry: CatalogEntry;
  error?: HaError;
  pending?: boolean;
}

interface CallResult {
  outcomes: Outcome[];
  /** A call that targets nothing can still fail. */
  error?: HaError;
  response?: unknown;
}

const entriesOf = (req: Pick<ActionRequest, 'calls'>) => req.calls.flatMap((c) => c.entries);

/** Makes one call, audits it, and waits for the state changes it causes. */
async function runCall(
  call: PlannedCall,
  req: ActionRequest,
  by: Caller,
  confirmed: boolean,
  ctx: CommandContext,
): Promise<CallResult> {
  const ids = call.entries.map((e) => e.entityId);
  const waiter = new ContextWaiter(ctx.store, ids);
  const audit = (contextId: string | undefined, error: string | undefined) =>
    ctx.audit.record({
      userId: by.userId,
      userName: by.userName,
      guildId: by.guildId,
      channelId: by.channelId,
      command: req.command,
      domain: call.domain,
      service: call.service,
      entityIds: ids,
      contextId,
      confirmed,
      error,
    });
  try {
    const { contextId, response } = await ctx.ha.callService(
      call.domain,
      call.service,
      call.data,
      ids.length > 0 ? { entity_id: ids } : undefined,
      call.returnResponse,
    );
    audit(contextId, undefined);
    const expected = call.expected;
    const outcome = await waiter.wait(
      contextId,
      ids.length > 0 ? ctx.stateWaitMs : 0,
      (_, s) => expected !== undefined && s?.state === expected,
    );
    if (outcome.pending.length > 0)
      ctx.log.info({ contextId, pending: outcome.pending }, 'state change still pending');
    return {
      outcomes: call.entries.map((entry) => ({
        entry,
        pending: outcome.pending.includes(entry.entityId),
      })),
      response,
    };
  } catch (raw) {
    waiter.dispose();
    const error = toHaError(raw);
    audit(undefined, `${error.code}: ${error.message}`);
    return { outcomes: call.entries.map((entry) => ({ entry, error })), error };
  }
}

/** A service's response as a code block, or as a file when it does not fit in the embed. */
export function responseParts(response: unknown): {
  field?: { name: string; value: string };
  file?: FileData;
} {
  if (response === undefined || response === null) return {};
  const json = JSON.stringify(response, null, 2);
  const block = `\`\`\`json\n${json.replace(/```/g, "'''")}\n\`\`\``;
  if (block.length <= LIMITS.fieldValue) return { field: { name: 'Response', value: block } };
  return {
    field: { name: 'Response', value: `${json.length} characters: attached as response.json` },
    file: { name: 'response.json', data: Buffer.from(json) },
  };
}

function resultMessage(
  req: ActionRequest,
  results: readonly CallResult[],
  by: string,
  ctx: CommandContext,
): MessageData {
  const outcomes = results.flatMap((r) => r.outcomes);
  const lines = outcomes.map(({ entry, error, pending }) => {
    const state = ctx.store.get(entry.entityId);
    if (error)
      return `**${safe(entry.name, 100)}** \`${entry.entityId}\` — failed: ${describeHaError(error)}`;
    if (pending) return `${entityLine(entry, state)} (call made, state pending)`;
    return entityLine(entry, state);
  });
  const single = outcomes.length === 1 ? outcomes[0] : undefined;
  const singleState = single ? ctx.store.get(single.entry.entityId) : undefined;
  const heading =
    single && singleState && !single.pending && !single.error
      ? `${safe(single.entry.name, 150)} is ${safe(stateText(singleState), 80)}`
      : safe(req.title, 200);
  const fields: { name: string; value: string }[] = [];
  const files: FileData[] = [];
  for (const result of results) {
    const { field, file } = responseParts(result.response);
    if (field) fields.push(field);
    if (file) files.push(file);
  }
  const embed: EmbedData = {
    title: heading.slice(0, LIMITS.title),
    // Several entities have no one state: red would read as "unavailable".
    color: single ? colorFor(singleState?.state) : groupColor(outcomes.some((o) => o.error)),
    // A footer is plain text in Discord: escaping markdown there would show the backslashes.
    footer: { text: plain(by, LIMITS.footer) },
    ...(lines.length > 0 ? { description: joinWithin(lines, LIMITS.description) } : {}),
    ...(fields.length > 0 ? { fields } : {}),
  };
  // One entity: the reply is its state, with the same buttons a state reply has.
  const buttons = single ? stateButtons(single.entry, singleState) : [];
  return { embeds: [embed], files, buttons };
}

/** Makes the calls and words the outcome: a result message, or HA's reason when all failed. */
async function perform(
  req: ActionRequest,
  by: Caller,
  confirmed: boolean,
  ctx: CommandContext,
): Promise<Reply> {
  const results = await Promise.all(req.calls.map((c) => runCall(c, req, by, confirmed, ctx)));
  const failures = results.filter((r) => r.error);
  if (failures.length === results.length && failures[0]?.error)
    return { kind: 'refuse', text: describeHaError(failures[0].error) };
  const footer = `${req.past} by ${by.userName}${confirmed ? ' (confirmed)' : ''}`;
  return { kind: 'show', message: resultMessage(req, results, footer, ctx) };
}

const slow = (what: string, run: () => Promise<Reply>): Reply => ({
  kind: 'slow',
  working: `Working on ${what}…`,
  done: `Done: ${what}.`,
  run,
});

/** Why the policy wants these calls confirmed (its `confirm:`), once each. */
export function confirmationReasons(req: ActionRequest, ctx: CommandContext): string[] {
  return [
    ...new Set(
      req.calls.flatMap((c) =>
        c.entries
          .map((e) => ctx.access.confirmation(e, c.service))
          .filter((r): r is string => r !== undefined),
      ),
    ),
  ];
}

/**
 * Runs the request at once, or first asks for a confirm button when any call is dangerous
 * (the access policy's `confirm:`). The one path every action from Discord takes to HA.
 */
export function act(req: ActionRequest, by: Caller, ctx: CommandContext): Reply {
  const entries = entriesOf(req);
  const what = entries.length === 1 ? `\`${entries[0]!.entityId}\`` : code(req.question, 200);
  const reasons = confirmationReasons(req, ctx);
  if (reasons.length === 0) return slow(what, () => perform(req, by, false, ctx));
  const entityIds = entries.map((e) => e.entityId);
  const seen = new Map(
    entityIds.map((id) => {
      const s = ctx.store.get(id);
      return [id, s && { state: s.state, lastChanged: s.lastChanged }] as const;
    }),
  );
  return askToConfirm(
    {
      userId: by.userId,
      action: req.policyAction,
      entityIds,
      seen,
      summary: req.question,
      run: (presser) => {
        // The entities as they are now: names and areas may have changed meanwhile.
        const fresh = (list: readonly CatalogEntry[]) =>
          list
            .map((e) => ctx.catalog.get(e.entityId))
            .filter((e): e is CatalogEntry => e !== undefined);
        const calls = req.calls.map((c) => ({ ...c, entries: fresh(c.entries) }));
        return Promise.resolve(slow(what, () => perform({ ...req, calls }, presser, true, ctx)));
      },
    },
    reasons,
    ctx,
  );
}
