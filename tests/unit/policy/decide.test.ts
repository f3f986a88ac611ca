import {
  allowed,
  decide,
  DEFAULT_POLICY,
  servesGuild,
  type Actor,
} from '../../../src/policy/decide.js';
import { ACTIONS } from '../../../src/policy/schema.js';
import { PolicySchema } from '../../../src/policy/schema.js';
import { groupedHome, makeCatalog } from '../../helpers/catalog.js';

const G = '811111111111111111';
const member = (over: Partial<Actor> = {}): Actor => ({
  userId: '100000000000000001',
  guildId: G,
  roleIds: [],
  roleNames: [],
  isManager: false,
  ...over,
});
const light = {
  entityId: 'light.kitchen',
  domain: 'light',
  areaId: 'kitchen',
  areaName: 'Kitchen',
};
const lock = { entityId: 'lock.front_door', domain: 'lock', areaId: 'hall', areaName: 'Hall' };

const policy = PolicySchema.parse({
  grants: [
    { everyone: true, allow: ['read'] },
    { roles: ['Home Control'], allow: ['control'], areas: ['Kitchen'] },
    { roles: ['900000000000000009'], allow: ['control', 'watch'] },
  ],
  deny: [{ entities: ['lock.*'], actions: ['control', 'read'], except_roles: ['Door Keeper'] }],
  dm_users: ['100000000000000042'],
});

describe('decide', () => {
  it('lets members read and refuses control by default, naming what is missing', () => {
    expect(decide(DEFAULT_POLICY, member(), 'read', light)).toEqual({ allowed: true });
    expect(decide(DEFAULT_POLICY, member(), 'control', light)).toEqual({
      allowed: false,
      reason: 'You need the Manage Server permission to control `light.kitchen`.',
    });
    expect(decide(DEFAULT_POLICY, member({ isManager: true }), 'control', light)).toEqual({
      allowed: true,
    });
  });

  it('grants by role name (any case) or id, limited to areas', () => {
    expect(decide(policy, member({ roleNames: ['home control'] }), 'control', light).allowed).toBe(
      true,
    );
    expect(decide(policy, member({ roleNames: ['Home Control'] }), 'control', lock).allowed).toBe(
      false,
    );
    expect(decide(policy, member({ roleIds: ['900000000000000009'] }), 'watch').allowed).toBe(true);
    expect(decide(policy, member(), 'control', light)).toEqual({
      allowed: false,
      reason: 'You need the role Home Control or 900000000000000009 to control `light.kitchen`.',
    });
  });

  it('lets a deny win over grants and even Manage Server, except for the named role', () => {
    expect(decide(policy, member({ isManager: true }), 'control', lock)).toEqual({
      allowed: false,
      reason: 'You need the role Door Keeper to control `lock.front_door`.',
    });
    expect(
      decide(policy, member({ isManager: true, roleNames: ['Door Keeper'] }), 'control', lock)
        .allowed,
    ).toBe(true);
    expect(decide(policy, member(), 'read', lock).allowed).toBe(false);
  });

  it('refuses direct messages unless the user is allowed there', () => {
    expect(decide(policy, member({ guildId: null }), 'read', light).allowed).toBe(false);
    expect(
      decide(policy, member({ guildId: null, userId: '100000000000000042' }), 'read', light)
        .allowed,
    ).toBe(false);
    const dmPolicy = PolicySchema.parse({
      grants: [{ users: ['100000000000000042'], allow: ['read'] }],
      dm_users: ['100000000000000042'],
    });
    expect(
      decide(dmPolicy, member({ guildId: null, userId: '100000000000000042' }), 'read', light)
        .allowed,
    ).toBe(true);
  });

  it('serves the listed guilds, else DISCORD_GUILD_ID, else all', () => {
    expect(servesGuild(PolicySchema.parse({ guilds: [G] }), undefined, G)).toBe(true);
    expect(servesGuild(PolicySchema.parse({ guilds: [G] }), undefined, '822222222222222222')).toBe(
      false,
    );
    expect(servesGuild(DEFAULT_POLICY, G, '822222222222222222')).toBe(false);
    expect(servesGuild(DEFAULT_POLICY, undefined, '822222222222222222')).toBe(true);
  });

  it('with exposed_only, refuses everyone (managers too) anything HA does not expose', () => {
    const exposedOnly = PolicySchema.parse({ exposed_only: true });
    const manager = member({ isManager: true });
    expect(decide(exposedOnly, manager, 'control', { ...light, exposed: true }).allowed).toBe(true);
    const hidden = decide(exposedOnly, manager, 'read', { ...light, exposed: false });
    expect(hidden.allowed).toBe(false);
    expect(!hidden.allowed && hidden.reason).toContain('not exposed to voice assistants');
    // Unknown exposure (HA would not say) is not a yes.
    expect(decide(exposedOnly, manager, 'read', light).allowed).toBe(false);
    expect(decide(DEFAULT_POLICY, manager, 'read', { ...light, exposed: false }).allowed).toBe(
      true,
    );
  });
});

describe('allowed (the verdict alone, for filtering lists)', () => {
  it('says what decide says, for every action, actor and subject', () => {
    const policies = [
      DEFAULT_POLICY,
      policy,
      PolicySchema.parse({ exposed_only: true, dm_users: ['100000000000000042'] }),
    ];
    const actors = [
      member(),
      member({ isManager: true }),
      member({ roleNames: ['home control'] }),
      member({ roleIds: ['900000000000000009'], roleNames: ['Door Keeper'] }),
      member({ guildId: null }),
      member({ guildId: null, userId: '100000000000000042' }),
    ];
    const subjects = [light, lock, { ...light, exposed: true }, undefined];
    let refused = 0;
    for (const p of policies) {
      for (const actor of actors) {
        for (const action of ACTIONS) {
          for (const subject of subjects) {
            const verdict = decide(p, actor, action, subject).allowed;
            expect([action, subject?.entityId, allowed(p, actor, action, subject)]).toEqual([
              action,
              subject?.entityId,
              verdict,
            ]);
            if (!verdict) refused++;
          }
        }
      }
    }
    // Both verdicts occur.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(policies.length * actors.length * ACTIONS.length * 4);
  });
});

describe('decide with floors and labels', () => {
  const { catalog } = groupedHome();
  const entry = (id: string) => catalog.get(id)!;
  const guestPolicy = PolicySchema.parse({
    grants: [
      { everyone: true, allow: ['control'], floors: ['Upstairs'] },
      { everyone: true, allow: ['control'], labels: ['christmas lights'] },
      { roles: ['Gardener'], allow: ['control'], labels: ['outdoor'], areas: ['Study'] },
    ],
    deny: [{ floors: ['downstairs'], labels: ['Christmas Lights'], actions: ['control'] }],
  });
  const may = (id: string, actor = member()) =>
    decide(guestPolicy, actor, 'control', entry(id)).allowed;

  it('grants by floor name or alias and by label name or id, in any case', () => {
    expect(may('light.bedroom')).toBe(true); // on the floor Upstairs
    expect(may('light.window_star')).toBe(true); // labelled Christmas lights, on no floor
    expect(may('light.kitchen')).toBe(false); // downstairs, no label
    expect(may('switch.garden_pump')).toBe(false);
  });

  it('lets a deny by floor and label win, and combines kinds with AND', () => {
    // The tree is labelled Christmas lights (through its device) and is downstairs: denied.
    expect(may('light.tree')).toBe(false);
    // The topper carries the same label but is upstairs: the deny's floor does not match.
    expect(may('light.tree_topper')).toBe(true);
    // The grant to Gardener needs the label outdoor and an area called Study: none has both.
    expect(may('switch.garden_pump', member({ roleNames: ['Gardener'] }))).toBe(false);
  });

  it('matches an area by its alias too', () => {
    const byAlias = PolicySchema.parse({
      grants: [{ everyone: true, allow: ['control'], areas: ['LOUNGE'] }],
    });
    expect(decide(byAlias, member(), 'control', entry('light.tree')).allowed).toBe(true);
  });

  it('puts nothing in a floor or label scope on an HA without them', () => {
    const { catalog: old } = makeCatalog(
      [{ id: 'light.a', area: 'hall' }],
      [{ id: 'hall', name: 'Hall' }],
    );
    expect(decide(guestPolicy, member(), 'control', old.get('light.a')).allowed).toBe(false);
  });
});
