import { PathData } from '../../../src/charts/path-data.js';

/** What the SVG's other numbers are: rounded to tenths, as JavaScript prints them. */
const tenths = (n: number) => String(Math.round(n * 10) / 10);

describe('PathData: path commands written into one buffer', () => {
  it('prints numbers as the rest of the SVG does (tenths, no trailing .0)', () => {
    const numbers = [0, -0, 0.04, -0.04, 0.05, -0.05, 7, 96.96, 123.45, -9.96, 99.95, 1e15, -2e16];
    numbers.push(NaN, Infinity, 2 ** 53);
    let seed = 11;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      numbers.push(((seed / 2 ** 31 - 0.5) * 10 ** (seed % 9)) / 3);
    }
    for (const n of numbers) {
      expect(new PathData(1).cmd('M', n, n).toString()).toBe(`M${tenths(n)} ${tenths(n)}`);
    }
  });

  it('grows past the size it was made for', () => {
    const path = new PathData(1);
    let expected = '';
    for (let i = 0; i < 500; i++) {
      path
        .cmd('M', i * 1.25, -i)
        .cmd('H', i + 0.5)
        .cmd('V', 3)
        .cmd('Z');
      expected += `M${tenths(i * 1.25)} ${tenths(-i)}H${tenths(i + 0.5)}V3Z`;
    }
    expect(path.toString()).toBe(expected);
  });
});
