import { z } from 'zod';
import { durationSchema } from '../time/duration.js';

/**
 * read: state, list, camera, autocomplete. control: toggle/on/off/lock/… . watch: alert
 * watches and mutes. call: any HA service (`/ha call`). ask: HA Assist, which can itself
 * control devices. event: fire an HA event (`/ha event`).
 */
export const ACTIONS = ['read', 'control', 'watch', 'call', 'ask', 'event'] as const;
export type Action = (typeof ACTIONS)[number];

const entityPattern = z
  .string()
  .regex(/^[a-z0-9_*?]+\.[a-z0-9_*?]+$/, 'must be an entity id or glob such as lock.*');

/**
 * Where a grant or deny applies; absent means everywhere. Areas, floors (HA 2024.4+) and
 * labels by name, alias or id, in any case.
 */
const Scope = {
  entities: z.array(entityPattern).optional(),
  domains: z.array(z.string().regex(/^[a-z0-9_]+$/)).optional(),
  areas: z.array(z.string().min(1)).optional(),
  floors: z.array(z.string().min(1)).optional(),
  labels: z.array(z.string().min(1)).optional(),
};

const Who = {
  /** Role ids or role names (names compare case-insensitively). */
  roles: z.array(z.string().min(1)).default([]),
  users: z.array(z.string().regex(/^\d{17,20}$/, 'must be a Discord user id')).default([]),
  /** Everyone in a served guild. */
  everyone: z.boolean().default(false),
};

export const GrantSchema = z
  .object({ ...Who, allow: z.array(z.enum(ACTIONS)).min(1), ...Scope })
  .strict();

export const DenySchema = z
  .object({
    ...Scope,
    actions: z.array(z.enum(ACTIONS)).default(['control']),
    /** Roles or users the deny does not apply to. */
    except_roles: z.array(z.string().min(1)).default([]),
    except_users: z.array(z.string().regex(/^\d{17,20}$/)).default([]),
  })
  .strict();

/** An extra kind of action that needs a confirm button, beyond the built-in dangerous ones. */
export const ConfirmRuleSchema = z
  .object({
    ...Scope,
    /** Service names (`unlock`, `open_cover`); absent means every service. */
    services: z.array(z.string().regex(/^[a-z0-9_]+$/)).optional(),
  })
  .strict();

export const ConfirmSchema = z
  .object({
    /** How long the confirm button works; its "Expired" edit needs the 15-minute token. */
    timeout: durationSchema({
      allowZero: false,
      max: { ms: 15 * 60_000, text: '15 minutes (how long Discord lets the bot edit a reply)' },
    }).default(30_000),
    /** Locks (unlock, open), alarm panels (disarm) and garage doors or gates (open). */
    defaults: z.boolean().default(true),
    rules: z.array(ConfirmRuleSchema).default([]),
  })
  .strict();

/** The `access:` section of the config file. */
export const PolicySchema = z
  .object({
    /** Guilds the bot serves; others are ignored and logged. Empty: DISCORD_GUILD_ID, else all. */
    guilds: z.array(z.string().regex(/^\d{17,20}$/, 'must be a Discord server id')).default([]),
    grants: z.array(GrantSchema).default([]),
    deny: z.array(DenySchema).default([]),
    /** Users who may use the bot in direct messages (with their grants' user entries). */
    dm_users: z.array(z.string().regex(/^\d{17,20}$/)).default([]),
    /** Only entities HA exposes to its voice assistant (Settings -> Voice assistants -> Expose). */
    exposed_only: z.boolean().default(false),
    confirm: ConfirmSchema.prefault({}),
  })
  .strict();

export type Policy = z.output<typeof PolicySchema>;
export type Grant = z.output<typeof GrantSchema>;
export type ConfirmPolicy = z.output<typeof ConfirmSchema>;
