import { burstPayloads, burstText } from '../../../src/storage/outbox-bursts.js';
import { payloadText, type PayloadPieces } from '../../../src/storage/outbox-rows.js';

const pieces = (head: string, shared: string, tail: string): PayloadPieces => ({
  head,
  shared,
  tail,
});

describe('burstText / burstPayloads', () => {
  it("gives back every row's payload text, whole or in pieces", () => {
    const entity = '"sensor.a","Kitchen, \\"west\\"",null';
    const payloads = [
      '[1,"a","r1",{"x":"a,b]"}]',
      pieces('[1,"b","r1",', entity, ',"info"]'),
      pieces('[1,"c","r2",', entity, ',"warning"]'),
      '{"i":2}',
      pieces('[1,"d","r1",', entity, ',"info"]'),
      pieces('[1,"e","r1",', '"sensor.b","B",null', ',"info"]'),
      pieces('', '', ''),
      '"text, with [brackets]"',
      'null',
    ];
    expect(burstPayloads(burstText(payloads), payloads.length)).toEqual(payloads.map(payloadText));
  });

  it('writes a shared piece once for the rows in a row that share it', () => {
    const entity = `"sensor.kitchen_temperature",${'"Kitchen temperature",'.repeat(4)}21.5`;
    const alerts = Array.from({ length: 8 }, (_, i) => pieces(`[1,"id${i}","r${i}",`, entity, ']'));
    const text = burstText(alerts);
    expect(text.split(entity)).toHaveLength(2);
    // Another piece between them: written again after it.
    const broken = burstText([alerts[0]!, pieces('[', 'other', ']'), alerts[1]!]);
    expect(broken.split(entity)).toHaveLength(3);
    expect(burstPayloads(broken, 3)[2]).toBe(payloadText(alerts[1]!));
  });

  it('is not JSON: a version from before bursts cannot read one as a row of one', () => {
    const text = burstText(['{"i":1}', '{"i":2}']);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('reads the first layout still (a JSON array after `burst:`), written by the version before', () => {
    expect(burstPayloads('burst:[{"i":1},[1,"a, b"]]', 2)).toEqual(['{"i":1}', '[1,"a, b"]']);
    expect(() => burstPayloads('burst:[{"i":1}]', 2)).toThrow(
      /a burst of 2 rows whose payload is not an array/,
    );
  });

  it('throws on a payload without its mark, cut short, of another count or of a broken line', () => {
    const text = burstText(['{"i":1}', pieces('{"i":', '2', '}'), pieces('{"j":', '2', '}')]);
    expect(burstPayloads(text, 3)).toEqual(['{"i":1}', '{"i":2}', '{"j":2}']);
    expect(() => burstPayloads(text, 2)).toThrow(/a burst of 2 rows whose payload holds 3/);
    expect(() => burstPayloads(text.slice(0, text.lastIndexOf('\n')), 3)).toThrow(/holds 2/);
    expect(() => burstPayloads('[{"i":1},{"i":2}]', 2)).toThrow(/without its mark/);
    // A line with a separator too many (a payload that broke the codec's rule), or one that
    // says "the shared piece before" with none before it.
    expect(() => burstPayloads('burst2:a\tb\tc\td\ne\t\t', 2)).toThrow(/row 1 is not one/);
    expect(() => burstPayloads('burst2:a\vb\ne\t\t', 2)).toThrow(/row 1 is not one/);
    expect(() => burstPayloads('burst2:a\t\t\nb\vc\vd', 2)).toThrow(/row 2 is not one/);
  });
});
