import { z } from 'zod';

/** An unset or blank variable is absent: `.env.example` ships every name with an empty value. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

/**
 * HEALTH_PORT and HEALTH_HOST, part of the bot's environment (schema.ts). Apart, so the
 * image's HEALTHCHECK, run every 30 s, reads them as the bot does without loading the rest.
 */
export const HealthEnvSchema = z.object({
  HEALTH_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  HEALTH_HOST: z.string().trim().min(1).default('127.0.0.1'),
});

export type HealthSettings = { port: number; host: string } | undefined;

/** The /livez, /readyz and /metrics endpoint's address; off (undefined) unless HEALTH_PORT is set. */
export function healthSettings(env: z.output<typeof HealthEnvSchema>): HealthSettings {
  return env.HEALTH_PORT === undefined
    ? undefined
    : { port: env.HEALTH_PORT, host: env.HEALTH_HOST };
}

/** HEALTH_PORT and HEALTH_HOST from `env`, or their problems ("NAME: what is wrong"). */
export function loadHealthSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; health: HealthSettings } | { ok: false; problems: string[] } {
  const parsed = HealthEnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, health: healthSettings(parsed.data) };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).sort(),
  };
}
