import { loadConfig } from '../../../src/config/load.js';

const valid = {
  DISCORD_TOKEN: 'discord-token-123456',
  DISCORD_ALERT_CHANNEL_ID: '223456789012345678',
  HA_URL: 'http://homeassistant.local:8123',
  HA_TOKEN: 'ha-token-abcdefgh',
};

function send(extra: Record<string, string>) {
  const result = loadConfig({ ...valid, ...extra });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config.send;
}

function problems(extra: Record<string, string>): string[] {
  const result = loadConfig({ ...valid, ...extra });
  return result.ok ? [] : result.problems;
}

describe('settings for posting from Home Assistant', () => {
  it('listens for discord_bridge_send and allows only the alert channel by default', () => {
    expect(send({})).toEqual({
      eventType: 'discord_bridge_send',
      channels: [],
      imageTimeoutMs: 10_000,
      users: [],
    });
    expect(send({ HA_SEND_CHANNELS: '' }).channels).toEqual([]);
  });

  it('takes channel ids, or any (also *) for any channel of the served server', () => {
    expect(send({ HA_SEND_CHANNELS: '123456789012345678, 223456789012345679' }).channels).toEqual([
      '123456789012345678',
      '223456789012345679',
    ]);
    expect(send({ HA_SEND_CHANNELS: 'any' }).channels).toBe('any');
    expect(send({ HA_SEND_CHANNELS: ' * ' }).channels).toBe('any');
    expect(problems({ HA_SEND_CHANNELS: 'general' })[0]).toMatch(
      /^HA_SEND_CHANNELS.*must be any, or Discord channel ids/,
    );
  });

  it('takes the users HA may send a direct message, by id', () => {
    expect(send({ HA_SEND_USERS: '123456789012345678 223456789012345679' }).users).toEqual([
      '123456789012345678',
      '223456789012345679',
    ]);
    expect(problems({ HA_SEND_USERS: 'alice' })[0]).toMatch(
      /^HA_SEND_USERS.*must be Discord user ids/,
    );
  });

  it('names another event type, or off', () => {
    expect(send({ HA_SEND_EVENT: 'my_discord_post' }).eventType).toBe('my_discord_post');
    expect(send({ HA_SEND_EVENT: 'off' }).eventType).toBeUndefined();
    expect(problems({ HA_SEND_EVENT: 'Post To Discord' })).toEqual([
      'HA_SEND_EVENT: must be an HA event type such as discord_bridge_send, or off',
    ]);
  });

  it('bounds how long an image may take', () => {
    expect(send({ HA_IMAGE_TIMEOUT_MS: '2500' }).imageTimeoutMs).toBe(2500);
    expect(problems({ HA_IMAGE_TIMEOUT_MS: '0' })[0]).toMatch(/^HA_IMAGE_TIMEOUT_MS/);
  });
});
