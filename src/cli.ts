import { settingsOrExit } from './app/process.js';

/**
 * The Docker image's entry point: `docker run IMAGE` starts the bot, `docker run IMAGE doctor`
 * checks the setup, `docker run IMAGE deploy-commands` registers the slash commands.
 * The doctor and deploy-commands run themselves when imported.
 */
const COMMANDS: Record<string, () => Promise<unknown>> = {
  start: async () => (await import('./index.js')).startBridge(settingsOrExit(process.env)),
  doctor: () => import('./doctor.js'),
  'deploy-commands': () => import('./deploy-commands.js'),
};

const name = process.argv[2] ?? 'start';
const command = COMMANDS[name];
if (command === undefined) {
  process.stderr.write(
    `Unknown command '${name}'. Use one of: ${Object.keys(COMMANDS).join(', ')}.\n`,
  );
  process.exitCode = 2;
} else {
  await command();
}
