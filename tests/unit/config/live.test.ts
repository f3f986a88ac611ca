import { LiveConfig, liveSettings } from '../../../src/config/live.js';
import { createReloader } from '../../../src/config/reload.js';
import { createLogger } from '../../../src/logging/logger.js';
import { DEFAULT_POLICY } from '../../../src/policy/decide.js';

const log = createLogger({ level: 'silent', secrets: [] });
const withGrants = 'access:\n  grants:\n    - roles: [x]\n      allow: [control]\n';

describe('LiveConfig', () => {
  it('starts from the file, or the safe default without one', () => {
    expect(liveSettings(undefined)).toEqual({
      fileRules: [],
      policy: DEFAULT_POLICY,
      policyFromFile: false,
      commands: [],
    });
  });

  it('tells each follower the new and the previous settings, and stops when released', () => {
    const live = new LiveConfig(liveSettings(undefined));
    const seen: string[] = [];
    const release = live.onChange((next, previous) =>
      seen.push(`${previous.policyFromFile}->${next.policyFromFile}`),
    );
    const first = liveSettings({ alerts: { rules: [] }, access: DEFAULT_POLICY });
    live.publish(first);
    expect(live.current()).toBe(first);
    release();
    live.publish(liveSettings(undefined));
    expect(seen).toEqual(['false->true']);
  });

  it('goes on past a follower that fails, and reports it', () => {
    const errors: unknown[] = [];
    const live = new LiveConfig(liveSettings(undefined), (e) => errors.push(e));
    let reached = false;
    live.onChange(() => {
      throw new Error('boom');
    });
    live.onChange(() => (reached = true));
    live.publish(liveSettings(undefined));
    expect(reached).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('is what a reload publishes to; an invalid file publishes nothing', () => {
    const live = new LiveConfig(liveSettings(undefined));
    let text = withGrants;
    const reload = createReloader('/etc/bridge.yaml', live, log, () => text);
    expect(reload()).toEqual({
      ok: true,
      changes: ['0 alert rule(s) from the file.', 'The access policy from the file.'],
    });
    const reloaded = live.current();
    expect(reloaded.policy.grants).toHaveLength(1);
    text = 'access:\n  grants:\n    - roles: [x]\n      allow: [fly]\n';
    expect(reload().ok).toBe(false);
    expect(live.current()).toBe(reloaded);
  });
});
