import { z } from 'zod';
import { ACTIONS } from '../policy/schema.js';
import { reservedEvent } from './reserved-events.js';

/**
 * The schema of the config's `commands:` section (custom slash commands beside `/ha`). It lives
 * here, below src/commands, because the config file is parsed with it; src/commands/custom
 * turns the parsed section into commands.
 */

/** The bot's own slash command: `/ha <subcommand>`. Custom commands stand beside it. */
export const ROOT_COMMAND = 'ha';

/**
 * Discord's rule for command and option names (letters of any script, digits, - and _),
 * lower case where a letter has a lower case.
 */
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
const name = (what: string) =>
  z
    .string({ error: `is required: the ${what} people type, e.g. goodnight` })
    .refine(
      (v) => NAME.test(v),
      `must be 1-32 letters, digits, - or _ (no spaces), as Discord requires for a ${what}`,
    )
    .refine((v) => v === v.toLowerCase(), 'must be lower case, as Discord requires');
const description = z
  .string({ error: 'is required: what Discord shows under the name (1-100 characters)' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters (Discord shows no more)');
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');

/** Run a cross-field check even when a field failed (zod skips it otherwise). */
const ALWAYS = { when: () => true };

export const OPTION_TYPES = ['string', 'integer', 'number', 'boolean', 'entity'] as const;

const choiceName = z.string().trim().min(1).max(100, 'must be at most 100 characters');
/** `[kitchen, bedroom]` or `[{name: Kitchen, value: kitchen}]`. */
const ChoiceSchema = z.union([
  z.string().trim().min(1).max(100, 'must be at most 100 characters'),
  z.number(),
  z.object({ name: choiceName, value: z.union([z.string().min(1).max(100), z.number()]) }).strict(),
]);

export const CustomOptionSchema = z
  .object({
    name: name('option name'),
    description,
    type: z.enum(OPTION_TYPES, {
      error: `must be one of ${OPTION_TYPES.join(', ')}`,
    }),
    required: z.boolean().default(false),
    choices: z.array(ChoiceSchema).min(1).max(25, 'at most 25 (Discord shows no more)').optional(),
    /** `entity` options: only entities of these domains are offered and accepted. */
    domains: z
      .array(z.string().regex(/^[a-z0-9_]+$/, 'must be an HA domain such as light'))
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.choices !== undefined) {
      if (o.type === 'boolean' || o.type === 'entity')
        ctx.addIssue({
          code: 'custom',
          path: ['choices'],
          message: `an option of type ${o.type} takes no choices`,
        });
      o.choices.forEach((c, i) => {
        const value = typeof c === 'object' ? c.value : c;
        const wanted = o.type === 'string' ? 'string' : 'number';
        const fits = typeof value === wanted && (o.type !== 'integer' || Number.isInteger(value));
        if (!fits && (o.type === 'string' || o.type === 'integer' || o.type === 'number'))
          ctx.addIssue({
            code: 'custom',
            path: ['choices', i],
            message: `must be ${o.type === 'string' ? 'a text' : o.type === 'integer' ? 'a whole number' : 'a number'}, as the option's type is ${o.type}`,
          });
      });
    }
    if (o.domains !== undefined && o.type !== 'entity')
      ctx.addIssue({
        code: 'custom',
        path: ['domains'],
        message: 'only an option of type entity takes domains',
      });
  });

/**
 * One custom slash command (`commands:` in CONFIG_FILE): `/goodnight`, `/where who:`. It
 * runs an HA script with its options as variables and shows the script's response, or
 * fires an HA event for automations. Who may use it: the policy's `action` (default
 * control), or only the `roles` and `users` listed.
 */
export const CustomCommandSchema = z
  .object({
    name: name('command name'),
    description,
    options: z
      .array(CustomOptionSchema)
      .max(25, 'at most 25 options (Discord allows no more)')
      .default([]),
    /** `script.goodnight` (or `goodnight`): called with the options as variables. */
    script: z
      .string()
      .trim()
      .regex(/^(script\.)?[a-z0-9_]+$/, 'must be a script id such as script.goodnight')
      .transform((v) => v.replace(/^script\./, ''))
      .optional(),
    /** An HA event type fired with the options, who asked and where. */
    event: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,64}$/, 'must be an HA event type such as discord_goodnight')
      .refine(
        (v) => !reservedEvent(v, []),
        'is an event Home Assistant (or this bot) fires itself: pick a name of your own, e.g. discord_goodnight',
      )
      .optional(),
    action: z.enum(ACTIONS, { error: `must be one of ${ACTIONS.join(', ')}` }).optional(),
    roles: z.array(z.string().min(1)).min(1).optional(),
    users: z.array(snowflake).min(1).optional(),
    /** Ask for a private confirm button first. */
    confirm: z.boolean().default(false),
  })
  .strict()
  // Checked even when a field is invalid (`when`), so every problem is listed at once: the
  // value may then be partly invalid, hence the guards.
  .superRefine((c, ctx) => {
    if (typeof c !== 'object' || c === null) return;
    const label = typeof c.name === 'string' ? `command '${c.name}'` : 'a command';
    if ((c.script === undefined) === (c.event === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `${label} needs exactly one of script: (an HA script to run) or event: (an HA event to fire)`,
      });
    if (c.action !== undefined && (c.roles !== undefined || c.users !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message:
          'set either action: (the access policy decides) or roles:/users: (only they may use it), not both',
      });
    const seen = new Set<string>();
    let optionalSeen = false;
    (Array.isArray(c.options) ? c.options : []).forEach((o: Partial<CustomOptionConfig>, i) => {
      if (typeof o !== 'object' || o === null) return;
      if (typeof o.name === 'string' && seen.has(o.name))
        ctx.addIssue({
          code: 'custom',
          path: ['options', i, 'name'],
          message: `duplicate option name '${o.name}'`,
        });
      if (typeof o.name === 'string') seen.add(o.name);
      if (o.required === true && optionalSeen)
        ctx.addIssue({
          code: 'custom',
          path: ['options', i, 'required'],
          message: 'a required option must come before every optional one (Discord requires it)',
        });
      if (o.required !== true) optionalSeen = true;
    });
  }, ALWAYS);

export type CustomCommandConfig = z.output<typeof CustomCommandSchema>;
export type CustomOptionConfig = z.output<typeof CustomOptionSchema>;

/** The `commands:` section: names unique, none taken by the bot's own `/ha`. */
export const CustomCommandsSchema = z
  .array(CustomCommandSchema)
  .max(50, 'at most 50 custom commands')
  .superRefine((list, ctx) => {
    if (!Array.isArray(list)) return;
    const seen = new Set<string>();
    list.forEach((c: Partial<CustomCommandConfig>, i) => {
      if (typeof c !== 'object' || c === null || typeof c.name !== 'string') return;
      if (c.name === ROOT_COMMAND)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `'${ROOT_COMMAND}' is the bot's own command: pick another name`,
        });
      else if (seen.has(c.name))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `duplicate command name '${c.name}'`,
        });
      seen.add(c.name);
    });
  }, ALWAYS);

/** Whether two `commands:` sections declare the same (else they are registered again). */
export const sameCustomCommands = (
  a: readonly CustomCommandConfig[],
  b: readonly CustomCommandConfig[],
): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
