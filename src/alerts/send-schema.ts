import { z } from 'zod';
import { durationSchema } from '../time/duration.js';
import { postingShape, readPosting, type PostingRequest } from './send-posting.js';
import { actionFields, actionProblems, toActions, type Actions } from '../actions/schema.js';

/** The HA event an automation fires to post in Discord. */
export const DEFAULT_SEND_EVENT = 'discord_bridge_send';

/** The most entities one chart draws: here, below src/charts, as the send schema checks it too. */
export const MAX_CHART_ENTITIES = 5;

export const MESSAGE_MAX = 4000;
export const TITLE_MAX = 256;

/** Colour names an automation may use, in Discord's own palette. */
export const COLOR_NAMES: Readonly<Record<string, number>> = {
  red: 0xe74c3c,
  green: 0x2ecc71,
  orange: 0xe67e22,
  blue: 0x3498db,
  yellow: 0xf1c40f,
  purple: 0x9b59b6,
  grey: 0x95a5a6,
  gray: 0x95a5a6,
  white: 0xffffff,
};

const COLOR_HELP = `must be #rrggbb, a number from 0 to 16777215, [r, g, b] or one of ${Object.keys(
  COLOR_NAMES,
).join(', ')}`;

/** A colour as an automation writes it: `#ff8800`, `16746496`, `[255, 136, 0]` or `orange`. */
export function parseColor(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 0xffffff ? value : undefined;
  }
  if (Array.isArray(value)) {
    if (value.length !== 3) return undefined;
    if (!value.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 255))
      return undefined;
    const [r, g, b] = value as [number, number, number];
    return (r << 16) | (g << 8) | b;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  const hex = /^#([0-9a-f]{6})$/.exec(text);
  if (hex) return parseInt(hex[1]!, 16);
  // A template may render a number as text.
  if (/^\d{1,8}$/.test(text)) return parseColor(Number(text));
  return COLOR_NAMES[text];
}

/** Text from a template may arrive as a number (HA renders native types); that is fine. */
const text = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be text'),
  })
  .transform((v) => String(v).trim());

export interface SendSchemaOptions {
  /** Whether a (non-camera, non-image) entity has an `entity_picture` the bot could attach. */
  hasPicture: (entityId: string) => boolean;
}

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

/** A sent chart's period (default 24 h): a minute to a year, as /ha history's. */
const chartPeriod = durationSchema({
  objectForm: true,
  allowZero: false,
  max: { ms: 365 * 86_400_000, text: '365 days' },
}).refine((ms) => ms >= 60_000, 'must be at least a minute, e.g. 6h');

/**
 * The data of a `discord_bridge_send` event. Whether an `image_entity` has a picture is
 * checked after (parseSendEvent), against the bot's live copy of HA's states.
 */
export const sendEventSchema = z.object({
  message: text
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`),
    )
    // Required, except to delete a tagged message (checked in readPosting).
    .optional(),
  channel_id: z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      if (typeof v === 'number') {
        ctx.addIssue({
          code: 'custom',
          // A 17-20 digit number loses its last digits as a JSON number.
          message:
            "must be text: quote it in YAML (channel_id: '123456789012345678'), a number this long loses digits",
        });
        return z.NEVER;
      }
      return v.trim();
    })
    .pipe(z.string().regex(/^\d{17,20}$/, 'must be a Discord channel id (17-20 digits)'))
    .optional(),
  title: text
    .pipe(z.string().max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`))
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  color: z
    .unknown()
    .transform((v, ctx) => {
      const color = parseColor(v);
      if (color === undefined) {
        ctx.addIssue({ code: 'custom', message: COLOR_HELP });
        return z.NEVER;
      }
      return color;
    })
    .optional(),
  // Where and how it posts: user_id, thread_id, thread, tag, delete, embed parts, images.
  ...postingShape,
  // Buttons and a select menu (src/actions/schema.ts).
  ...actionFields,
  /** A chart of HA's history, drawn when the message goes out: {entities, period}. */
  chart: z
    .object({
      entities: z
        .union([z.string(), z.array(z.string())])
        .transform((v) => (Array.isArray(v) ? v : [v]).map((id) => id.trim()))
        .pipe(
          z
            .array(
              z.string().regex(ENTITY_ID, 'must be entity ids such as sensor.outdoor_temperature'),
            )
            .min(1, 'must name at least one entity')
            .max(MAX_CHART_ENTITIES, `must name at most ${MAX_CHART_ENTITIES} entities`),
        ),
      period: chartPeriod.default(86_400_000),
    })
    .strict()
    .optional(),
});

/** What an automation asked the bot to post. */
export interface SendRequest {
  message: string;
  channelId: string | undefined;
  title: string | undefined;
  color: number | undefined;
  imageEntity: string | undefined;
  /** Pictures after the first (image_entity given as a list). */
  moreImages: string[];
  posting: PostingRequest;
  /** Buttons or a select menu; undefined for a plain message. */
  actions: Actions | undefined;
  /** A chart of HA's history to attach, drawn when the message goes out. */
  chart: { entities: string[]; periodMs: number } | undefined;
}

export type SendParse =
  { ok: true; request: SendRequest; ignoredKeys: string[] } | { ok: false; problems: string[] };

/** Validates an event's data; every problem as "key: what is wrong", all at once. */
export function parseSendEvent(data: unknown, opts: SendSchemaOptions): SendParse {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: ['event data: must be a mapping with at least message'] };
  }
  const schema = sendEventSchema;
  // A template that renders nothing gives null (Python's None): the same as leaving it out.
  const input = Object.fromEntries(
    Object.entries(data as Record<string, unknown>).filter(([, v]) => v !== null),
  );
  const parsed = schema.safeParse(input);
  // Only a removal (`delete: true` with a tag) goes without a message.
  const removal = input.delete === true || input.delete === 'true' || input.delete === 'True';
  const missing = input.message === undefined && !removal ? ['message: is required'] : [];
  // A single image_entity is reported as itself, a list by position (image_entity.1).
  const single = !Array.isArray(input.image_entity);
  const where = (path: PropertyKey[]) =>
    (path[0] === 'image_entity' && single ? ['image_entity'] : path).join('.') || 'event data';
  if (!parsed.success) {
    return {
      ok: false,
      problems: [...missing, ...parsed.error.issues.map((i) => `${where(i.path)}: ${i.message}`)],
    };
  }
  if (missing.length > 0) return { ok: false, problems: missing };
  const actionIssues = actionProblems(parsed.data);
  if (actionIssues.length > 0) return { ok: false, problems: actionIssues };
  const known = new Set(Object.keys(schema.shape));
  const { message = '', channel_id, title, color, image_entity = [], chart } = parsed.data;
  const { problems, posting } = readPosting(parsed.data, channel_id, {
    messageLength: message.length,
    titleLength: title?.length ?? 0,
  });
  image_entity.forEach((id, i) => {
    if (!(id.startsWith('camera.') || id.startsWith('image.') || opts.hasPicture(id)))
      problems.push(
        `${where(['image_entity', i])}: must be a camera.* or image.* entity, or an entity with a picture (entity_picture)`,
      );
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    request: {
      message,
      channelId: channel_id,
      title,
      color,
      imageEntity: image_entity[0],
      moreImages: image_entity.slice(1),
      posting,
      actions: toActions(parsed.data),
      chart: chart && { entities: chart.entities, periodMs: chart.period },
    },
    ignoredKeys: Object.keys(input).filter((k) => !known.has(k)),
  };
}
