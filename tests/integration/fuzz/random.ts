/** A small seeded PRNG (mulberry32), so a failing fuzz run can be replayed from its seed. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `[[3, 'a'], [1, 'b']]` gives 'a' three times as often. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [w, value] of choices) {
      roll -= w;
      if (roll < 0) return value;
    }
    return choices.at(-1)![1];
  }
}

/** A markdown link that must never render: the checks look for it unescaped. */
export const EVIL_LINK = '[pwned](https://evil.invalid/x)';

/** Pieces of hostile text: control and formatting characters, mentions, markdown, JSON. */
export const FRAGMENTS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u2060',
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  '😀',
  '👨‍👩‍👧',
  '🇺🇸',
  '👍🏽',
  'e\u0301',
  'Küche',
  '中文',
  'ﷺ',
  '@everyone',
  '@here',
  '<@&700000000000000007>',
  '<@190000000000000002>',
  '<@!190000000000000002>',
  '<#822222222222222222>',
  '</ha state:1>',
  '**',
  '*',
  '_',
  '__',
  '~~',
  '||',
  '`',
  '```',
  '```js\nx\n```',
  '# ',
  '## big',
  '> ',
  '>>> ',
  '-# ',
  '- ',
  '1. ',
  '\\',
  EVIL_LINK,
  '<https://evil.invalid>',
  'https://evil.invalid/a_b*c*',
  '{',
  '}',
  '[',
  ']',
  '{"a":',
  '"',
  '\\"',
  '{"__proto__":{"polluted":1}}',
  '[1,2,{"x":',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '%s%n',
  '${x}',
  '{name}',
  "'; DROP TABLE outbox; --",
  '../../etc/passwd',
  'rule:',
  'entity:',
  'rule:fuzz lights',
  '*',
  '?',
  '*.*',
  'binary_sensor.*_door',
  'light.*',
  '30m',
  '0s',
  '99999d',
  '-1h',
  '1.5h',
];

/** Code points that make text misbehave, for random runs of characters. */
const RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x1f],
  [0x20, 0x7e],
  [0x7f, 0x9f],
  [0xa0, 0x2fff],
  [0x200b, 0x206f],
  [0xd800, 0xdfff],
  [0xfe00, 0xffff],
  [0x1f300, 0x1faff],
  [0xe0000, 0xe007f],
];

function randomChars(r: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = r.pick(RANGES);
    out += String.fromCodePoint(lo + r.int(hi - lo + 1));
  }
  return out;
}

/** A known word, changed the way people (and attackers) change them. */
function mutate(r: Random, word: string): string {
  switch (r.int(6)) {
    case 0:
      return word.toUpperCase();
    case 1:
      return `  ${word}\t`;
    case 2: {
      const at = r.int(word.length + 1);
      return word.slice(0, at) + r.pick(FRAGMENTS) + word.slice(at);
    }
    case 3:
      return word.slice(0, Math.max(1, r.int(word.length)));
    case 4:
      return word.replace(/[aeiou]/, 'x');
    default:
      return word;
  }
}

/** Hostile text: very long, random code points, mutated real names, or fragments joined. */
export function hostileString(r: Random, words: readonly string[]): string {
  return r
    .weighted<() => string>([
      [
        1,
        () =>
          r
            .pick(['A', 'é', '😀', '\u202e', '@everyone ', `${EVIL_LINK} `, '`'])
            .repeat(2000 + r.int(8000)),
      ],
      [2, () => randomChars(r, 1 + r.int(60))],
      [3, () => r.pick(words)],
      [3, () => mutate(r, r.pick(words))],
      [
        5,
        () =>
          Array.from({ length: 1 + r.int(4) }, () =>
            r.chance(0.3) ? r.pick(words) : r.pick(FRAGMENTS),
          ).join(r.pick(['', ' ', '\n'])),
      ],
    ])()
    .slice(0, 10_000);
}
