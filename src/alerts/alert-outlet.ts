import type { Logger } from '../logging/logger.js';
import { newAlertId } from './ids.js';
import type { Firing } from './rule-engine.js';
import { renderTemplate } from './template.js';
import type { Alert, Enqueue } from './types.js';

export interface AlertOutletOptions {
  /** Whether alerts of this rule for this entity are muted now. */
  isMuted: (ruleName: string, entityId: string, now: number) => boolean;
  /** The entity's name and area, as the catalog knows them. */
  describe: (entityId: string) => { name: string; areaName: string | undefined } | undefined;
  enqueue: Enqueue;
  defaultChannelId: string | undefined;
  log: Logger;
}

/**
 * From a rule's firing to the outbox: skipped when muted, else an alert (or, for a rule with
 * `edit_in_place`, a status kept up to date) queued for the rule's channel.
 */
export function alertOutlet(opts: AlertOutletOptions): (firing: Firing, now: number) => void {
  return (f, now) => {
    if (opts.isMuted(f.rule.name, f.entityId, now)) {
      opts.log.debug({ rule: f.rule.name, entityId: f.entityId }, 'alert muted');
      return;
    }
    const channelId = f.rule.channel ?? opts.defaultChannelId;
    if (channelId === undefined) {
      opts.log.warn(
        { rule: f.rule.name },
        'alert has no channel: set DISCORD_ALERT_CHANNEL_ID or the rule channel',
      );
      return;
    }
    const alert = toAlert(f, opts.describe(f.entityId));
    opts.enqueue(
      channelId,
      alert.statusKey !== undefined
        ? { kind: 'status', payload: alert, statusKey: alert.statusKey }
        : { kind: 'alert', payload: alert },
    );
  };
}

function toAlert(
  f: Firing,
  info: { name: string; areaName: string | undefined } | undefined,
): Alert {
  const rule = f.rule;
  const unit = rule.attribute === undefined ? f.state.attributes.unit_of_measurement : undefined;
  // One object, its fields added in the payload's order (no spreads, no copy to add `text`):
  // this runs for every alert of a flood.
  const alert: Alert = {
    id: newAlertId(),
    ruleName: rule.name,
    entityId: f.entityId,
    name: info?.name ?? f.entityId,
    areaName: info?.areaName,
    from: f.from,
    to: f.to,
    unit: typeof unit === 'string' && unit !== '' ? unit : undefined,
    at: f.state.lastChanged,
    severity: rule.severity,
    mention: rule.mention,
    missed: f.missed,
  } as Alert;
  if (f.missedWhile !== undefined) alert.missedWhile = f.missedWhile;
  alert.changedAndBack = f.changedAndBack;
  if (f.via !== undefined) alert.via = [...f.via];
  alert.statusKey = rule.edit_in_place ? `${rule.name}|${f.entityId}` : undefined;
  // Posted alerts only (the schema refuses chart with edit_in_place): an edit has no files.
  if (rule.chart !== undefined && !rule.edit_in_place) {
    alert.chartMs = rule.chart;
    alert.chartMarks = {
      ...(rule.above !== undefined ? { above: rule.above } : {}),
      ...(rule.below !== undefined ? { below: rule.below } : {}),
    };
  }
  alert.text = rule.template ? renderTemplate(rule.template, alert) : undefined;
  return alert;
}
