import { editDistance, fold, isSubsequence, truncate } from '../../../src/entities/text.js';

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

  it('finds subsequences', () => {
    expect(isSubsequence('kl', 'kitchenlight')).toBe(true);
    expect(isSubsequence('lk', 'kl')).toBe(false);
  });

  it('truncates with an ellipsis without splitting surrogate pairs', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('😀😀😀', 4)).toBe('😀…');
    expect(truncate('short', 10)).toBe('short');
  });
});
