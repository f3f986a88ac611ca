import { z } from 'zod';

/**
 * Where and how a `discord_bridge_send` message posts (issue 18): a DM, a thread, a tag kept
 * up to date in place, and the richer embed parts. Kept apart from the core keys
 * (send-schema.ts) so each capability's keys stay in one block.
 */

export const THREAD_NAME_MAX = 100;
export const TAG_MAX = 100;
export const FIELDS_MAX = 25;
export const FIELD_NAME_MAX = 256;
export const FIELD_VALUE_MAX = 1024;
export const FOOTER_MAX = 2048;
export const AUTHOR_MAX = 256;
/** Discord shows up to 4 images of one message as a gallery. */
export const IMAGES_MAX = 4;
/** Discord's limit on all of an embed's text together. */
export const EMBED_TOTAL_MAX = 6000;

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

const snowflake = (what: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      if (typeof v === 'number') {
        ctx.addIssue({
          code: 'custom',
          message: `must be text: quote it in YAML (${what}: '123456789012345678'), a number this long loses digits`,
        });
        return z.NEVER;
      }
      return v.trim();
    })
    .pipe(z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)'));

const str = (max: number) =>
  z
    .union([z.string(), z.number()], { error: 'must be text' })
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

const httpUrl = z
  .string({ error: 'must be a URL' })
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), 'must be an http(s) URL');

/** A time as HA templates give it: epoch seconds, or ISO 8601 text (`now().isoformat()`). */
const time = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const seconds = typeof v === 'number' ? v : Date.parse(v.trim()) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 8.64e12) {
    ctx.addIssue({
      code: 'custom',
      message: "must be a time: ISO 8601 text ('{{ now().isoformat() }}') or epoch seconds",
    });
    return z.NEVER;
  }
  return seconds;
});

const booleanish = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])], {
    error: 'must be true or false',
  })
  .transform((v) => v === true || v === 'true' || v === 'True');

const field = z.object(
  {
    name: str(FIELD_NAME_MAX),
    value: str(FIELD_VALUE_MAX),
    inline: booleanish.optional(),
  },
  { error: 'must be a mapping with name and value (and inline: true/false)' },
);

/** The keys of this block, parsed; merged into the event's schema by send-schema.ts. */
export const postingShape = {
  user_id: snowflake('user_id').optional(),
  thread_id: snowflake('thread_id').optional(),
  thread: str(THREAD_NAME_MAX).optional(),
  tag: str(TAG_MAX).optional(),
  delete: booleanish.optional(),
  url: httpUrl.optional(),
  thumbnail: httpUrl.optional(),
  footer: str(FOOTER_MAX).optional(),
  timestamp: time.optional(),
  author: z
    .union([
      str(AUTHOR_MAX).transform((name) => ({ name, url: undefined, icon_url: undefined })),
      z.object(
        { name: str(AUTHOR_MAX), url: httpUrl.optional(), icon_url: httpUrl.optional() },
        { error: 'must be text, or a mapping with name (and url, icon_url)' },
      ),
    ])
    .optional(),
  fields: z
    .array(field, { error: 'must be a list of {name, value, inline}' })
    .max(FIELDS_MAX, `must have at most ${FIELDS_MAX} fields (Discord's limit)`)
    .optional(),
  image_entity: z
    .union([z.string(), z.array(z.string())], {
      error: 'must be an entity id, or a list of them',
    })
    .transform((v) => (Array.isArray(v) ? v : [v]).map((s) => s.trim()))
    .pipe(
      z
        .array(z.string().regex(ENTITY_ID, 'must be an entity id such as camera.front_door'))
        .min(1, 'must not be an empty list')
        .max(IMAGES_MAX, `must have at most ${IMAGES_MAX} entities (Discord shows 4 images)`),
    )
    .optional(),
};

type PostingData = z.output<z.ZodObject<typeof postingShape>>;

/** Where a message goes, before the allow lists are checked. */
export type SendTarget =
  | { kind: 'channel'; channelId: string | undefined }
  | { kind: 'thread_id'; threadId: string }
  | { kind: 'thread'; channelId: string | undefined; name: string }
  | { kind: 'dm'; userId: string };

export interface PostingRequest {
  target: SendTarget;
  tag: string | undefined;
  remove: boolean;
  embed: {
    url?: string;
    thumbnail?: string;
    footer?: string;
    timestamp?: number;
    author?: { name: string; url?: string; iconUrl?: string };
    fields?: { name: string; value: string; inline: boolean }[];
  };
}

/**
 * The problems that need several keys at once (each as "key: what is wrong"), and the
 * request. `channelId` is the core `channel_id`; `message` its length (0 when absent).
 */
export function readPosting(
  d: PostingData,
  channelId: string | undefined,
  core: { messageLength: number; titleLength: number },
): { problems: string[]; posting: PostingRequest } {
  const problems: string[] = [];
  const targets = [
    d.user_id !== undefined && 'user_id',
    d.thread_id !== undefined && 'thread_id',
    d.thread !== undefined && 'thread',
  ].filter((k): k is string => k !== false);
  if (targets.length > 1) {
    problems.push(`${targets.join(', ')}: give one of them (where the message goes)`);
  }
  if (channelId !== undefined && (d.user_id !== undefined || d.thread_id !== undefined)) {
    problems.push(
      `channel_id: not with ${d.user_id !== undefined ? 'user_id' : 'thread_id'} (it names the whole destination)`,
    );
  }
  const remove = d.delete === true;
  if (remove && d.tag === undefined) {
    problems.push('delete: needs tag (the message to remove is the one posted with that tag)');
  }
  const fieldsLength = (d.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  const total =
    core.messageLength +
    core.titleLength +
    fieldsLength +
    (d.footer?.length ?? 0) +
    (d.author?.name.length ?? 0);
  if (total > EMBED_TOTAL_MAX) {
    problems.push(
      `event data: message, title, fields, footer and author together are ${total} characters; Discord allows ${EMBED_TOTAL_MAX} in one embed`,
    );
  }
  const target: SendTarget =
    d.user_id !== undefined
      ? { kind: 'dm', userId: d.user_id }
      : d.thread_id !== undefined
        ? { kind: 'thread_id', threadId: d.thread_id }
        : d.thread !== undefined
          ? { kind: 'thread', channelId, name: d.thread }
          : { kind: 'channel', channelId };
  const embed: PostingRequest['embed'] = {};
  if (d.url !== undefined) embed.url = d.url;
  if (d.thumbnail !== undefined) embed.thumbnail = d.thumbnail;
  if (d.footer !== undefined) embed.footer = d.footer;
  if (d.timestamp !== undefined) embed.timestamp = d.timestamp;
  if (d.author !== undefined) {
    embed.author = { name: d.author.name };
    if (d.author.url !== undefined) embed.author.url = d.author.url;
    if (d.author.icon_url !== undefined) embed.author.iconUrl = d.author.icon_url;
  }
  if (d.fields !== undefined) {
    embed.fields = d.fields.map((f) => ({
      name: f.name,
      value: f.value,
      inline: f.inline ?? false,
    }));
  }
  return { problems, posting: { target, tag: d.tag, remove, embed } };
}
