/**
 * What every end-to-end file shares: the bot's settings against real HA and the fake Discord,
 * starting both, and the hooks that check Discord's rules after each test and stop everything
 * in order.
 */
import type { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { BotProcess } from '../../integration/harness.js';
import { baseBotEnv, fakeDiscord } from '../../integration/world.js';
import type { RealHa } from './real-ha.js';

/** The bot's environment: this HA (its owner's token) and this Discord, plus `extra`. */
export function botEnv(
  ha: RealHa,
  discord: FakeDiscord,
  extra: Record<string, string> = {},
): Record<string, string> {
  return baseBotEnv(ha, discord, extra);
}

/**
 * Starts the fake Discord and the bot against `ha` (settings: botEnv's, plus `extra`), and waits
 * until the bridge is ready and connected to HA. On a failure both are stopped before it throws.
 */
export async function startBridge(
  ha: RealHa,
  extra: Record<string, string> = {},
): Promise<{ discord: FakeDiscord; bot: BotProcess }> {
  const discord = fakeDiscord();
  await discord.start();
  const bot = BotProcess.start(botEnv(ha, discord, extra));
  try {
    await bot.waitForMilestone('bridge.ready', 30_000);
    await bot.waitForMilestone('ha.connected', 30_000);
  } catch (error) {
    await bot.stop('SIGKILL');
    await discord.stop();
    throw error;
  }
  return { discord, bot };
}

/** After each test: nothing the bot sent broke Discord's schema or deadline. After all: stop. */
export function endToEndHooks(
  parts: () => { bots: (BotProcess | undefined)[]; discord?: FakeDiscord; ha?: RealHa },
): void {
  afterAll(async () => {
    const { bots, discord, ha } = parts();
    for (const bot of bots) await bot?.stop();
    await discord?.stop();
    await ha?.stop();
  }, 60_000);
  afterEach(() => {
    const { discord } = parts();
    expect(discord?.schemaErrors).toEqual([]);
    expect(discord?.lateCallbacks).toEqual([]);
  });
}
