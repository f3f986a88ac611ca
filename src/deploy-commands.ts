import 'dotenv/config';
import { REST, Routes, type APIApplication } from 'discord.js';
import { buildCommands } from './commands/registry.js';
import { describeLoginError } from './discord/client.js';

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
  const rest = new REST({ version: '10', ...(api ? { api } : {}) }).setToken(token);
  try {
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    const body = buildCommands();
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
