import type { OutboxKind, OutboxKinds } from '../alerts/types.js';
import type { AlertCharts } from '../charts/alert-chart.js';
import type { Logger } from '../logging/logger.js';
import type { OutboxRow } from '../storage/outbox.js';
import { renderActionMessage } from './action-components.js';
import { renderAlerts, renderNotice } from './alert-format.js';
import { renderHaMessages, type ImageSource } from './ha-message.js';

/** A stored outbox row of one kind, its payload typed. */
export type RowOf<K extends OutboxKind> = OutboxRow<OutboxKinds[K]['payload']> & { kind: K };

/** A file sent with a message (an image from HA, a chart). */
export interface MessageFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/** One request to Discord: a message body (without the nonce) and its files. */
export interface MessageRequest {
  body: Record<string, unknown>;
  files?: MessageFile[];
  /**
   * The same message without its files, for a channel where the bot lacks Attach Files
   * (Discord then refuses the whole message): sent instead, with a warning carrying `log`.
   */
  withoutFiles?: { body: Record<string, unknown>; log: Record<string, unknown> };
}

/** A message composed for the first rows of a run. */
export interface RenderedMessage {
  /** How many of the rows, from the first, it carries. */
  readonly count: number;
  /** The request, built when it is sent (HA's pictures are fetched then); also an edit's body. */
  request(): MessageRequest | Promise<MessageRequest>;
  /** Remove the message kept in place instead (a tagged message's `delete: true`). */
  readonly remove?: boolean;
}

/**
 * Renders the first rows of one kind into one message, within Discord's limits.
 * Deterministic in how many rows it takes, so a resend after a crash carries the same rows.
 */
export type Renderer<K extends OutboxKind> = (rows: readonly RowOf<K>[]) => RenderedMessage;

/** One renderer per outbox kind: a kind added to OutboxKinds does not compile until it is here. */
export type Renderers = { [K in OutboxKind]: Renderer<K> };

/**
 * What rendering needs besides the rows: HA's pictures, alerts' charts (drawn from HA's
 * history when the alert goes out), and a log for what goes wrong.
 */
export interface RenderDeps {
  images: ImageSource;
  charts?: AlertCharts;
  log: Logger;
}

export function createRenderers(deps: RenderDeps): Renderers {
  return {
    alert: (rows) => renderAlerts(rows, deps.charts),
    // One alert, edited in place: the same message as a posted one (no chart: an edit
    // carries no files, and such rules have none).
    status: (rows) => renderAlerts(rows),
    notice: renderNotice,
    message: (rows) => renderHaMessages(rows, deps.images, deps.log, deps.charts),
    // One message per tag, edited in place (or removed): the same message as a posted one,
    // without the buttons an earlier send with the tag may have given it.
    tagged: (rows) =>
      withoutComponents(renderHaMessages(rows.slice(0, 1), deps.images, deps.log, deps.charts)),
    actionable: (rows) => renderActionMessage(rows, deps.images, deps.log, deps.charts),
  };
}

/** The message with `components: []`: an edit of a message that had buttons drops them. */
function withoutComponents(message: RenderedMessage): RenderedMessage {
  const clear = (body: Record<string, unknown>) => ({ ...body, components: [] });
  return {
    ...message,
    request: async () => {
      const request = await message.request();
      return {
        ...request,
        body: clear(request.body),
        ...(request.withoutFiles
          ? { withoutFiles: { ...request.withoutFiles, body: clear(request.withoutFiles.body) } }
          : {}),
      };
    },
  };
}

/** The message for the first rows: those of the head's kind, by that kind's renderer. */
export function render(renderers: Renderers, rows: readonly OutboxRow[]): RenderedMessage {
  const head = rows[0];
  if (head === undefined) throw new Error('nothing to render');
  const kind = head.kind;
  if (!isKind(renderers, kind)) {
    // Written by a newer version of the bot: kept (and retried) rather than lost.
    return {
      count: 1,
      request: () => {
        throw new Error(
          `outbox row of unknown kind '${kind}' (queued by a newer version of the bot?): run that version to deliver it`,
        );
      },
    };
  }
  const end = rows.findIndex((r) => r.kind !== kind);
  const run = end === -1 ? rows : rows.slice(0, end);
  // The one place a stored payload gets its type: the row's kind says which it is, as the
  // producer's OutboxEntry did when it was queued.
  return renderKind(renderers, kind, run as readonly RowOf<typeof kind>[]);
}

function renderKind<K extends OutboxKind>(
  renderers: Renderers,
  kind: K,
  rows: readonly RowOf<K>[],
): RenderedMessage {
  return renderers[kind](rows);
}

const isKind = (renderers: Renderers, kind: string): kind is OutboxKind =>
  Object.prototype.hasOwnProperty.call(renderers, kind);
