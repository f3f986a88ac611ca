import 'dotenv/config';
import { customCommands } from './commands/custom/declare.js';
import { commandVisibility } from './commands/registry.js';
import { describeProblems } from './config/load.js';
import { loadCommandSettings } from './config/settings.js';
import { describeLoginError } from './discord/client.js';
import { deployCommandsOnce } from './discord/interactions/deploy.js';

/**
 * `npm run deploy-commands`: registers the slash commands without starting the bot. Needs
 * only DISCORD_TOKEN (and DISCORD_GUILD_ID / DISCORD_API_URL / CONFIG_FILE when set).
 */
async function main(): Promise<void> {
  const loaded = loadCommandSettings(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${describeProblems(loaded.problems)}\n`);
    process.exit(1);
  }
  const { discord, live } = loaded.settings;
  try {
    // Who sees /ha follows the access policy, as when the bot registers it itself.
    await deployCommandsOnce({
      ...discord,
      visibility: commandVisibility(live.policy),
      custom: customCommands(live.commands),
    });
    process.stdout.write(
      discord.guildId
        ? `Registered /ha in guild ${discord.guildId}.\n`
        : 'Registered /ha globally (Discord can take up to an hour to show it everywhere).\n',
    );
  } catch (error) {
    process.stderr.write(`${describeLoginError(error)}\n`);
    process.exit(1);
  }
}

void main();
