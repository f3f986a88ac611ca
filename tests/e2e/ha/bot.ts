/**
 * What every end-to-end file shares: the bot's settings against real HA and the fake Discord,
 * and the hooks that check Discord's rules after each test and stop everything in order.
 */
import type { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import type { BotProcess } from '../../integration/harness.js';
import { baseBotEnv } from '../../integration/world.js';
import type { RealHa } from './real-ha.js';

/** The bot's environment: this HA (its owner's token) and this Discord, plus `extra`. */
export function botEnv(
  ha: RealHa,
  discord: FakeDiscord,
  extra: Record<string, string> = {},
): Record<string, string> {
  return baseBotEnv(ha, discord, extra);
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
