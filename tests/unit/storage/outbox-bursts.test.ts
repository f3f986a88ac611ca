import { burstPayloads, burstText } from '../../../src/storage/outbox-bursts.js';

describe('burstText / burstPayloads', () => {
  it("gives back every row's payload, as JSON values", () => {
    const payloads = ['[1,"a","r1",{"x":"a,b]"}]', '{"i":2}', '"text, with [brackets]"', 'null'];
    expect(burstPayloads(burstText(payloads), 4)).toEqual(
      payloads.map((p) => JSON.parse(p) as unknown),
    );
  });

  it('is not JSON: a version from before bursts cannot read one as a row of one', () => {
    const text = burstText(['{"i":1}', '{"i":2}']);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('throws on a payload without its mark, cut short or of another count', () => {
    const text = burstText(['{"i":1}', '{"i":2}', '{"i":3}']);
    expect(() => burstPayloads(text, 2)).toThrow(/a burst of 2 rows whose payload is not an array/);
    expect(() => burstPayloads(text.slice(0, -2), 3)).toThrow(SyntaxError);
    expect(() => burstPayloads('[{"i":1},{"i":2}]', 2)).toThrow(/without its mark/);
  });
});
