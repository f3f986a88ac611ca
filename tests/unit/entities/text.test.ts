import {
  editDistance,
  fold,
  foldAny,
  foldsTo,
  truncate,
  withinEdits,
} from '../../../src/entities/text.js';

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

  it('reads a word in place in a longer text as it reads the word alone', () => {
    const words = ['kitchen', 'kitchn', 'kticheb', 'kitchens', 'ktichen', 'k', '', 'abc', 'xyzxyz'];
    const text = `\n${words.join('\n')}\n`;
    for (const a of words)
      for (const b of words) {
        const start = text.indexOf(`\n${b}\n`) + 1;
        for (const max of [1, 2, 3]) {
          expect(editDistance(a, text, max, start, b.length)).toBe(editDistance(a, b, max));
          expect(withinEdits(a, text, b.length, max, start)).toBe(withinEdits(a, b, b.length, max));
          // The first characters of a longer word (a typo within its start).
          const upTo = Math.min(a.length, b.length);
          expect(withinEdits(a, text, upTo, max, start)).toBe(withinEdits(a, b, upTo, max));
        }
      }
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

describe('foldsTo', () => {
  it('says whether a text folds to a folded text exactly when fold() agrees, or is unsure', () => {
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    let agreed = 0;
    for (let n = 0; n < 20_000; n++) {
      const text = pick(n % 7 === 0 ? 'ab_1.- K' : 'ab_1', Math.floor(next() * 9));
      // Its own fold half the time, another text's the rest.
      const folded = fold(next() < 0.5 ? text : pick('ab_1 ', Math.floor(next() * 6)));
      const says = foldsTo(text, folded);
      if (says) agreed++;
      // Never a yes that fold() denies; a no for its own fold only outside a-z, 0-9 and '_'.
      if (says || /^[a-z0-9_]*$/.test(text))
        expect([text, folded, says]).toEqual([text, folded, fold(text) === folded]);
    }
    expect(agreed).toBeGreaterThan(5000);
  });
});
