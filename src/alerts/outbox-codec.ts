import type { PayloadCodec } from '../storage/outbox.js';
import { AlertWriter } from './alert-text.js';
import { PACKED_V1, POSITIONS, RARE_FIELDS, rareOf, type PackedAlert } from './packed-alert.js';
import type { Alert } from './types.js';

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
    isAlertKind(kind) ? writer.pieces(payload as Alert) : JSON.stringify(payload),
  decode: (kind, text) => {
    const value: unknown = JSON.parse(text);
    return isAlertKind(kind) && Array.isArray(value) ? unpackChecked(value) : value;
  },
};
