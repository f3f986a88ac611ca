import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { BotProcess } from './harness.js';
import { configFile, DISCORD_TOKEN, fakeDiscord, GUILD_ID, HOME_GUILD } from './world.js';

const deploy = (env: Record<string, string>) =>
  BotProcess.start(env, { entry: 'dist/deploy-commands.js' });

describe('npm run deploy-commands', () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = fakeDiscord();
    await discord.start();
  });
  afterAll(() => discord.stop());

  it('registers /ha in the guild, shown to whom the access policy in CONFIG_FILE says', async () => {
    const run = deploy({
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: GUILD_ID,
      // No grants: only server managers see /ha.
      CONFIG_FILE: configFile('access:\n  grants: []\n'),
    });
    expect((await run.exited).code).toBe(0);
    expect(run.output).toBe(`Registered /ha in guild ${GUILD_ID}.\n`);
    const [ha] = discord.commands.guild.get(GUILD_ID) ?? [];
    expect(ha).toMatchObject({ name: 'ha', default_member_permissions: '32' });
  });

  it('says what to set when DISCORD_TOKEN is missing', async () => {
    const run = deploy({ DISCORD_API_URL: discord.apiUrl });
    expect((await run.exited).code).toBe(1);
    expect(run.output).toContain('DISCORD_TOKEN');
    expect(run.output).toContain('.env');
  });

  it('says what is wrong in CONFIG_FILE', async () => {
    const run = deploy({
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      CONFIG_FILE: configFile('access:\n  grants:\n    - roles: [x]\n      allow: [fly]\n'),
    });
    expect((await run.exited).code).toBe(1);
    expect(run.output).toContain(':4: access.grants.0.allow.0');
  });

  it('says so when Discord rejects the token', async () => {
    const other = new FakeDiscord({ token: 'another-token', guilds: [HOME_GUILD] });
    await other.start();
    try {
      const run = deploy({ DISCORD_TOKEN, DISCORD_API_URL: other.apiUrl });
      expect((await run.exited).code).toBe(1);
      expect(run.output).toContain('Discord rejected DISCORD_TOKEN');
    } finally {
      await other.stop();
    }
  });
});
