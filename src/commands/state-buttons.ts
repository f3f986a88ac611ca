import { button } from '../discord/custom-id.js';
import type { ButtonData } from '../discord/message-data.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { serviceFor, type ControlAction } from '../entities/controls.js';
import type { EntityState } from '../ha/types.js';
import { CONTROL_WORDS } from './control-words.js';

/** The one control that makes sense for this entity now: Toggle, or Lock/Unlock, or none. */
export function quickAction(
  entry: CatalogEntry,
  state: EntityState | undefined,
): ControlAction | undefined {
  if (serviceFor(entry.domain, 'toggle')) return 'toggle';
  if (entry.domain === 'lock') return state?.state === 'locked' ? 'unlock' : 'lock';
  return undefined;
}

/**
 * The buttons under a state reply: its quick action and Refresh. A press is checked against
 * the policy (and confirmations) of whoever presses it, like the same command typed.
 */
export function stateButtons(entry: CatalogEntry, state: EntityState | undefined): ButtonData[] {
  const action = quickAction(entry, state);
  const buttons: ButtonData[] = [];
  if (action)
    buttons.push({
      id: button('state', action, entry.entityId),
      label: CONTROL_WORDS[action].ask,
      style: action === 'unlock' ? 'danger' : 'primary',
    });
  buttons.push({ id: button('state', 'refresh', entry.entityId), label: 'Refresh' });
  return buttons;
}
