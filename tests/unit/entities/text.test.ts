import { editDistance, fold, foldAny, truncate } from '../../../src/entities/text.js';

describe('text helpers', () => {
  it('folds case, accents and punctuation', () => {
    expect(fold('Küche_Licht')).toBe('kuche licht');
    expect(fold('  Living-Room  LAMP ')).toBe('living room lamp');
    expect(fold('light.kitchen_light')).toBe('light kitchen light');
  });

  it('counts edits including adjacent swaps, bounded', () => {
    expect(editDistance('kitchen', 'kitchen')).toBe(0);
    expect(editDistance('kitchn', 'kitchen')).toBe(1);
    expect(editDistance('kticheb', 'kitchen')).toBe(2);
    expect(editDistance('abc', 'xyzxyz', 1)).toBe(2);
  });

  it('truncates with an ellipsis without splitting surrogate pairs', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('😀😀😀', 4)).toBe('😀…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('fold ASCII shortcut', () => {
  it('folds every ASCII text as the full fold does', () => {
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 20_000; n++) {
      const text = Array.from({ length: Math.floor(next() * 12) }, () =>
        String.fromCharCode(Math.floor(next() * 128)),
      ).join('');
      expect([text, fold(text)]).toEqual([text, foldAny(text)]);
    }
  });
});
