import { inScope, type Subject } from './decide.js';
import type { ConfirmPolicy } from './schema.js';

/** What a confirmation rule looks at: the entity, its device class and the service. */
export interface ConfirmSubject extends Subject {
  deviceClass: string | undefined;
}

const OPENS_WAY_IN = new Set(['garage', 'gate']);

/** The built-in dangerous actions: the ones that let someone into the house. */
function builtIn(s: ConfirmSubject, service: string): string | undefined {
  if (s.domain === 'lock' && (service === 'unlock' || service === 'open'))
    return service === 'open' ? 'opening a lock' : 'unlocking a lock';
  if (s.domain === 'alarm_control_panel' && service === 'alarm_disarm') return 'disarming an alarm';
  if (
    s.domain === 'cover' &&
    OPENS_WAY_IN.has(s.deviceClass ?? '') &&
    (service === 'open_cover' || service === 'toggle')
  ) {
    return `opening a ${s.deviceClass === 'gate' ? 'gate' : 'garage door'}`;
  }
  return undefined;
}

/**
 * Why this service call on this entity needs a confirm button, or undefined when it does
 * not. Pure: the policy's `confirm:` section, the entity and the service in.
 */
export function confirmationReason(
  policy: ConfirmPolicy,
  subject: ConfirmSubject,
  service: string,
): string | undefined {
  const reason = policy.defaults ? builtIn(subject, service) : undefined;
  if (reason) return reason;
  const rule = policy.rules.find(
    (r) => (r.services === undefined || r.services.includes(service)) && inScope(r, subject),
  );
  return rule ? 'the access policy asks for a confirmation' : undefined;
}
