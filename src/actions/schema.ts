import { z } from 'zod';
import { durationSchema } from '../time/duration.js';

/**
 * The actionable part of a `discord_bridge_send` event: buttons, a select menu, what the
 * message does after a press and when its buttons stop working. Its own block of fields,
 * merged into the send schema (src/alerts/send-schema.ts) as they are.
 */

/** What an automation's `wait_for_trigger` matches on: letters, digits and `_ . : -`. */
const ACTION_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** At most 5 rows of 5 buttons; a select menu takes a row of its own. */
export const MAX_BUTTONS = 25;
export const MAX_OPTIONS = 25;
/** Longest `expires`: Discord keeps a message forever, but a press a month later is a mistake. */
const MAX_EXPIRES = { ms: 30 * 86_400_000, text: '30 days' };

export const BUTTON_STYLES = ['primary', 'secondary', 'success', 'danger'] as const;
export type ButtonStyleName = (typeof BUTTON_STYLES)[number];
export const ON_PRESS = ['disable', 'remove', 'keep'] as const;
export type OnPress = (typeof ON_PRESS)[number];

const text = (max: number, what = 'text') =>
  z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`),
    })
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

const actionId = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
  .trim()
  .regex(ACTION_ID, 'must be 1-64 letters, digits or _ . : - (e.g. open_gate)');

/** A unicode emoji (a few characters) or a server emoji written `<:name:id>`. */
const emoji = z
  .string()
  .trim()
  .refine(
    (e) => /^<a?:\w{2,32}:\d{17,20}>$/.test(e) || (e.length <= 16 && !/[\w\s]/.test(e)),
    'must be one emoji such as 🚪, or a server emoji written <:name:id>',
  );

/** Snowflakes given as numbers lose digits: accept only text. */
const ids = (what: string) =>
  z
    .array(
      z
        .string({ error: `must be quoted ${what} ids (a number this long loses digits)` })
        .trim()
        .regex(/^\d{17,20}$/, `must be Discord ${what} ids (17-20 digits)`),
    )
    .max(50, 'at most 50');
/** Roles by id or by name (as the access policy takes them). */
const roles = z.array(z.string().trim().min(1).max(100)).max(50, 'at most 50');

const who = { roles: roles.optional(), users: ids('user').optional() };

const ask = z
  .object(
    {
      label: text(45),
      placeholder: text(100).optional(),
      required: z.boolean({ error: 'must be true or false' }).default(true),
    },
    {
      error: (i) =>
        i.code === 'invalid_type'
          ? 'must be a mapping with label (and optionally placeholder, required)'
          : undefined,
    },
  )
  .strict();

const buttonSchema = z
  .object(
    {
      label: text(80),
      action: actionId.optional(),
      style: z
        .enum(BUTTON_STYLES, { error: `must be one of ${BUTTON_STYLES.join(', ')}` })
        .optional(),
      emoji: emoji.optional(),
      url: z
        .string()
        .trim()
        .max(512, 'must be at most 512 characters')
        .regex(/^https?:\/\/\S+$/, 'must be an http(s) link')
        .optional(),
      confirm: z.boolean({ error: 'must be true or false' }).optional(),
      ask: ask.optional(),
      ...who,
    },
    {
      error: (i) =>
        i.code === 'invalid_type' ? 'must be a mapping with label and action (or url)' : undefined,
    },
  )
  .strict()
  .superRefine((b, ctx) => {
    if (b.url !== undefined) {
      for (const key of ['action', 'confirm', 'ask', 'roles', 'users', 'style'] as const)
        if (b[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'a link button (url) only opens the link: leave this out',
          });
    } else if (b.action === undefined) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'is required (or give url)' });
    }
    if (b.ask && b.confirm)
      ctx.addIssue({
        code: 'custom',
        path: ['confirm'],
        message: 'a button that asks for text is already a second step: leave confirm out',
      });
  });

const optionSchema = z
  .object(
    {
      label: text(100),
      value: text(100),
      description: text(100).optional(),
      emoji: emoji.optional(),
    },
    {
      error: (i) =>
        i.code === 'invalid_type' ? 'must be a mapping with label and value' : undefined,
    },
  )
  .strict();

const selectSchema = z
  .object(
    {
      action: actionId,
      placeholder: text(150).optional(),
      options: z
        .array(optionSchema, { error: 'must be a list of options' })
        .min(1, 'needs at least one option')
        .max(MAX_OPTIONS, `at most ${MAX_OPTIONS} options`)
        .superRefine((options, ctx) => {
          const seen = new Set<string>();
          options.forEach((o, i) => {
            if (seen.has(o.value))
              ctx.addIssue({ code: 'custom', path: [i, 'value'], message: 'is used twice' });
            seen.add(o.value);
          });
        }),
      ...who,
    },
    {
      error: (i) =>
        i.code === 'invalid_type' ? 'must be a mapping with action and options' : undefined,
    },
  )
  .strict();

/** The fields; spread into the send event's schema. */
export const actionFields = {
  buttons: z
    .array(buttonSchema, { error: 'must be a list of buttons' })
    .min(1, 'needs at least one button (or leave buttons out)')
    .max(MAX_BUTTONS, `at most ${MAX_BUTTONS} buttons`)
    .optional(),
  select: selectSchema.optional(),
  on_press: z.enum(ON_PRESS, { error: `must be one of ${ON_PRESS.join(', ')}` }).optional(),
  expires: durationSchema({ allowZero: false, max: MAX_EXPIRES }).optional(),
};

export type ButtonInput = z.output<typeof buttonSchema>;
export type SelectInput = z.output<typeof selectSchema>;

/** Who may press, beyond the access policy's default. */
export interface Who {
  roles?: string[];
  users?: string[];
}

/** One button as stored: what a press does. */
export interface ActionButton extends Who {
  label: string;
  /** Absent for a link button. */
  action?: string;
  style?: ButtonStyleName;
  emoji?: string;
  url?: string;
  confirm?: boolean;
  ask?: { label: string; placeholder?: string; required: boolean };
}

export interface ActionSelect extends Who {
  action: string;
  placeholder?: string;
  options: { label: string; value: string; description?: string; emoji?: string }[];
}

/** The actionable part of one message, as stored and rendered. */
export interface Actions {
  buttons: ActionButton[];
  select: ActionSelect | undefined;
  onPress: OnPress;
  /** Milliseconds after sending when presses stop working; undefined: never. */
  expiresMs: number | undefined;
}

type Parsed = {
  buttons?: ButtonInput[] | undefined;
  select?: SelectInput | undefined;
  on_press?: OnPress | undefined;
  expires?: number | undefined;
};

/** The parsed fields as Actions, or undefined when the event has neither buttons nor select. */
export function toActions(p: Parsed): Actions | undefined {
  if (p.buttons === undefined && p.select === undefined) return undefined;
  return {
    buttons: (p.buttons ?? []).map(strip),
    select: p.select && strip(p.select),
    onPress: p.on_press ?? 'disable',
    expiresMs: p.expires,
  };
}

/** A row of buttons holds 5; with a select menu, one row fewer. */
export function actionProblems(p: Parsed): string[] {
  const max = p.select ? MAX_BUTTONS - 5 : MAX_BUTTONS;
  if ((p.buttons?.length ?? 0) > max)
    return [`buttons: at most ${max} buttons beside a select menu (Discord shows 5 rows)`];
  if ((p.on_press !== undefined || p.expires !== undefined) && !p.buttons && !p.select)
    return ['on_press, expires: only for a message with buttons or select'];
  return [];
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
