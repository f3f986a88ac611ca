import type { PayloadCodec } from '../storage/outbox.js';
import { SEVERITIES } from './rule-schema.js';
import type { Alert } from './types.js';

/** The first element of a packed alert: which layout follows. */
const PACKED_V1 = 1;

/**
 * An alert as its outbox row keeps it: the fields by position, not by name. A flood that
 * fires an alert per change writes one row per alert; the names were two thirds of each
 * row's bytes, and writing them (JSON, SQLite, its WAL) most of the row's cost. The rare
 * fields go in a trailing object, present only when one of them is set.
 */
type PackedAlert = [
  typeof PACKED_V1,
  id: string,
  ruleName: string,
  entityId: string,
  name: string,
  areaName: string | null,
  from: string,
  to: string,
  unit: string | null,
  at: number,
  severity: Alert['severity'],
  text: string | null,
  roles: string[],
  users: string[],
  missed: 0 | 1,
  changedAndBack: 0 | 1,
  rare?: Rare,
];

/**
 * Every field of an Alert and where its packed row keeps it: a field added to Alert fails to
 * compile until it is listed here. A 'rare' one is then carried by pack() and unpack() as it
 * is; a 'position' one needs its place in PackedAlert, which the round-trip test (its
 * fixture sets every field listed here) checks: a field missed would be lost on its way
 * through the outbox.
 */
export const PACKED_FIELDS = {
  id: 'position',
  ruleName: 'position',
  entityId: 'position',
  name: 'position',
  areaName: 'position',
  from: 'position',
  to: 'position',
  unit: 'position',
  at: 'position',
  severity: 'position',
  text: 'position',
  mention: 'position',
  missed: 'position',
  changedAndBack: 'position',
  missedWhile: 'rare',
  via: 'rare',
  statusKey: 'rare',
  chartMs: 'rare',
  chartMarks: 'rare',
} as const satisfies Record<keyof Alert, 'position' | 'rare'>;

/** The fields kept in the trailing object. */
type Rare = Pick<
  Alert,
  { [K in keyof Alert]-?: (typeof PACKED_FIELDS)[K] extends 'rare' ? K : never }[keyof Alert]
>;

const RARE_FIELDS = (Object.keys(PACKED_FIELDS) as (keyof Alert)[]).filter(
  (k) => PACKED_FIELDS[k] === 'rare',
) as (keyof Rare)[];
/** The elements of a packed alert before its optional trailing object. */
const POSITIONS = 16;

const isAlertKind = (kind: string) => kind === 'alert' || kind === 'status';

/** An alert as its packed array: the layout (the codec writes its JSON text directly). */
export function pack(a: Alert): PackedAlert {
  const packed: PackedAlert = [
    PACKED_V1,
    a.id,
    a.ruleName,
    a.entityId,
    a.name,
    a.areaName ?? null,
    a.from,
    a.to,
    a.unit ?? null,
    a.at,
    a.severity,
    a.text ?? null,
    a.mention.roles,
    a.mention.users,
    a.missed ? 1 : 0,
    a.changedAndBack ? 1 : 0,
  ];
  const rare = rareOf(a);
  if (rare !== undefined) packed.push(rare);
  return packed;
}

/** Whether any rare field is set: each read by name (RareChecked below). */
const hasRare = (a: Alert): boolean =>
  a.missedWhile !== undefined ||
  a.via !== undefined ||
  a.statusKey !== undefined ||
  a.chartMs !== undefined ||
  a.chartMarks !== undefined;

/**
 * The fields hasRare reads: a rare field added to PACKED_FIELDS and not here (and to hasRare)
 * fails to compile; the codec's tests write each rare field alone.
 */
type RareChecked = 'missedWhile' | 'via' | 'statusKey' | 'chartMs' | 'chartMarks';
const everyRareChecked: [keyof Rare] extends [RareChecked] ? true : never = true;
void everyRareChecked;

/** Rule names whose JSON text the writer keeps; beyond, it starts over (rules are few). */
const MAX_RULE_NAMES = 10_000;

/** The rare fields set, in the trailing object; undefined when none is. */
function rareOf(a: Alert): Rare | undefined {
  let rare: Partial<Record<keyof Rare, unknown>> | undefined;
  for (const key of RARE_FIELDS) {
    if (a[key] !== undefined) (rare ??= {})[key] = a[key];
  }
  return rare as Rare | undefined;
}

function unpack(p: PackedAlert): Alert {
  const alert: Alert = {
    id: p[1],
    ruleName: p[2],
    entityId: p[3],
    name: p[4],
    areaName: p[5] ?? undefined,
    from: p[6],
    to: p[7],
    unit: p[8] ?? undefined,
    at: p[9],
    severity: p[10],
    text: p[11] ?? undefined,
    mention: { roles: p[12], users: p[13] },
    missed: p[14] === 1,
    changedAndBack: p[15] === 1,
    statusKey: undefined,
  };
  const rare = p[POSITIONS];
  if (rare !== undefined) {
    for (const key of RARE_FIELDS) {
      if (rare[key] !== undefined) (alert as unknown as Record<string, unknown>)[key] = rare[key];
    }
  }
  return alert;
}

/** A value as JSON.stringify writes it inside an array (undefined there is null). */
const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** The text of the fields from entityId to at: the changed entity's, and the change's. */
type EntityPart = Pick<Alert, 'entityId' | 'name' | 'areaName' | 'from' | 'to' | 'unit' | 'at'> & {
  text: string;
};

/**
 * Writes a packed alert's JSON text directly, the same text as `JSON.stringify(pack(a))`
 * (the round-trip and equality tests hold it to that). A change fires an alert per rule
 * that selects the entity (40 at once at the bench's 2,000 rules), and their fields from
 * entityId to at are the same: that part's text is kept from the alert before and reused
 * while every one of its fields is equal, so a flood's alerts do not each serialize it and
 * build an array for JSON.stringify first.
 */
class AlertWriter {
  private last: EntityPart | undefined;
  /** Rule names' JSON text (see `ruleName`). */
  private readonly ruleNames = new Map<string, string>();
  /**
   * The text after the entity's part of a live alert with no text, mention or rare field
   * (most of a flood's), by severity: one string, not ten pieces joined per alert (each
   * join of a long string is an object of its own to collect).
   */
  private readonly plainTails = new Map<string, string>(
    SEVERITIES.map((severity) => [severity, tail(severity, undefined, [], [], false, false)]),
  );

  write(a: Alert): string {
    // Most alerts have no rare field: five named reads, not the keyed loop of rareOf.
    const rare = hasRare(a) ? rareOf(a) : undefined;
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
    return (
      `[${PACKED_V1},${json(a.id)},${this.ruleName(a.ruleName)},` +
      this.entityPart(a) +
      (plain ?? tail(a.severity, a.text, roles, users, a.missed, a.changedAndBack, rare))
    );
  }

  /**
   * A rule name's JSON text, kept per name: a change fires an alert per rule that selects the
   * entity, and the same rules fire again and again in a flood.
   */
  private ruleName(name: string): string {
    let text = this.ruleNames.get(name);
    if (text === undefined) {
      if (this.ruleNames.size >= MAX_RULE_NAMES) this.ruleNames.clear();
      text = json(name);
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
    const text =
      `${json(a.entityId)},${json(a.name)},${json(a.areaName ?? null)},${json(a.from)},` +
      `${json(a.to)},${json(a.unit ?? null)},${json(a.at)}`;
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

/**
 * A packed alert read back, checked first: a row of another layout (written by a newer
 * version) or of the wrong shape throws, and the outbox sets it aside (a renderer handed it
 * would throw at every try, and hold up its channel).
 */
function unpackChecked(value: unknown[]): Alert {
  if (value[0] !== PACKED_V1) {
    throw new Error(
      `a packed alert of layout ${JSON.stringify(value[0])}, which this version does not know (written by a newer one?)`,
    );
  }
  const shaped =
    (value.length === POSITIONS || value.length === POSITIONS + 1) &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    typeof value[3] === 'string' &&
    typeof value[4] === 'string' &&
    typeof value[6] === 'string' &&
    typeof value[7] === 'string' &&
    typeof value[9] === 'number' &&
    Array.isArray(value[12]) &&
    Array.isArray(value[13]) &&
    (value.length === POSITIONS ||
      (typeof value[POSITIONS] === 'object' && value[POSITIONS] !== null));
  if (!shaped) throw new Error('a packed alert of the wrong shape');
  return unpack(value as PackedAlert);
}

/**
 * How the outbox writes and reads payloads: alerts (and statuses) packed, every other kind
 * as plain JSON. Rows written before alerts were packed are objects, and are read as such.
 */
const writer = new AlertWriter();

export const outboxCodec: PayloadCodec = {
  encode: (kind, payload) =>
    isAlertKind(kind) ? writer.write(payload as Alert) : JSON.stringify(payload),
  decode: (kind, text) => {
    const value: unknown = JSON.parse(text);
    return isAlertKind(kind) && Array.isArray(value) ? unpackChecked(value) : value;
  },
};
