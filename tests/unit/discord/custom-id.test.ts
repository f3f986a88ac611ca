import { encodeCustomId, parseCustomId, type CustomId } from '../../../src/discord/custom-id.js';

describe('custom ids', () => {
  it('round-trips every kind', () => {
    const ids: CustomId[] = [
      { kind: 'button', command: 'state', args: ['toggle', 'light.kitchen'] },
      { kind: 'button', command: 'list', args: ['2', 'light', '', '', ''] },
      { kind: 'pick', command: 'watch add' },
      { kind: 'confirm', token: 'abc_DEF-123', confirmed: true },
      { kind: 'confirm', token: 'abc_DEF-123', confirmed: false },
    ];
    for (const id of ids) expect(parseCustomId(encodeCustomId(id)!)).toEqual(id);
  });

  it('reads the ids on messages posted by earlier versions', () => {
    expect(parseCustomId('ha:btn:mute:binary_sensor.door:1h')).toEqual({
      kind: 'button',
      command: 'mute',
      args: ['binary_sensor.door', '1h'],
    });
    expect(parseCustomId('ha:pick:toggle')).toEqual({ kind: 'pick', command: 'toggle' });
    expect(parseCustomId('ha:confirm:Zm9v')).toEqual({
      kind: 'confirm',
      token: 'Zm9v',
      confirmed: true,
    });
    expect(parseCustomId('ha:cancel:Zm9v')).toEqual({
      kind: 'confirm',
      token: 'Zm9v',
      confirmed: false,
    });
  });

  it('carries a pick’s other options, encoded, and makes no pick id that would not fit', () => {
    const id: CustomId = { kind: 'pick', command: 'history', options: { period: '1:30:00' } };
    expect(encodeCustomId(id)).toBe('ha:pick:history:period=1%3A30%3A00');
    expect(parseCustomId(encodeCustomId(id)!)).toEqual(id);
    expect(
      encodeCustomId({ kind: 'pick', command: 'history', options: { period: 'x'.repeat(90) } }),
    ).toBeUndefined();
    for (const broken of ['ha:pick:history:period', 'ha:pick:history:=6h', 'ha:pick:x:a=%E0'])
      expect(parseCustomId(broken)).toBeUndefined();
  });

  it('makes no id longer than Discord allows, and parses no foreign one', () => {
    expect(encodeCustomId({ kind: 'button', command: 'state', args: ['x'.repeat(100)] })).toBe(
      undefined,
    );
    for (const foreign of ['', 'x', 'ha:', 'ha:btn:', 'ha:pick:', 'ha:other:1', 'btn:state'])
      expect(parseCustomId(foreign)).toBeUndefined();
  });

  it('carries an actionable message by its stored key and item, never other text', () => {
    const id: CustomId = { kind: 'action', key: 'AbC_12-xyz09', item: '3' };
    expect(encodeCustomId(id)).toBe('ha:act:AbC_12-xyz09:3');
    expect(parseCustomId('ha:act:AbC_12-xyz09:s')).toEqual({
      kind: 'action',
      key: 'AbC_12-xyz09',
      item: 's',
    });
    // What an automation wrote (spaces, colons, long text) is never made into an id.
    expect(encodeCustomId({ kind: 'action', key: 'open gate', item: '0' })).toBeUndefined();
    expect(encodeCustomId({ kind: 'action', key: 'k', item: 'a:b' })).toBeUndefined();
    expect(encodeCustomId({ kind: 'action', key: 'k'.repeat(41), item: '0' })).toBeUndefined();
    for (const foreign of ['ha:act:', 'ha:act:k', 'ha:act:k:0:extra', 'ha:act:k k:0', 'ha:act::0'])
      expect(parseCustomId(foreign)).toBeUndefined();
  });
});
