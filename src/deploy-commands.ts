import 'dotenv/config';
import { REST, Routes, type APIApplication } from 'discord.js';
import { customCommands } from './commands/custom/declare.js';
import { buildCommands, commandVisibility, subcommands } from './commands/registry.js';
import { loadConfigFile } from './config/file.js';
import { describeLoginError } from './discord/client.js';
import { DEFAULT_POLICY } from './policy/decide.js';

/**
 * `npm run deploy-commands`: registers the slash commands without starting the bot. Needs
 * only DISCORD_TOKEN (and DISCORD_GUILD_ID / DISCORD_API_URL when set).
 */
async function main(): Promise<void> {
  const token = process.env.DISCORD_TOKEN?.trim();
  if (!token) {
    process.stderr.write('DISCORD_TOKEN is required: set it in .env (see .env.example).\n');
    process.exit(1);
  }
  const guildId = process.env.DISCORD_GUILD_ID?.trim() || undefined;
  const api = process.env.DISCORD_API_URL?.trim();
  // Who sees /ha follows the access policy, as when the bot registers it itself.
  const configFile = process.env.CONFIG_FILE?.trim();
  const file = configFile ? loadConfigFile(configFile) : undefined;
  if (file && !file.ok) {
    process.stderr.write(`${file.problems.join('\n')}\n`);
    process.exit(1);
  }
  const visibility = commandVisibility(file?.file.access ?? DEFAULT_POLICY);
  const rest = new REST({ version: '10', ...(api ? { api } : {}) }).setToken(token);
  try {
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    const custom = customCommands(file?.file.commands ?? []);
    const body = buildCommands([...subcommands, ...custom], visibility);
    const route = guildId
      ? Routes.applicationGuildCommands(app.id, guildId)
      : Routes.applicationCommands(app.id);
    await rest.put(route, { body });
    process.stdout.write(
      guildId
        ? `Registered /ha in guild ${guildId}.\n`
        : 'Registered /ha globally (Discord can take up to an hour to show it everywhere).\n',
    );
  } catch (error) {
    process.stderr.write(`${describeLoginError(error)}\n`);
    process.exit(1);
  }
}

void main();
