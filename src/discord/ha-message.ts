import { EmbedBuilder, type APIEmbed } from 'discord.js';
import type { HaMessage } from '../alerts/types.js';
import type { AlertCharts } from '../charts/alert-chart.js';
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

/** The message's pictures: the first image_entity and the rest of the list. */
const imagesOf = (m: HaMessage): string[] =>
  m.imageEntity === undefined ? [] : [m.imageEntity, ...(m.moreImages ?? [])];

function size(m: HaMessage): number {
  const e = m.embed;
  return (
    Math.min(m.text.length, LIMITS.description) +
    (m.title?.length ?? 0) +
    (m.imageEntity ? NOTE_RESERVE : 0) +
    (e?.footer?.length ?? 0) +
    (e?.author?.name.length ?? 0) +
    (e?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
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
  if (head === undefined) return 0;
  // A tagged message is edited on its own; one with a picture goes alone.
  // One with a chart goes alone too (one chart per message, drawn when it is sent).
  if (head.kind === 'tagged' || payload(head).imageEntity || payload(head).chart) return 1;
  if (!isHaMessage(head)) return 0;
  let count = 0;
  let total = 0;
  for (const row of rows) {
    if (!isHaMessage(row) || payload(row).imageEntity || payload(row).chart) break;
    total += size(payload(row));
    if (count === LIMITS.embedsPerMessage || (count > 0 && total > LIMITS.embedTotal)) break;
    count++;
  }
  return count;
}

/**
 * One HA message as an embed; `note` says why an image is missing (after the automation's
 * own footer). Further images go in embeds of their own (haMessageEmbeds).
 */
export function haMessageEmbed(
  m: HaMessage,
  image: { fileName: string } | undefined,
  note: string | undefined,
): APIEmbed {
  const e = m.embed;
  const embed = new EmbedBuilder()
    // The automation's own markdown is kept; only invisible control characters go.
    // A text of nothing but control characters still needs a description to be an embed.
    .setDescription(plain(m.text, LIMITS.description) || '\u200b')
    .setColor(m.color ?? DEFAULT_COLOR)
    .setTimestamp(new Date((e?.timestamp ?? m.at) * 1000));
  if (m.title) embed.setTitle(plain(m.title, LIMITS.title));
  if (image) embed.setImage(`attachment://${image.fileName}`);
  if (e?.url) embed.setURL(e.url);
  if (e?.thumbnail) embed.setThumbnail(e.thumbnail);
  if (e?.author) {
    embed.setAuthor({
      name: plain(e.author.name, LIMITS.title) || '\u200b',
      ...(e.author.url ? { url: e.author.url } : {}),
      ...(e.author.iconUrl ? { iconURL: e.author.iconUrl } : {}),
    });
  }
  if (e?.fields && e.fields.length > 0) {
    embed.setFields(
      e.fields.slice(0, LIMITS.fields).map((f) => ({
        name: plain(f.name, LIMITS.fieldName) || '\u200b',
        value: plain(f.value, LIMITS.fieldValue) || '\u200b',
        inline: f.inline,
      })),
    );
  }
  const footer = [e?.footer, note].filter((t) => t !== undefined && t !== '').join(' · ');
  if (footer) embed.setFooter({ text: plain(footer, LIMITS.footer) });
  return embed.toJSON();
}

/**
 * An embed per further image. Discord shows embeds sharing the first one's `url` as one
 * gallery; without a url each picture is an embed of its own under the message.
 */
function imageEmbed(m: HaMessage, fileName: string): APIEmbed {
  const embed: APIEmbed = { image: { url: `attachment://${fileName}` } };
  if (m.embed?.url) embed.url = m.embed.url;
  else embed.color = m.color ?? DEFAULT_COLOR;
  return embed;
}

interface Attached {
  fileName: string;
  image: HaImage;
}

/** HA messages from the head of the rows (fitHaMessages), their pictures fetched when sent. */
export function renderHaMessages(
  rows: readonly RowOf<'message' | 'tagged'>[],
  images: ImageSource,
  log: Logger,
  charts?: AlertCharts,
): RenderedMessage {
  const count = fitHaMessages(rows);
  const messages = rows.slice(0, count).map((r) => r.payload);
  // `delete: true` with a tag: the pump removes the tagged message; nothing is rendered.
  const remove = messages[0]?.remove === true;
  return { count, remove, request: () => haMessageRequest(messages, images, log, charts) };
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
  charts?: AlertCharts,
): Promise<MessageRequest> {
  const fetchOne = async (
    m: HaMessage,
    entityId: string,
    prefix: string,
  ): Promise<Attached | string> => {
    try {
      const image = await images.fetch(entityId);
      return { fileName: `${prefix}-${imageFileName(entityId, image.contentType)}`, image };
    } catch (error) {
      const reason = images.describe(entityId, error);
      log.warn(
        { entityId, contextId: m.contextId, reason },
        'could not get the image for a message from Home Assistant; posting it without',
      );
      return `${entityId}: ${reason}`;
    }
  };
  // Per message, per picture: the file, or why it could not be had.
  const fetched = await Promise.all(
    messages.map((m, i) =>
      Promise.all(
        imagesOf(m).map((id, j) => fetchOne(m, id, j === 0 ? `${i + 1}` : `${i + 1}-${j + 1}`)),
      ),
    ),
  );
  // A chart (fitHaMessages sends a message with one alone): the PNG, or why there is none.
  const charted = messages.findIndex((m) => m.chart !== undefined);
  const chart = await drawChart(messages[charted], charts);
  const body = (withPictures: boolean) => {
    const embeds = messages.flatMap((m, i) => {
      const got = fetched[i] ?? [];
      const attached = withPictures ? got.filter((g): g is Attached => typeof g === 'object') : [];
      const missing = got.flatMap((g) =>
        typeof g === 'string' ? [g] : withPictures ? [] : [NO_ATTACH_FILES],
      );
      const chartNote =
        i !== charted || chart === undefined
          ? undefined
          : typeof chart === 'string'
            ? `Chart not attached: ${chart}`
            : withPictures
              ? undefined
              : `Chart not attached: ${NO_ATTACH_FILES}`;
      const chartFile =
        i === charted && withPictures && typeof chart === 'object' ? CHART_FILE : undefined;
      // A footer is plain text: code marks would show as backticks.
      const note =
        missing.length === 0
          ? undefined
          : missing.length === 1 && got.length === 1
            ? `Image from ${m.imageEntity} could not be attached: ${missing[0]!.replace(/^[^:]+: /, '').replace(/`/g, '')}`
            : `${missing.length} of ${got.length} images could not be attached: ${[...new Set(missing)].join('; ').replace(/`/g, '')}`;
      const notes = [note, chartNote].filter((n) => n !== undefined).join(' · ') || undefined;
      // The chart is the embed's picture, or one more picture after the message's own.
      const main = attached[0] ?? (chartFile ? { fileName: chartFile } : undefined);
      return [
        haMessageEmbed(m, main, notes),
        ...attached.slice(1).map((a) => imageEmbed(m, a.fileName)),
        ...(chartFile && attached.length > 0 ? [imageEmbed(m, chartFile)] : []),
      ];
    });
    return { embeds, allowed_mentions: { parse: [] } };
  };
  const files: MessageFile[] = fetched
    .flat()
    .filter((f): f is Attached => typeof f === 'object')
    .map((f) => ({ name: f.fileName, data: f.image.data, contentType: f.image.contentType }));
  if (typeof chart === 'object')
    files.push({ name: CHART_FILE, data: chart.png, contentType: 'image/png' });
  if (files.length === 0) return { body: body(false) };
  return {
    body: body(true),
    files,
    withoutFiles: { body: body(false), log: { contextIds: messages.map((m) => m.contextId) } },
  };
}

const CHART_FILE = 'chart.png';

/** The chart an HA message asked for: the PNG, why there is none, or undefined (none asked). */
async function drawChart(
  m: HaMessage | undefined,
  charts: AlertCharts | undefined,
): Promise<{ png: Buffer } | string | undefined> {
  if (m?.chart === undefined) return undefined;
  if (charts === undefined) return 'charts are not available in this setup';
  const drawn = await charts.draw(
    m.chart.entities.map((id) => charts.entity(id)),
    m.chart.periodMs,
  );
  return drawn.ok ? { png: drawn.png } : drawn.why;
}
