import { isEmptyMessage } from './discord-rules.js';
import { errors, noContent, ok, type RestRequest, type RestResponse, type Route } from './http.js';
import type { InteractionRecord, ResponseMessage } from './interaction.js';
import { interactionMessage } from './messages.js';
import { snowflake } from './payloads.js';
import { invalidFormBody } from './schemas.js';
import type { DiscordState } from './state.js';
import type { Json } from './types.js';

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
/**
 * Callback types Discord accepts per interaction type (2 command, 3 component, 4 autocomplete,
 * 5 modal submit: no modal in answer to a modal; 6 and 7 only for one opened from a message).
 */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  2: [4, 5, 9, 12],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

/**
 * Interaction callbacks (3 s deadline, one per interaction) and the interaction webhook:
 * edits of @original and follow-ups, valid while the token lives (15 min). No bot auth.
 */
export function interactionRoutes(state: DiscordState): Route[] {
  const webhook = '/webhooks/:app/:token';
  const message = `${webhook}/messages/:messageId`;
  return [
    { method: 'POST', path: '/interactions/:id/:token/callback', auth: false, handle: callback },
    { method: 'POST', path: webhook, auth: false, handle: (req) => withToken(req, followUp) },
    { method: 'GET', path: message, auth: false, handle: (req) => withToken(req, fetch) },
    { method: 'PATCH', path: message, auth: false, handle: (req) => withToken(req, edit) },
    { method: 'DELETE', path: message, auth: false, handle: (req) => withToken(req, remove) },
  ];

  function callback(req: RestRequest): RestResponse {
    const record = state.interactions.get(req.params.id!);
    if (!record || record.token !== req.params.token) return errors.unknownInteraction();
    const answer = decideCallback(record, req);
    record.record({ type: 'callback', body: req.body, status: answer.status, files: req.files });
    return answer;
  }

  function decideCallback(record: InteractionRecord, req: RestRequest): RestResponse {
    const route = 'POST /interactions/:id/:token/callback';
    const body = req.body ?? {};
    const invalid = state.rejectInvalid(route, 'interactionCallback', body);
    if (invalid) return invalid;
    const fromMessage = record.type !== 5 || record.componentMessage !== undefined;
    if (
      !ALLOWED_CALLBACKS[record.type]?.includes(body.type) ||
      (!fromMessage && (body.type === 6 || body.type === 7))
    ) {
      const issue = {
        path: ['type'],
        code: 'INTERACTION_CALLBACK_TYPE_INVALID',
        message: `Callback type ${body.type} is not valid for interaction type ${record.type}.`,
      };
      state.recordSchemaError(route, [issue], body);
      return { status: 400, body: invalidFormBody([issue]) };
    }
    if (record.acknowledgement) return errors.alreadyAcknowledged();
    if (Date.now() - record.createdAt > state.deadlineMs) {
      state.lateCallbacks.push(record.id);
      return errors.unknownInteraction();
    }
    if (body.type === 4 && isEmptyMessage(body.data, req.files.length)) {
      return state.rejectEmpty(route, body);
    }
    record.acknowledgement = body;
    record.original = responseMessage(record, body);
    if (body.type === 7 && record.original) syncChannelMessage(record.original);
    if (req.query.get('with_response') !== 'true') return noContent();
    const original = record.original;
    return ok({
      interaction: {
        id: record.id,
        type: record.type,
        response_message_id: original?.id,
        response_message_loading: body.type === 5,
        response_message_ephemeral: Boolean((original?.body.flags ?? 0) & EPHEMERAL),
      },
      resource: {
        type: body.type,
        ...(original && body.type !== 5
          ? { message: interactionMessage(state, record, original) }
          : {}),
      },
    });
  }

  /** The message a callback creates (4, 5) or updates (6, 7: the component's message). */
  function responseMessage(record: InteractionRecord, body: Json): ResponseMessage | null {
    const data = body.data ?? {};
    const carrier = record.componentMessage;
    const at = Date.now();
    switch (body.type) {
      case 4:
        return { id: snowflake(), at, body: data };
      case 5:
        return { id: snowflake(), at, body: { content: '', flags: (data.flags ?? 0) | LOADING } };
      case 6:
        return carrier ? { id: carrier.id, at, body: messageBody(carrier) } : null;
      case 7:
        return carrier
          ? { id: carrier.id, at, body: { ...messageBody(carrier), ...data }, editedAt: at }
          : null;
      default:
        return null;
    }
  }

  /** A component's message updated through the interaction: the channel's copy changes too. */
  function syncChannelMessage(m: ResponseMessage): void {
    const posted = state.messages.find((x) => x.id === m.id);
    if (!posted) return;
    const { content, embeds, components } = m.body;
    posted.body = {
      ...posted.body,
      ...(content !== undefined ? { content } : {}),
      ...(embeds !== undefined ? { embeds } : {}),
      ...(components !== undefined ? { components } : {}),
    };
    posted.editedAt = m.editedAt ?? Date.now();
    state.changes.notify();
  }

  function withToken(
    req: RestRequest,
    fn: (record: InteractionRecord, req: RestRequest) => RestResponse,
  ): RestResponse {
    const record =
      req.params.app === state.applicationId
        ? state.interactionByToken(req.params.token!)
        : undefined;
    if (!record) return errors.unknownWebhook();
    if (Date.now() - record.createdAt > state.tokenTtlMs) return errors.invalidWebhookToken();
    return fn(record, req);
  }

  function target(record: InteractionRecord, messageId: string): ResponseMessage | undefined {
    const original = record.original;
    const found =
      messageId === '@original' || messageId === original?.id
        ? original
        : record.followups.get(messageId);
    return found && !found.deleted ? found : undefined;
  }

  /** '@original' for the response message, whatever id the bot used for it. */
  function label(record: InteractionRecord, m: ResponseMessage): string {
    return m === record.original ? '@original' : m.id;
  }

  function followUp(record: InteractionRecord, req: RestRequest): RestResponse {
    const body = req.body ?? {};
    const { answer, created } = createFollowUp(record, req, body);
    const messageId = created?.id;
    record.record({ type: 'followup', body, status: answer.status, messageId, files: req.files });
    return answer;
  }

  function createFollowUp(
    record: InteractionRecord,
    req: RestRequest,
    body: Json,
  ): { answer: RestResponse; created?: ResponseMessage } {
    const route = 'POST /webhooks/:app/:token';
    if (!record.acknowledgement) return { answer: errors.unknownWebhook() };
    const invalid = state.rejectInvalid(route, 'webhookExecute', body);
    if (invalid) return { answer: invalid };
    if (isEmptyMessage(body, req.files.length)) return { answer: state.rejectEmpty(route, body) };
    const created: ResponseMessage = { id: snowflake(), at: Date.now(), body };
    record.followups.set(created.id, created);
    const wait = req.query.get('wait') === 'true';
    return { answer: wait ? ok(interactionMessage(state, record, created)) : noContent(), created };
  }

  function fetch(record: InteractionRecord, req: RestRequest): RestResponse {
    const found = target(record, req.params.messageId!);
    return found ? ok(interactionMessage(state, record, found)) : errors.unknownMessage();
  }

  function edit(record: InteractionRecord, req: RestRequest): RestResponse {
    const body = req.body ?? {};
    const found = target(record, req.params.messageId!);
    const route = 'PATCH /webhooks/:app/:token/messages/:messageId';
    const invalid = state.rejectInvalid(route, 'webhookEdit', body);
    const answer = invalid ?? (found ? applyEdit(record, found, body) : errors.unknownMessage());
    const messageId = found ? label(record, found) : req.params.messageId;
    record.record({ type: 'edit', body, status: answer.status, messageId, files: req.files });
    return answer;
  }

  function applyEdit(record: InteractionRecord, m: ResponseMessage, body: Json): RestResponse {
    const flags = (body.flags ?? m.body.flags ?? 0) & ~LOADING;
    m.body = { ...m.body, ...body, flags };
    m.editedAt = Date.now();
    if (m.id === record.componentMessage?.id) syncChannelMessage(m);
    return ok(interactionMessage(state, record, m));
  }

  function remove(record: InteractionRecord, req: RestRequest): RestResponse {
    const found = target(record, req.params.messageId!);
    if (found) found.deleted = true;
    const answer = found ? noContent() : errors.unknownMessage();
    const messageId = found ? label(record, found) : req.params.messageId;
    record.record({ type: 'delete', body: {}, status: answer.status, messageId });
    return answer;
  }
}

function messageBody(message: Json): Json {
  const { content, embeds, components, flags } = message;
  return { content, embeds, components, flags };
}
