import type { Alert } from './types.js';

/** The first element of a packed alert: which layout follows. */
export const PACKED_V1 = 1;

/**
 * An alert as its outbox row keeps it: the fields by position, not by name. A flood that
 * fires an alert per change writes one row per alert; the names were two thirds of each
 * row's bytes, and writing them (JSON, SQLite, its WAL) most of the row's cost. The rare
 * fields go in a trailing object, present only when one of them is set.
 */
export type PackedAlert = [
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
export type Rare = Pick<
  Alert,
  { [K in keyof Alert]-?: (typeof PACKED_FIELDS)[K] extends 'rare' ? K : never }[keyof Alert]
>;

export const RARE_FIELDS = (Object.keys(PACKED_FIELDS) as (keyof Alert)[]).filter(
  (k) => PACKED_FIELDS[k] === 'rare',
) as (keyof Rare)[];
/** The elements of a packed alert before its optional trailing object. */
export const POSITIONS = 16;

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

/** The rare fields set, in the trailing object; undefined when none is. */
export function rareOf(a: Alert): Rare | undefined {
  // Most alerts have no rare field: five named reads, not the keyed loop below.
  if (!hasRare(a)) return undefined;
  let rare: Partial<Record<keyof Rare, unknown>> | undefined;
  for (const key of RARE_FIELDS) {
    if (a[key] !== undefined) (rare ??= {})[key] = a[key];
  }
  return rare as Rare | undefined;
}
