/** What registers a listener on HA's status releases it when it stops. */
import { LoginGuard, memoryLoginGuardStore } from '../../../src/ha/login-guard.js';
import { banNotices, watchHaStatus } from '../../../src/ha/status-notices.js';
import { TokenMonitor } from '../../../src/ha/token-report.js';
import { TokenManager } from '../../../src/ha/token-rotation.js';
import type { HaStatus } from '../../../src/ha/types.js';
import { createLogger } from '../../../src/logging/logger.js';

const log = createLogger({ level: 'silent', secrets: [] });

/** HA's status as the listeners see it, counting who listens. */
function fakeHa() {
  const listeners = new Set<(status: HaStatus) => void>();
  return {
    listeners,
    status: { kind: 'connecting' } as HaStatus,
    onStatus(listener: (status: HaStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    command: <T>() => Promise.resolve({} as T),
    retryLogin: () => undefined,
    switchToken: () => Promise.resolve(),
    checkToken: () => Promise.resolve(),
  };
}

describe('listeners on HA status are released on stop', () => {
  it('the token manager', () => {
    const ha = fakeHa();
    const tokens = new TokenManager({
      initial: 'token',
      guard: new LoginGuard(memoryLoginGuardStore(), 'http://ha'),
      log,
      notify: () => undefined,
    });
    tokens.attach(ha);
    expect(ha.listeners.size).toBe(1);
    tokens.stop();
    expect(ha.listeners.size).toBe(0);
  });

  it('the token monitor, with its token listener', () => {
    const ha = fakeHa();
    const tokenListeners = new Set<(token: string) => void>();
    const monitor = new TokenMonitor({
      ha,
      tokens: {
        current: 'token',
        onChange: (listener) => {
          tokenListeners.add(listener);
          return () => tokenListeners.delete(listener);
        },
      },
      warnings: { given: () => new Set(), mark: () => undefined },
      fingerprint: () => 'f',
      fromFile: false,
      log,
      notify: () => undefined,
    });
    monitor.start();
    expect([ha.listeners.size, tokenListeners.size]).toEqual([1, 1]);
    monitor.stop();
    expect([ha.listeners.size, tokenListeners.size]).toEqual([0, 0]);
  });

  it('the status and ban notices', () => {
    const ha = fakeHa();
    const opts = { url: 'http://ha', log, notify: () => undefined };
    const stopWatching = watchHaStatus(ha, opts);
    const bans = banNotices(ha, opts);
    expect(ha.listeners.size).toBe(2);
    stopWatching();
    bans.stop();
    expect(ha.listeners.size).toBe(0);
  });
});
