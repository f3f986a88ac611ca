import { Client, Events, GatewayIntentBits } from 'discord.js';

/**
 * The baseline for commands, start-up and memory: the smallest discord.js bot that answers
 * every slash command with a fixed embed. What it costs is discord.js plus the fakes' round
 * trip. Compiled to plain JavaScript and run with bare `node`, like the bot.
 */
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env.DISCORD_API_URL! },
});
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isChatInputCommand()) {
    void interaction.reply({ embeds: [{ title: 'Temperature', description: '21.5 °C' }] });
  }
});
client.once(Events.ClientReady, () =>
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: 'bridge ready' })}\n`),
);
process.on('SIGTERM', () => void client.destroy().then(() => process.exit(0)));
void client.login(process.env.DISCORD_TOKEN);
