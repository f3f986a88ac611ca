import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { messageOf, shownTexts } from './fuzz/checks.js';

/**
 * What the bot showed people in Discord: the texts of its messages, replies, edits and
 * follow-ups (contents, embeds, button and menu labels), without ids, nonces or custom ids,
 * where any short number can turn up by chance.
 */
export function textsShown(discord: FakeDiscord): string[] {
  return discord.requests.flatMap((r) => {
    const message = messageOf(r);
    return message ? shownTexts(message) : [];
  });
}

/**
 * Matches `digits` as a number of its own, not inside a longer one: a six-digit code is
 * found in "code 482913" but not in a snowflake, a timestamp or `<t:1748291300:f>`.
 */
export function wholeNumber(digits: string): RegExp {
  if (!/^\d+$/.test(digits)) throw new Error(`not digits: ${digits}`);
  return new RegExp(`(?<!\\d)${digits}(?!\\d)`);
}
