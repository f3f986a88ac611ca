import { EmbedBuilder, type APIEmbed } from 'discord.js';
import type { HaMessage } from '../alerts/types.js';
import { imageFileName, type HaImage } from '../ha/http.js';
import type { Logger } from '../logging/logger.js';
import type { OutboxRow } from '../storage/outbox.js';
import { LIMITS, plain } from './format.js';
import type { MessageFile, MessageRequest, RenderedMessage, RowOf } from './renderers.js';

const DEFAULT_COLOR = 0x3498db;
/** Footer room kept for "Image … could not be attached: …", so fitting does not depend on it. */
const NOTE_RESERVE = 400;
const NO_ATTACH_FILES =
  "the bot lacks Attach Files in this channel (allow it in the channel's permissions)";

/** Entity pictures from HA, fetched at send time. */
export interface ImageSource {
  fetch(entityId: string): Promise<HaImage>;
  /** Why the fetch failed, in words for a message footer. */
  describe(entityId: string, error: unknown): string;
}

export const isHaMessage = (row: OutboxRow): boolean => row.kind === 'message';

const payload = (row: OutboxRow) => row.payload as HaMessage;

function size(m: HaMessage): number {
  return (
    Math.min(m.text.length, LIMITS.description) +
    (m.title?.length ?? 0) +
    (m.imageEntity ? NOTE_RESERVE : 0)
  );
}

/**
 * How many HA messages from the head of the rows go in one Discord message: a message with
 * an image goes alone (each upload counts against Discord's size limit); text-only ones share
 * one message, an embed each, up to 10 embeds and 6,000 characters. Deterministic, so a
 * resend after a crash carries the same rows under the same nonce.
 */
export function fitHaMessages(rows: readonly OutboxRow[]): number {
  const head = rows[0];
  if (head === undefined || !isHaMessage(head)) return 0;
  if (payload(head).imageEntity) return 1;
  let count = 0;
  let total = 0;
  for (const row of rows) {
    if (!isHaMessage(row) || payload(row).imageEntity) break;
    total += size(payload(row));
    if (count === LIMITS.embedsPerMessage || (count > 0 && total > LIMITS.embedTotal)) break;
    count++;
  }
  return count;
}

/** One HA message as an embed; `note` says why its image is missing. */
export function haMessageEmbed(
  m: HaMessage,
  image: { fileName: string } | undefined,
  note: string | undefined,
): APIEmbed {
  const embed = new EmbedBuilder()
    // The automation's own markdown is kept; only invisible control characters go.
    // A text of nothing but control characters still needs a description to be an embed.
    .setDescription(plain(m.text, LIMITS.description) || '\u200b')
    .setColor(m.color ?? DEFAULT_COLOR)
    .setTimestamp(new Date(m.at * 1000));
  if (m.title) embed.setTitle(plain(m.title, LIMITS.title));
  if (image) embed.setImage(`attachment://${image.fileName}`);
  if (note) embed.setFooter({ text: plain(note, LIMITS.footer) });
  return embed.toJSON();
}

interface Attached {
  fileName: string;
  image: HaImage;
}

/** HA messages from the head of the rows (fitHaMessages), their pictures fetched when sent. */
export function renderHaMessages(
  rows: readonly RowOf<'message'>[],
  images: ImageSource,
  log: Logger,
): RenderedMessage {
  const count = fitHaMessages(rows);
  const messages = rows.slice(0, count).map((r) => r.payload);
  return { count, request: () => haMessageRequest(messages, images, log) };
}

/**
 * HA messages as one request, their images fetched from HA now (not when the event came: a
 * camera shows what it sees when the message goes out). An image that cannot be had leaves
 * the message without it and says why in the footer. Mentions in the text never ping. With
 * pictures, the request carries the same message without them, for a channel where the bot
 * lacks Attach Files.
 */
export async function haMessageRequest(
  messages: readonly HaMessage[],
  images: ImageSource,
  log: Logger,
): Promise<MessageRequest> {
  const fetched = await Promise.all(
    messages.map(async (m, i): Promise<Attached | string | undefined> => {
      if (m.imageEntity === undefined) return undefined;
      try {
        const image = await images.fetch(m.imageEntity);
        return { fileName: `${i + 1}-${imageFileName(m.imageEntity, image.contentType)}`, image };
      } catch (error) {
        const reason = images.describe(m.imageEntity, error);
        log.warn(
          { entityId: m.imageEntity, contextId: m.contextId, reason },
          'could not get the image for a message from Home Assistant; posting it without',
        );
        return reason;
      }
    }),
  );
  const body = (withPictures: boolean) => {
    const embeds = messages.map((m, i) => {
      const got = fetched[i];
      if (typeof got === 'object' && withPictures) return haMessageEmbed(m, got, undefined);
      const why = typeof got === 'object' ? NO_ATTACH_FILES : got;
      // A footer is plain text: code marks would show as backticks.
      const note =
        why && `Image from ${m.imageEntity} could not be attached: ${why.replace(/`/g, '')}`;
      return haMessageEmbed(m, undefined, note);
    });
    return { embeds, allowed_mentions: { parse: [] } };
  };
  const files: MessageFile[] = fetched
    .filter((f): f is Attached => typeof f === 'object')
    .map((f) => ({ name: f.fileName, data: f.image.data, contentType: f.image.contentType }));
  if (files.length === 0) return { body: body(false) };
  return {
    body: body(true),
    files,
    withoutFiles: { body: body(false), log: { contextIds: messages.map((m) => m.contextId) } },
  };
}
