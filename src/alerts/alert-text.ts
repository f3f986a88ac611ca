import type { PayloadPieces } from '../storage/outbox.js';
import { PACKED_V1, rareOf, type Rare } from './packed-alert.js';
import { SEVERITIES } from './rule-schema.js';
import type { Alert } from './types.js';

/** Rule names whose JSON text the writer keeps; beyond, it starts over (rules are few). */
const MAX_RULE_NAMES = 10_000;

/** The packed text's start, before the id's JSON text; and with its opening quote. */
const HEAD = `[${PACKED_V1},`;
const HEAD_QUOTED = `${HEAD}"`;
/** An id JSON writes as it is, in quotes. */
const PLAIN_ID = /^[\w-]*$/;

/** A value as JSON.stringify writes it inside an array (undefined there is null). */
const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** The text of the fields from entityId to at: the changed entity's, and the change's. */
type EntityPart = Pick<Alert, 'entityId' | 'name' | 'areaName' | 'from' | 'to' | 'unit' | 'at'> & {
  text: string;
};

/**
 * Writes a packed alert's JSON text directly, in pieces (PayloadPieces) whose text is the same
 * as `JSON.stringify(pack(a))` (the round-trip and equality tests hold it to that). A change
 * fires an alert per rule that selects the entity (8 at once for most entities at the bench's
 * 2,000 rules), and their fields from entityId to at are the same: that part's text is kept
 * from the alert before and reused while every one of its fields is equal, so a flood's alerts
 * do not each serialize it, and the outbox's burst row keeps it once.
 */
export class AlertWriter {
  private last: EntityPart | undefined;
  /** Per rule name, the text after the id's (see `afterId`). */
  private readonly ruleNames = new Map<string, string>();
  /**
   * The text after the entity's part of a live alert with no text, mention or rare field
   * (most of a flood's), by severity: one string, not ten pieces joined per alert (each
   * join of a long string is an object of its own to collect).
   */
  private readonly plainTails = new Map<string, string>(
    SEVERITIES.map((severity) => [severity, tail(severity, undefined, [], [], false, false)]),
  );

  /** The text in pieces: the entity's part is `shared`, the same string for a change's alerts. */
  pieces(a: Alert): PayloadPieces {
    const rare = rareOf(a);
    const { roles, users } = a.mention;
    const plain =
      rare === undefined &&
      a.text === undefined &&
      roles.length === 0 &&
      users.length === 0 &&
      !a.missed &&
      !a.changedAndBack
        ? this.plainTails.get(a.severity)
        : undefined;
    const afterId = this.afterId(a.ruleName);
    // An id of letters, digits, `_` and `-` (newAlertId's) is its own JSON text in quotes.
    const head = PLAIN_ID.test(a.id)
      ? HEAD_QUOTED + a.id + afterId
      : HEAD + json(a.id) + afterId.slice(1);
    return {
      head,
      shared: this.entityPart(a),
      tail: plain ?? tail(a.severity, a.text, roles, users, a.missed, a.changedAndBack, rare),
    };
  }

  /**
   * What follows the id up to the entity's part: `",` and the rule name's JSON text, kept per
   * name: a change fires an alert per rule that selects the entity, and the same rules fire
   * again and again in a flood.
   */
  private afterId(name: string): string {
    let text = this.ruleNames.get(name);
    if (text === undefined) {
      if (this.ruleNames.size >= MAX_RULE_NAMES) this.ruleNames.clear();
      text = `",${json(name)},`;
      this.ruleNames.set(name, text);
    }
    return text;
  }

  private entityPart(a: Alert): string {
    const last = this.last;
    if (
      last !== undefined &&
      last.entityId === a.entityId &&
      last.at === a.at &&
      last.to === a.to &&
      last.from === a.from &&
      last.name === a.name &&
      last.areaName === a.areaName &&
      last.unit === a.unit
    ) {
      return last.text;
    }
    // Joined, so one flat string: copied into each of the change's alerts' text.
    const text = [
      json(a.entityId),
      json(a.name),
      json(a.areaName ?? null),
      json(a.from),
      json(a.to),
      json(a.unit ?? null),
      json(a.at),
    ].join(',');
    this.last = {
      entityId: a.entityId,
      name: a.name,
      areaName: a.areaName,
      from: a.from,
      to: a.to,
      unit: a.unit,
      at: a.at,
      text,
    };
    return text;
  }
}

/** A mention's ids: most rules mention no one. */
const list = (ids: readonly string[]): string => (ids.length === 0 ? '[]' : json(ids));

/** The packed text from severity to its end, after the entity's part. */
function tail(
  severity: string,
  text: string | undefined,
  roles: readonly string[],
  users: readonly string[],
  missed: boolean,
  changedAndBack: boolean,
  rare?: Rare,
): string {
  return (
    `,${json(severity)},${json(text ?? null)},${list(roles)},${list(users)},` +
    `${missed ? 1 : 0},${changedAndBack ? 1 : 0}` +
    (rare === undefined ? ']' : `,${JSON.stringify(rare)}]`)
  );
}
