import type { InteractionRecord, ResponseMessage } from './interaction.js';
import { messageObject } from './payloads.js';
import type { DiscordState } from './state.js';
import type { Json, RecordedMessage } from './types.js';

/** A message the bot posted to a channel, as Discord returns it. */
export function channelMessage(state: DiscordState, m: RecordedMessage): Json {
  const { channelId, id, body, at, editedAt, files } = m;
  const guildId = state.channel(channelId)?.guildId;
  return messageObject({
    id,
    channelId,
    guildId,
    author: state.botUser,
    body,
    at,
    editedAt,
    files,
  });
}

/** An interaction's response or follow-up message, as Discord returns it. */
export function interactionMessage(
  state: DiscordState,
  record: InteractionRecord,
  m: ResponseMessage,
): Json {
  const { channelId, guildId, user, commandName } = record.context;
  if (m.id === record.componentMessage?.id) {
    return { ...record.componentMessage, ...m.body, id: m.id };
  }
  return messageObject({
    id: m.id,
    channelId,
    guildId,
    author: state.botUser,
    body: m.body,
    at: m.at,
    editedAt: m.editedAt,
    interaction: {
      applicationId: state.applicationId,
      type: record.type === 2 ? 20 : 0,
      metadata: {
        id: record.id,
        type: record.type,
        user,
        authorizing_integration_owners: { '0': guildId ?? '0' },
        ...(commandName ? { name: commandName } : {}),
      },
    },
  });
}

/** The newest message the bot sent that carries a component with `customId`. */
export function findComponentMessage(state: DiscordState, customId: string): Json | undefined {
  const candidates: { at: number; message: () => Json; body: Json }[] = [];
  for (const m of state.messages) {
    if (!m.deletedAt)
      candidates.push({ at: m.at, body: m.body, message: () => channelMessage(state, m) });
  }
  for (const record of state.interactions.values()) {
    for (const m of [record.original, ...record.followups.values()]) {
      if (!m || m.deleted) continue;
      candidates.push({
        at: m.at,
        body: m.body,
        message: () => interactionMessage(state, record, m),
      });
    }
  }
  const found = candidates
    .filter((c) => hasCustomId(c.body?.components, customId))
    .sort((a, b) => a.at - b.at)
    .at(-1);
  return found?.message();
}

function hasCustomId(node: unknown, customId: string): boolean {
  if (Array.isArray(node)) return node.some((n) => hasCustomId(n, customId));
  if (!node || typeof node !== 'object') return false;
  const component = node as { custom_id?: unknown; components?: unknown; accessory?: unknown };
  return (
    component.custom_id === customId ||
    hasCustomId(component.components, customId) ||
    hasCustomId(component.accessory, customId)
  );
}
