import { EventEmitter } from 'node:events';
import type { Client } from 'discord.js';
import { CustomCommandsSchema } from '../../../../src/config/custom-commands.js';
import { LiveConfig, liveSettings } from '../../../../src/config/live.js';
import { commandRegistration } from '../../../../src/discord/interactions/command-registration.js';
import { createLogger } from '../../../../src/logging/logger.js';
import { DEFAULT_POLICY } from '../../../../src/policy/decide.js';

const log = createLogger({ level: 'silent', secrets: [] });

/** Enough of discord.js's client: its events, whether it is ready, and the command bulk-set. */
function fakeClient() {
  const emitter = new EventEmitter();
  const registered: unknown[][] = [];
  let ready = false;
  const client = Object.assign(emitter, {
    isReady: () => ready,
    user: { tag: 'bot#0001' },
    application: {
      commands: {
        set: (body: unknown[]) => {
          registered.push(body);
          return Promise.resolve();
        },
      },
    },
  });
  return {
    client: client as unknown as Client,
    registered,
    becomeReady: () => {
      ready = true;
      emitter.emit('clientReady', client);
    },
  };
}

const withPolicy = (policy: Partial<typeof DEFAULT_POLICY>) =>
  liveSettings({ alerts: { rules: [] }, access: { ...DEFAULT_POLICY, ...policy } });
const permissionsOf = (body: unknown[] | undefined) =>
  (body?.[0] as { default_member_permissions?: string | null }).default_member_permissions;

/** Registration started with no config file, then the client ready: the first one is done. */
async function startedAndReady() {
  const { client, registered, becomeReady } = fakeClient();
  const live = new LiveConfig(liveSettings(undefined));
  const f = commandRegistration({ client, guildId: undefined, live, log, onRegistered() {} });
  await f.start();
  becomeReady();
  await new Promise((r) => setImmediate(r));
  return { live, registered, f };
}

describe('command registration', () => {
  it('registers on the first READY with the policy then in force', async () => {
    const { client, registered, becomeReady } = fakeClient();
    const live = new LiveConfig(liveSettings(undefined));
    const ready: string[] = [];
    const f = commandRegistration({
      client,
      guildId: undefined,
      live,
      log,
      onRegistered: (c) => void ready.push(c.user.tag),
    });
    await f.start();
    live.publish(withPolicy({ grants: [] }));
    expect(registered).toHaveLength(0); // not ready yet: nothing to register with
    becomeReady();
    await new Promise((r) => setImmediate(r));
    expect(registered).toHaveLength(1);
    expect(permissionsOf(registered[0])).toBe('32');
    expect(ready).toEqual(['bot#0001']);
    await f.stop();
  });

  it('registers again when a reload changes the custom commands, with them beside /ha', async () => {
    const { live, registered, f } = await startedAndReady();
    const goodnight = { name: 'goodnight', description: 'Night', event: 'discord_night' };
    const withCommands = (commands: unknown[]) =>
      liveSettings({ alerts: { rules: [] }, commands: CustomCommandsSchema.parse(commands) });
    live.publish(withCommands([goodnight]));
    live.publish(withCommands([goodnight])); // the same section: nothing to register
    expect(registered.map((body) => body.map((c) => (c as { name: string }).name))).toEqual([
      ['ha'],
      ['ha', 'goodnight'],
    ]);
    await f.stop();
  });

  it('registers again after a reload only when who sees /ha changes, until stopped', async () => {
    const { live, registered, f } = await startedAndReady();
    expect(registered).toHaveLength(1);
    live.publish(withPolicy({ exposed_only: true })); // the same visibility
    expect(registered).toHaveLength(1);
    live.publish(withPolicy({ grants: [] }));
    expect(registered).toHaveLength(2);
    await f.stop();
    live.publish(liveSettings(undefined));
    expect(registered).toHaveLength(2);
  });
});
