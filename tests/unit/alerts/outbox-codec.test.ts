import { outboxCodec, pack } from '../../../src/alerts/outbox-codec.js';
import { PACKED_FIELDS } from '../../../src/alerts/packed-alert.js';
import type { Alert } from '../../../src/alerts/types.js';
import { openDatabase } from '../../../src/storage/database.js';
import { Outbox, type PayloadPieces } from '../../../src/storage/outbox.js';
import { payloadText } from '../../../src/storage/outbox-rows.js';
import { alertOf } from '../../helpers/outbox-rows.js';

const plain = alertOf({ id: 'abc0', at: 1764600000.25 });

/** The codec's text for a payload (its pieces joined, for an alert). */
const encoded = (kind: string, payload: unknown): string =>
  payloadText(outboxCodec.encode(kind, payload));

const full: Alert = {
  ...plain,
  id: 'abc1',
  areaName: 'Hall',
  unit: '°C',
  severity: 'critical',
  text: 'Front door is on',
  mention: { roles: ['111'], users: ['222', '333'] },
  missed: true,
  missedWhile: 'ha_restart',
  changedAndBack: true,
  via: ['on', 'off'],
  statusKey: 'doors|binary_sensor.front_door',
  chartMs: 3_600_000,
  chartMarks: { above: 25 },
};

/** What the outbox gave back before alerts were packed: the payload through JSON. */
const viaJson = (a: Alert) => JSON.parse(JSON.stringify(a)) as Alert;

describe('outboxCodec', () => {
  it('has a fixture with every field the codec packs, so the round trip covers them all', () => {
    expect(Object.keys(full).sort()).toEqual(Object.keys(PACKED_FIELDS).sort());
  });

  it('gives back every field of an alert and of a status, set or not', () => {
    for (const [kind, alert] of [
      ['alert', plain],
      ['alert', full],
      ['status', full],
    ] as const) {
      const back = outboxCodec.decode(kind, encoded(kind, alert));
      expect(back).toEqual(viaJson(alert));
    }
  });

  it('writes the JSON text of the packed layout, also for alerts of one change in a row', () => {
    // Consecutive alerts share their entity's part of the text while it is the same: every
    // field of that part changed alone, and back, must still be written as it is.
    const base = alertOf({ id: 'x0', at: 1764600000.123456, areaName: 'Hall', unit: '°C' });
    const alerts: Alert[] = [
      base,
      { ...base, id: 'x1', ruleName: 'other' },
      { ...base, id: 'x2', to: 'off' },
      { ...base, id: 'x3', from: 'unknown' },
      { ...base, id: 'x4', at: 1764600001 },
      { ...base, id: 'x5', name: 'Front "door" \\ \u2028 é' },
      { ...base, id: 'x6', areaName: undefined },
      { ...base, id: 'x7', unit: undefined },
      { ...base, id: 'x8', entityId: 'binary_sensor.back_door' },
      { ...base, id: 'y1', severity: 'warning' },
      { ...base, id: 'y2', severity: 'critical', missed: true },
      { ...base, id: 'y3', changedAndBack: true },
      { ...base, id: 'y4', mention: { roles: ['5'], users: [] } },
      { ...base, id: 'y5', text: 'hi' },
      { ...base, id: 'y6', missedWhile: 'bot_offline' },
      // Each rare field alone (the writer checks them by name before packing them).
      { ...base, id: 'y7', via: ['off'] },
      { ...base, id: 'y8', statusKey: 'doors|binary_sensor.front_door' },
      { ...base, id: 'y9', chartMs: 60_000 },
      { ...base, id: 'z0', chartMarks: { below: 3 } },
      // Rule names' text is kept per name: one that needs escaping, again, and between others.
      { ...base, id: 'z1', ruleName: 'say "hi" \\ \u2028' },
      { ...base, id: 'z2', ruleName: 'other' },
      { ...base, id: 'z3', ruleName: 'say "hi" \\ \u2028' },
      // Ids: one written as it is in quotes (newAlertId's letters, digits, - and _), and ones
      // whose JSON text is not (escapes, other letters, none), before a rule name kept above.
      { ...base, id: 'AbC-d_9' },
      { ...base, id: 'a"b\\c', ruleName: 'say "hi" \\ \u2028' },
      { ...base, id: 'é' },
      { ...base, id: 'a b' },
      { ...base, id: '' },
      base,
      full,
      { ...full, id: 'x9', text: 'line\nbreak', mention: { roles: [], users: ['4'] } },
      plain,
    ];
    for (const a of alerts) {
      const text = encoded('alert', a);
      expect(text).toBe(JSON.stringify(pack(a)));
      expect(outboxCodec.decode('alert', text)).toEqual(viaJson(a));
    }
  });

  it("gives a change's alerts their entity's part as one shared piece, with no raw tab, newline or vertical tab", () => {
    const odd = { ...full, name: 'Tab\there\vand\nline', text: 'a\tb\vc\nd' };
    const pieces = [
      { ...odd, id: 'c1', ruleName: 'first' },
      { ...odd, id: 'c2', ruleName: 'second', severity: 'critical' as const },
    ].map((a) => outboxCodec.encode('alert', a) as PayloadPieces);
    expect(pieces[1]!.shared).toBe(pieces[0]!.shared);
    expect(pieces[0]!.shared).toContain('"Tab\\there\\u000band\\nline"');
    for (const p of pieces) {
      for (const piece of [p.head, p.shared, p.tail]) expect(piece).not.toMatch(/[\t\n\v]/);
    }
    expect(pieces[1]!.head).toContain('"second"');
    expect(pieces[1]!.tail).toContain('"critical"');
  });

  it('writes an alert in about half the bytes of its JSON', () => {
    const packed = encoded('alert', plain);
    expect(packed.length).toBeLessThan(JSON.stringify(plain).length * 0.6);
  });

  it('reads rows queued as objects (before alerts were packed) as they were', () => {
    const old = JSON.stringify(full);
    expect(outboxCodec.decode('alert', old)).toEqual(viaJson(full));
    expect(outboxCodec.decode('status', old)).toEqual(viaJson(full));
  });

  it('writes every other kind as plain JSON', () => {
    const notice = { id: 'n1', title: 'T', text: 'x' };
    expect(outboxCodec.encode('notice', notice)).toBe(JSON.stringify(notice));
    const list = [1, 'a'];
    expect(outboxCodec.decode('message', JSON.stringify(list))).toEqual(list);
  });

  it('is what the outbox writes and reads with, queued or added', () => {
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, Date.now, outboxCodec);
    outbox.add('c1', 'alert', full);
    outbox.queue('c1', 'status', plain, 'doors|binary_sensor.front_door');
    outbox.queue('c1', 'notice', { id: 'n1', title: 'T', text: 'x' });
    expect(outbox.peek('c1', 10).map((r) => r.payload)).toEqual([
      viaJson(full),
      viaJson(plain),
      { id: 'n1', title: 'T', text: 'x' },
    ]);
    const stored = db.prepare('SELECT payload FROM outbox ORDER BY id').all() as {
      payload: string;
    }[];
    expect(stored.map((r) => (JSON.parse(r.payload) as unknown[])[0])).toEqual([1, 1, undefined]);
  });

  it("keeps a flood's alerts as one burst row, each change's entity part once, and gives every alert back", () => {
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, () => 7, outboxCodec);
    const change = (entityId: string, to: string) =>
      ['a', 'b', 'c'].map((rule, i) => ({
        ...plain,
        id: `${entityId}-${rule}`,
        ruleName: rule,
        entityId,
        name: `Name of ${entityId}\twith a tab`,
        to,
        severity: i === 2 ? ('critical' as const) : plain.severity,
        text: i === 1 ? 'line\nbreak' : undefined,
      }));
    const alerts = [
      ...change('sensor.one', '21'),
      full,
      ...change('sensor.two', '22'),
      ...change('sensor.one', '23'),
    ];
    for (const a of alerts) outbox.queue('c1', 'alert', a);
    outbox.flush();
    const rows = db.prepare('SELECT payload, parts FROM outbox').all() as {
      payload: string;
      parts: number;
    }[];
    expect(rows.map((r) => r.parts)).toEqual([alerts.length]);
    // The second change of sensor.one moved its `to`: a part of its own.
    expect(rows[0]!.payload.split('"sensor.one"')).toHaveLength(3);
    expect(rows[0]!.payload.split('"sensor.two"')).toHaveLength(2);
    expect(outbox.peek('c1', 20).map((r) => r.payload)).toEqual(alerts.map(viaJson));
  });

  it('refuses a packed alert of a layout it does not know, or of the wrong shape', () => {
    const packed = JSON.parse(encoded('alert', full)) as unknown[];
    const newer = JSON.stringify([2, ...packed.slice(1)]);
    expect(() => outboxCodec.decode('alert', newer)).toThrow(/layout 2/);
    expect(() => outboxCodec.decode('alert', JSON.stringify([1, 'id']))).toThrow(/wrong shape/);
    const nullRare = JSON.stringify([...packed.slice(0, 16), null]);
    expect(() => outboxCodec.decode('status', nullRare)).toThrow(/wrong shape/);
  });
});
