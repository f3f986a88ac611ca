import { z } from 'zod';
import { durationSchema } from '../time/duration.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');
const entityPattern = z
  .string()
  .regex(
    /^[a-z0-9_*?]+\.[a-z0-9_*?]+$/,
    'must be an entity id or glob such as binary_sensor.*_door',
  );
const oneOrMany = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** HA's forms ('00:10:00', {minutes: 10}, 600 seconds) and the short ones (30s, 1h30m). */
const duration = durationSchema();

/** The longest `chart:` of an alert: a small chart of the last hours (up to a week). */
export const MAX_ALERT_CHART_MS = 7 * 86_400_000;
const chartPeriod = durationSchema({
  allowZero: false,
  max: { ms: MAX_ALERT_CHART_MS, text: '7 days' },
}).refine((ms) => ms >= 60_000, 'must be at least a minute, e.g. 6h');

export const SEVERITIES = ['info', 'warning', 'critical'] as const;

/** One alert rule, as written in the YAML config file or made with /ha watch add. */
export const RuleSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    entities: z.array(entityPattern).optional(),
    domains: z.array(z.string().regex(/^[a-z0-9_]+$/)).optional(),
    areas: z.array(z.string().min(1)).optional(),
    /** Floors (HA 2024.4+) and labels by name, alias or id, as areas. */
    floors: z.array(z.string().min(1)).optional(),
    labels: z.array(z.string().min(1)).optional(),
    device_classes: z.array(z.string().min(1)).optional(),
    attribute: z.string().min(1).optional(),
    to: oneOrMany.optional(),
    from: oneOrMany.optional(),
    above: z.number().optional(),
    below: z.number().optional(),
    hysteresis: z.number().nonnegative().default(0),
    for: duration.optional(),
    cooldown: duration.default(0),
    include_unavailable: z.boolean().default(false),
    channel: snowflake.optional(),
    mention: z
      .object({ roles: z.array(snowflake).default([]), users: z.array(snowflake).default([]) })
      .default({ roles: [], users: [] }),
    template: z.string().min(1).max(1500).optional(),
    severity: z.enum(SEVERITIES).default('info'),
    edit_in_place: z.boolean().default(false),
    /** Numeric threshold rules: a chart of the entity's last hours with the alert, e.g. 6h. */
    chart: chartPeriod.optional(),
  })
  .strict()
  .refine((r) => r.entities || r.domains || r.areas || r.floors || r.labels || r.device_classes, {
    message: 'needs at least one of entities, domains, areas, floors, labels or device_classes',
    // Checked even when other fields are invalid, so every problem is listed at once.
    when: () => true,
  })
  .refine(
    (r) => r.above === undefined || r.below === undefined || r.above < r.below,
    'above must be lower than below (the alert fires between them)',
  )
  .refine((r) => r.chart === undefined || r.above !== undefined || r.below !== undefined, {
    message: 'chart is for numeric threshold rules: set above or below, or remove chart',
    path: ['chart'],
  })
  .refine((r) => r.chart === undefined || r.attribute === undefined, {
    message: "chart draws the entity's state, not an attribute: remove chart or attribute",
    path: ['chart'],
  })
  .refine((r) => r.chart === undefined || !r.edit_in_place, {
    message:
      'chart goes with posted alerts, not one edited in place: remove chart or edit_in_place',
    path: ['chart'],
  });

export type RuleInput = z.input<typeof RuleSchema>;
export type Rule = z.output<typeof RuleSchema>;
export type Severity = (typeof SEVERITIES)[number];
