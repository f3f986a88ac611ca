import { jest } from '@jest/globals';
import type { AlertService } from '../../../src/alerts/alert-service.js';
import {
  alerts,
  haSends,
  listeners,
  policyFollowers,
  reloadOnSighup,
} from '../../../src/app/features.js';
import { LiveConfig, liveSettings } from '../../../src/config/live.js';
import type { HaClient } from '../../../src/ha/client.js';
import { createLogger } from '../../../src/logging/logger.js';
import { DEFAULT_POLICY } from '../../../src/policy/decide.js';

const log = createLogger({ level: 'silent', secrets: [] });

/** HA's listener registration, counting who still listens. */
function fakeHa() {
  const listening = new Set<object>();
  const add = () => {
    const token = {};
    listening.add(token);
    return () => void listening.delete(token);
  };
  return {
    listening,
    onStatus: add,
    onEvent: add,
    setLoadExposure: jest.fn(),
  } as unknown as Pick<HaClient, 'onStatus' | 'onEvent' | 'setLoadExposure'> & {
    listening: Set<object>;
    setLoadExposure: jest.Mock;
  };
}

const exposedOnly = liveSettings({
  alerts: { rules: [] },
  access: { ...DEFAULT_POLICY, exposed_only: true },
});

describe('features release what they attach', () => {
  it('alerts: HA status, HA restarts and the live rules', async () => {
    const ha = fakeHa();
    const live = new LiveConfig(liveSettings(undefined));
    const service = { stop: jest.fn(), setConfiguredRules: jest.fn() };
    const f = alerts({ ha, alerts: service as unknown as AlertService, live, envRules: [] });
    await f.start();
    expect(ha.listening.size).toBe(2);
    live.publish(liveSettings(undefined));
    expect(service.setConfiguredRules).toHaveBeenCalledTimes(1);
    await f.stop();
    live.publish(liveSettings(undefined));
    expect(ha.listening.size).toBe(0);
    expect(service.setConfiguredRules).toHaveBeenCalledTimes(1);
    expect(service.stop).toHaveBeenCalled();
  });

  it('HA send events, when they are on', async () => {
    const ha = fakeHa();
    const opts = {
      defaultChannelId: undefined,
      channels: [],
      inServedGuild: () => Promise.resolve(false),
      hasPicture: () => false,
      enqueue: () => {},
      log,
    };
    const off = haSends(ha, { ...opts, eventType: undefined });
    await off.start();
    expect(ha.listening.size).toBe(0);
    const on = haSends(ha, { ...opts, eventType: 'discord_bridge_send' });
    await on.start();
    expect(ha.listening.size).toBe(1);
    await on.stop();
    expect(ha.listening.size).toBe(0);
  });

  it('policy followers: follow reloads until stopped', async () => {
    const ha = fakeHa();
    const live = new LiveConfig(liveSettings(undefined));
    const f = policyFollowers({ live, log, ha });
    await f.start();
    live.publish(exposedOnly);
    expect(ha.setLoadExposure).toHaveBeenCalledWith(true);
    await f.stop();
    live.publish(liveSettings(undefined));
    expect(ha.setLoadExposure).toHaveBeenCalledTimes(1);
  });

  it('SIGHUP: the handler goes on stop', async () => {
    const before = process.listenerCount('SIGHUP');
    const f = reloadOnSighup(() => ({ ok: true, changes: [] }), undefined);
    await f.start();
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    await f.stop();
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });

  it('listeners(): each subscription released', async () => {
    const ha = fakeHa();
    const f = listeners(
      'two',
      () => ha.onStatus(() => {}),
      () => ha.onEvent('x', () => {}),
    );
    await f.start();
    expect(ha.listening.size).toBe(2);
    await f.stop();
    expect(ha.listening.size).toBe(0);
  });
});
