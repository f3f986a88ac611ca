import { EmbedBuilder, Routes, type APIEmbed, type APIMessage, type Client } from 'discord.js';
import type { HaMessage } from '../alerts/types.js';
import { imageFileName, type HaImage } from '../ha/http.js';
import type { Logger } from '../logging/logger.js';
import type { OutboxRow } from '../storage/outbox.js';
import { LIMITS, plain } from './format.js';

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

/**
 * Posts HA messages, fetching their images from HA now (not when the event came: a camera
 * shows what it sees when the message goes out). An image that cannot be had leaves the
 * message without it and says why in the footer. Mentions in the text never ping.
 */
export async function postHaMessages(
  client: Client,
  channelId: string,
  rows: readonly OutboxRow[],
  nonce: string,
  images: ImageSource,
  log: Logger,
): Promise<string> {
  const messages = rows.map(payload);
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
  const post = (withPictures: boolean) => {
    const embeds = messages.map((m, i) => {
      const got = fetched[i];
      if (typeof got === 'object' && withPictures) return haMessageEmbed(m, got, undefined);
      const why = typeof got === 'object' ? NO_ATTACH_FILES : got;
      // A footer is plain text: code marks would show as backticks.
      const note =
        why && `Image from ${m.imageEntity} could not be attached: ${why.replace(/`/g, '')}`;
      return haMessageEmbed(m, undefined, note);
    });
    const files = fetched
      .filter((f): f is Attached => typeof f === 'object' && withPictures)
      .map((f) => ({ name: f.fileName, data: f.image.data, contentType: f.image.contentType }));
    return client.rest.post(Routes.channelMessages(channelId), {
      body: { embeds, allowed_mentions: { parse: [] }, nonce, enforce_nonce: true },
      ...(files.length > 0 ? { files } : {}),
    }) as Promise<APIMessage>;
  };
  const withPictures = fetched.some((f) => typeof f === 'object');
  let message: APIMessage;
  try {
    message = await post(withPictures);
  } catch (error) {
    // Without Attach Files Discord refuses the whole message (50013): send it without the
    // picture rather than holding up the channel. (Without Send Messages this fails too.)
    if (!withPictures || (error as { code?: unknown }).code !== 50013) throw error;
    log.warn(
      { channelId, contextIds: messages.map((m) => m.contextId) },
      'the bot lacks Attach Files in the channel: posting the message without its picture. Allow Attach Files for the bot there (npm run doctor checks it)',
    );
    message = await post(false);
  }
  return message.id;
}
