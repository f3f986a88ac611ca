import { LIMITS, safe } from '../discord/format.js';
import { truncate } from '../entities/text.js';
import type { PendingAction } from './confirmations.js';
import { unavailableText } from './replies.js';
import type { Reply } from './reply.js';
import type { Caller, CommandContext } from './types.js';

const EXPIRED_TEXT = 'This confirmation has expired or was already used: nothing was done.';

/**
 * Asks the person to confirm a dangerous action with a button, privately. The action runs
 * only when the same person presses Confirm in time and the policy and state still agree.
 */
export function askToConfirm(
  pending: PendingAction,
  reasons: readonly string[],
  ctx: CommandContext,
): Reply {
  let tell: ((text: string) => void) | undefined;
  const seconds = Math.round(ctx.confirmations.timeoutMs / 1000);
  const token = ctx.confirmations.add(pending, () => {
    ctx.log.info(
      { userId: pending.userId, entityIds: pending.entityIds },
      'confirmation expired unused',
    );
    tell?.(
      `Expired: ${safe(pending.summary, 300)} was not done. Run the command again if you still want it.`,
    );
  });
  const lines = pending.entityIds.map((entityId) => {
    const state = pending.seen.get(entityId)?.state;
    return `• \`${entityId}\`${state ? ` (now ${safe(state, 40)})` : ''}`;
  });
  const content = truncate(
    [
      `**${safe(pending.summary, 300)}?**`,
      ...lines,
      `This needs a confirmation (${reasons.join('; ')}). The button works for ${seconds} s, and only for you.`,
    ].join('\n'),
    LIMITS.content,
  );
  return {
    kind: 'confirm',
    message: {
      content,
      buttons: [
        {
          id: { kind: 'confirm', token, confirmed: true },
          label: truncate(pending.summary, 80),
          style: 'danger',
        },
        { id: { kind: 'confirm', token, confirmed: false }, label: 'Cancel' },
      ],
    },
    onExpired: (listener) => {
      tell = listener;
    },
  };
}

/** What changed since the person asked, in words, or undefined when nothing did. */
function changedSince(pending: PendingAction, ctx: CommandContext): string | undefined {
  for (const entityId of pending.entityIds) {
    const before = pending.seen.get(entityId);
    const now = ctx.store.get(entityId);
    if (now === undefined) return `\`${entityId}\` no longer exists in Home Assistant`;
    if (before && (before.state !== now.state || before.lastChanged !== now.lastChanged)) {
      return `\`${entityId}\` changed from ${safe(before.state, 40)} to ${safe(now.state, 40)} since you asked`;
    }
  }
  return undefined;
}

/** A press on Confirm (or Cancel) of the confirmation with this token. */
export async function pressConfirm(
  token: string,
  confirmed: boolean,
  by: Caller,
  ctx: CommandContext,
): Promise<Reply> {
  const pending = ctx.confirmations.get(token);
  if (pending === undefined)
    return { kind: 'note', text: `${EXPIRED_TEXT} Run the command again.` };
  if (pending.userId !== by.userId) {
    ctx.log.warn(
      { userId: by.userId, askedBy: pending.userId },
      'confirmation pressed by someone else: refused',
    );
    return { kind: 'refuse', text: 'Only the person who asked can confirm this.', aside: true };
  }
  ctx.confirmations.take(token);
  if (!confirmed)
    return { kind: 'note', text: `Cancelled: ${safe(pending.summary, 300)} was not done.` };
  const refusal =
    unavailableText(ctx.ha.status) ??
    changedSince(pending, ctx) ??
    pending.entityIds
      .map((entityId) => ctx.catalog.get(entityId))
      .map((entry) => (entry ? ctx.access.check(by, pending.action, entry) : undefined))
      .find((d) => d !== undefined && !d.allowed)?.reason;
  if (refusal) {
    return {
      kind: 'note',
      text: truncate(
        `Not done: ${refusal.replace(/\.$/, '')}. Run the command again if you still want it.`,
        LIMITS.content,
      ),
    };
  }
  return pending.run(by);
}
