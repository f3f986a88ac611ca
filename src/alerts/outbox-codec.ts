import type { PayloadCodec } from '../storage/outbox.js';
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
 * Every field of an Alert and where its packed row keeps it. A field added to Alert fails to
 * compile here until pack() and unpack() carry it: a field they missed would be lost on its
 * way through the outbox (the round-trip test checks every field listed here).
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

const isAlertKind = (kind: string) => kind === 'alert' || kind === 'status';

function pack(a: Alert): PackedAlert {
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
  if (
    a.missedWhile !== undefined ||
    a.via !== undefined ||
    a.statusKey !== undefined ||
    a.chartMs !== undefined ||
    a.chartMarks !== undefined
  ) {
    // JSON leaves the undefined ones out.
    packed.push({
      missedWhile: a.missedWhile,
      via: a.via,
      statusKey: a.statusKey,
      chartMs: a.chartMs,
      chartMarks: a.chartMarks,
    });
  }
  return packed;
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
  const rare = p[16];
  if (rare !== undefined) {
    if (rare.missedWhile !== undefined) alert.missedWhile = rare.missedWhile;
    if (rare.via !== undefined) alert.via = rare.via;
    if (rare.statusKey !== undefined) alert.statusKey = rare.statusKey;
    if (rare.chartMs !== undefined) alert.chartMs = rare.chartMs;
    if (rare.chartMarks !== undefined) alert.chartMarks = rare.chartMarks;
  }
  return alert;
}

const isPacked = (value: unknown): value is PackedAlert =>
  Array.isArray(value) && value[0] === PACKED_V1;

/**
 * How the outbox writes and reads payloads: alerts (and statuses) packed, every other kind
 * as plain JSON. Rows written before alerts were packed are objects, and are read as such.
 */
export const outboxCodec: PayloadCodec = {
  encode: (kind, payload) => JSON.stringify(isAlertKind(kind) ? pack(payload as Alert) : payload),
  decode: (kind, text) => {
    const value: unknown = JSON.parse(text);
    return isAlertKind(kind) && isPacked(value) ? unpack(value) : value;
  },
};
