/**
 * What a member can type into an entity option to make resolution and autocomplete work
 * hard: legal (at most the 200 characters the bot registers the options with), but long,
 * repetitive, or made of characters that folding turns into something else. Used by the
 * unit tests of the bounds, the integration test that sends them through the fakes and the
 * stall benchmark.
 */

/** The options' max_length (setMaxLength(200) on every entity and target option). */
export const OPTION_MAX_LENGTH = 200;

const fill = (unit: string): string => unit.repeat(Math.ceil(OPTION_MAX_LENGTH / unit.length));
/** `unit` repeated to exactly the longest the option allows (never splitting a surrogate pair). */
const longest = (unit: string): string => {
  let out = '';
  for (const ch of fill(unit)) {
    if (out.length + ch.length > OPTION_MAX_LENGTH) break;
    out += ch;
  }
  return out;
};

const ROOM_WORDS =
  'kitchen living room bedroom office garage hallway bathroom attic basement garden ';

export const HOSTILE_QUERIES: Readonly<Record<string, string>> = {
  'an entity id 18 times and a bit': longest('sensor.temp'),
  'an entity id 16 times, spaced': longest('sensor.temp '),
  '200 × x': 'x'.repeat(OPTION_MAX_LENGTH),
  '200 characters of room words': longest(ROOM_WORDS),
  'one word 40 times': longest('lamp '),
  'room words with typos': longest('kitchn bedrom ofice garag hallwy bathrom basment gardn livng '),
  'every letter as a word': longest('a b c d e f g h i j k l m n o p q r s t u v w x y z '),
  'one letter 100 times': longest('a '),
  'two-letter abbreviations': longest('kl '),
  digits: longest('1234567890 '),
  numbers: longest(Array.from({ length: 60 }, (_, i) => String(i * 37)).join(' ') + ' '),
  'one long word of names': longest('kitchenlightceilingtemperature'),
  'a name 12 times': longest('Kitchen 1 Lamp 5 '),
  'a near miss, repeated': longest('kitchen ceiling lamp '),
  emoji: longest('😀🏠💡'),
  'combining marks': longest('a\u0301\u0302\u0303'),
  'combining marks beyond the accents': longest('e\u20dd\u0489'),
  'right-to-left marks': longest('\u200fkitchen\u200e '),
  'Cyrillic and CJK': longest('кухня свет 厨房灯 '),
  'ligatures that fold to several letters': longest('ﷺ'),
  'punctuation only': longest('._-/|'),
};
