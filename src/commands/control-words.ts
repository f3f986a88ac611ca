import type { ControlAction } from '../entities/controls.js';

/** How each control action reads in replies: "cannot be unlocked", "Unlocked by alice". */
export const CONTROL_WORDS: Record<
  ControlAction,
  { verb: string; past: string; ask: string; description: string }
> = {
  toggle: {
    verb: 'toggled',
    past: 'Toggled',
    ask: 'Toggle',
    description: 'Toggle a light, switch or anything with an on/off',
  },
  on: {
    verb: 'turned on',
    past: 'Turned on',
    ask: 'Turn on',
    description: 'Turn on (or open) an entity or everything in an area',
  },
  off: {
    verb: 'turned off',
    past: 'Turned off',
    ask: 'Turn off',
    description: 'Turn off (or close) an entity or everything in an area',
  },
  lock: { verb: 'locked', past: 'Locked', ask: 'Lock', description: 'Lock a lock' },
  unlock: {
    verb: 'unlocked',
    past: 'Unlocked',
    ask: 'Unlock',
    description: 'Unlock a lock (asks you to confirm)',
  },
  open: {
    verb: 'opened',
    past: 'Opened',
    ask: 'Open',
    description: 'Open a door lock, cover, garage door or valve (dangerous ones ask to confirm)',
  },
  disarm: {
    verb: 'disarmed',
    past: 'Disarmed',
    ask: 'Disarm',
    description: 'Disarm an alarm panel (asks you to confirm)',
  },
  arm_home: {
    verb: 'armed',
    past: 'Armed (home)',
    ask: 'Arm (home)',
    description: 'Arm an alarm panel',
  },
  arm_away: {
    verb: 'armed',
    past: 'Armed (away)',
    ask: 'Arm (away)',
    description: 'Arm an alarm panel',
  },
  arm_night: {
    verb: 'armed',
    past: 'Armed (night)',
    ask: 'Arm (night)',
    description: 'Arm an alarm panel',
  },
  arm_vacation: {
    verb: 'armed',
    past: 'Armed (vacation)',
    ask: 'Arm (vacation)',
    description: 'Arm an alarm panel',
  },
};
