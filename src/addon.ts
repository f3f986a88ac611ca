import { readFileSync } from 'node:fs';
import { ADDON_FIX, addonEnv, inAddonTerms } from './config/addon-options.js';
import { settingsOrExit } from './app/process.js';
import { describeProblems } from './config/load.js';

/**
 * The Home Assistant add-on's entry point (addon/run.sh): turns the options the user set in
 * the add-on's Configuration tab (/data/options.json) into the bot's environment, then
 * starts the bot (`doctor` as the first argument runs the doctor instead). The Supervisor
 * provides SUPERVISOR_TOKEN, so the bot reaches HA through it without a long-lived token.
 */
const file = process.env.ADDON_OPTIONS_FILE ?? '/data/options.json';
let options: unknown;
try {
  options = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stderr.write(
    `Cannot read the add-on options at ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).\n`,
  );
  process.exit(1);
}
const mapped = addonEnv(options);
if (!mapped.ok) {
  process.stderr.write(`${describeProblems(mapped.problems, ADDON_FIX)}\n`);
  process.exit(1);
}
// A variable already in the environment wins (tests, or an advanced override).
for (const [name, value] of Object.entries(mapped.env)) {
  if (!process.env[name]?.trim()) process.env[name] = value;
}
if (process.argv[2] === 'doctor') {
  await import('./doctor.js');
} else {
  // Loaded once, here: the bot would say "fix .env"; an add-on user fixes options, so name
  // them. A .env fills only what the options leave unset, as for the bot itself.
  await import('dotenv/config');
  const settings = settingsOrExit(process.env, (failure) =>
    failure.source === 'environment'
      ? describeProblems(failure.problems.map(inAddonTerms), ADDON_FIX)
      : describeProblems(failure.problems),
  );
  const { startBridge } = await import('./index.js');
  await startBridge(settings);
}
