import { readFileSync } from 'node:fs';
import { ConfigSchema, type Config } from './schema.js';

export { describeProblems } from './problems.js';

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

type ReadFile = (path: string) => string;

const defaultReadFile: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * Validates the environment and returns every problem at once ("NAME: what is wrong"),
 * so a user fixes their .env in one pass instead of one restart per mistake.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  readFile: ReadFile = defaultReadFile,
): ConfigResult {
  const problems: string[] = [];
  const input: Record<string, string | undefined> = { ...env };
  const tokenFile = env.HA_TOKEN_FILE?.trim();
  if (tokenFile && env.HA_TOKEN?.trim()) {
    // One would silently win over the other: in Compose, a token left in .env over the
    // secret file, so rotating the file would change nothing.
    problems.push(
      'HA_TOKEN: set together with HA_TOKEN_FILE: set only one. With Docker Compose (which sets HA_TOKEN_FILE), leave HA_TOKEN empty in .env',
    );
  } else if (tokenFile) {
    try {
      input.HA_TOKEN = readFile(tokenFile).trim();
      if (input.HA_TOKEN === '') problems.push(`HA_TOKEN_FILE: ${tokenFile} is empty`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`HA_TOKEN_FILE: cannot read ${tokenFile} (${code})`);
    }
  }
  problems.push(...crossFieldProblems(input));
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || 'environment';
      problems.push(`${name}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success)
    return { ok: false, problems: [...new Set(problems)].sort() };
  return { ok: true, config: parsed.data };
}

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/** Rules between settings, checked even when single settings are invalid (zod would skip them). */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const supervisor = !blank(env.SUPERVISOR_TOKEN);
  if (blank(env.HA_TOKEN) && blank(env.HA_TOKEN_FILE) && !supervisor) {
    problems.push(
      'HA_TOKEN: is required (or HA_TOKEN_FILE): a long-lived access token from your HA profile -> Security',
    );
  }
  // Inside an add-on HA_URL defaults to the Supervisor's proxy, but only with its token.
  if (blank(env.HA_URL) && !(supervisor && blank(env.HA_TOKEN) && blank(env.HA_TOKEN_FILE))) {
    problems.push('HA_URL: is required, e.g. http://homeassistant.local:8123');
  }
  if (!blank(env.HA_TOKEN_ROTATE_DAYS) && blank(env.HA_TOKEN_FILE)) {
    problems.push(
      'HA_TOKEN_ROTATE_DAYS: needs HA_TOKEN_FILE: the bot writes each new token there (a file it may write)',
    );
  }
  if (!blank(env.ALERT_ENTITIES) && blank(env.DISCORD_ALERT_CHANNEL_ID)) {
    problems.push(
      'DISCORD_ALERT_CHANNEL_ID: is required when ALERT_ENTITIES is set: the channel alerts are posted to',
    );
  }
  return problems;
}
