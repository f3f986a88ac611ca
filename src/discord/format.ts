import { EmbedBuilder, escapeMarkdown, type APIEmbed } from 'discord.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { truncate } from '../entities/text.js';
import type { EntityState } from '../ha/types.js';

// Discord's embed limits.
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  attachmentDescription: 1024,
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
} as const;

const COLORS = {
  on: 0xf1c40f,
  off: 0x607d8b,
  unavailable: 0xe74c3c,
  neutral: 0x3498db,
  ok: 0x2ecc71,
} as const;

/** Text from HA or a user, made safe to show: no markdown tricks, no mentions, bounded. */
// Control characters and bidi overrides can hide or reorder what a reply says.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

export function safe(text: string, max: number): string {
  // escapeMarkdown takes quadratic time on text without spaces (50,000 characters: seconds),
  // and escaping only lengthens text: escape no more than can be shown.
  const cleaned = text.replace(UNSAFE_CHARS, '').slice(0, max + 1);
  const escaped = escapeMarkdown(cleaned, { heading: true, bulletedList: true })
    // escapeMarkdown's maskedLink escapes only the first of several links: escape every bracket.
    .replace(/[[\]]/g, '\\$&')
    // Line starts escapeMarkdown leaves (block quotes, subtext) or overdoes (its numbered
    // list escapes the dot of a state like "21.5").
    .replace(/^(\s*)(>|-#)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
    .replace(/@/g, '@\u200b');
  return truncate(escaped, max);
}

/** For places Discord shows as plain text (footers, menu labels): no markdown to escape. */
export function plain(text: string, max: number): string {
  return truncate(text.replace(UNSAFE_CHARS, ''), max);
}

/** Inline code: shown verbatim (no markdown inside), so only backticks need replacing. */
export function code(text: string, max: number): string {
  return `\`${plain(text.replace(/`/g, "'"), max)}\``;
}

export function relativeTime(epochSeconds: number): string {
  return `<t:${Math.floor(epochSeconds)}:R>`;
}

/** A reply about several entities: red when a call failed, else the neutral blue. */
export function groupColor(anyFailed: boolean): number {
  return anyFailed ? COLORS.unavailable : COLORS.neutral;
}

export function colorFor(state: string | undefined): number {
  if (state === undefined || state === 'unavailable' || state === 'unknown')
    return COLORS.unavailable;
  if (['on', 'open', 'unlocked', 'home', 'playing', 'heat', 'cool'].includes(state))
    return COLORS.on;
  if (['off', 'closed', 'locked', 'not_home', 'idle', 'paused', 'standby'].includes(state))
    return COLORS.off;
  return COLORS.neutral;
}

/** "21.5 °C", "on", "armed night" (HA's state words, without their underscores). */
export function stateText(state: EntityState): string {
  const unit = state.attributes.unit_of_measurement;
  const value = /^[a-z_]+$/.test(state.state) ? state.state.replace(/_/g, ' ') : state.state;
  return typeof unit === 'string' && unit !== '' ? `${value} ${unit}` : value;
}

/** The entity's picture when Discord can fetch it (an absolute https URL), else undefined. */
export function pictureOf(state: EntityState): string | undefined {
  const picture = state.attributes.entity_picture;
  return typeof picture === 'string' && /^https:\/\/[^\s]+$/.test(picture) && picture.length <= 2000
    ? picture
    : undefined;
}

// Attributes that are shown elsewhere in the embed or mean nothing to a person.
const HIDDEN_ATTRIBUTES = new Set([
  'friendly_name',
  'unit_of_measurement',
  'icon',
  'entity_picture',
  'supported_features',
  'supported_color_modes',
  'editable',
  'id',
  'restored',
  'attribution',
  'state_class',
  'options',
]);
/**
 * Attributes that carry a credential, e.g. a camera's `access_token` (which opens its
 * `/api/camera_proxy` to anyone holding it): never shown, whatever the entity.
 */
const SECRET_ATTRIBUTE = /token|password|secret|api_?key/i;
const MAX_ATTRIBUTES = 15;

function attributeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** Discord refuses a blank embed description or field (and the builder a blank title). */
function orDash(text: string): string {
  return text.trim() === '' ? '—' : text;
}

export function stateEmbed(entry: CatalogEntry, state: EntityState): APIEmbed {
  const embed = new EmbedBuilder()
    .setTitle(orDash(safe(entry.name, LIMITS.title)))
    .setColor(colorFor(state.state))
    .setDescription(orDash(safe(stateText(state), 1000)))
    .addFields(
      { name: 'Entity', value: `\`${entry.entityId}\``, inline: true },
      { name: 'Area', value: entry.areaName ? safe(entry.areaName, 200) : '—', inline: true },
      { name: 'Last changed', value: relativeTime(state.lastChanged), inline: true },
    );
  const picture = pictureOf(state);
  if (picture) embed.setThumbnail(picture);
  const attributes = Object.entries(state.attributes)
    .filter(
      ([key, value]) =>
        !HIDDEN_ATTRIBUTES.has(key) &&
        !SECRET_ATTRIBUTE.test(key) &&
        value !== null &&
        value !== undefined,
    )
    .slice(0, MAX_ATTRIBUTES);
  for (const [key, value] of attributes) {
    embed.addFields({
      name: orDash(safe(key.replace(/_/g, ' '), LIMITS.fieldName)),
      value: orDash(safe(attributeValue(value), LIMITS.fieldValue)),
      inline: true,
    });
  }
  return embed.toJSON();
}

/** A compact line for lists: "**Kitchen Light** `light.kitchen` — on". */
export function entityLine(entry: CatalogEntry, state: EntityState | undefined): string {
  const value = state ? safe(stateText(state), 100) : 'unknown';
  return `**${safe(entry.name, 100)}** \`${entry.entityId}\` — ${value}`;
}

export function areaEmbed(
  areaName: string,
  entries: readonly CatalogEntry[],
  stateOf: (id: string) => EntityState | undefined,
): APIEmbed {
  const lines = entries.map((e) => entityLine(e, stateOf(e.entityId)));
  return new EmbedBuilder()
    .setTitle(orDash(safe(areaName, LIMITS.title)))
    .setColor(COLORS.neutral)
    .setDescription(joinWithin(lines, LIMITS.description))
    .toJSON();
}

/** Joins lines, stopping (with a count of the rest) before `max` characters. */
export function joinWithin(lines: readonly string[], max: number): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const rest = lines.length - i;
    const more = `\n…and ${rest} more`;
    if (out.length + line.length + 1 + (rest > 1 ? more.length : 0) > max) return out + more;
    out += (out ? '\n' : '') + line;
  }
  return out;
}
