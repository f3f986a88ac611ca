import type { Json, RecordedRequest } from '../../fakes/discord/fake-discord.js';
import { mentionProblems, outsideCode, textProblems } from './checks.js';

const reply = (data: Json, allowedMentions?: Json): RecordedRequest => ({
  method: 'POST',
  path: '/interactions/1/t/callback',
  at: 0,
  status: 204,
  body: { type: 4, data },
  ...(allowedMentions === undefined ? {} : { allowedMentions }),
});
const none = { roles: [], users: [] };

describe('the fuzz checks (the oracle must be right)', () => {
  it('sees markdown as Discord does: code verbatim, escapes inert', () => {
    expect(outsideCode('a `b\\` c')).toBe('a   c');
    expect(outsideCode('\\`\\`\\`# H')).toBe('xxx# H');
    expect(outsideCode('``x`y`` z')).toBe('  z');
    expect(outsideCode('\\\\[x](https://e)')).toBe('x[x](https://e)');
    expect(outsideCode('lone ` tick')).toBe('lone x tick');
  });

  it('flags rendered links, mentions, headings and hidden characters, not escaped ones', () => {
    const flagged = (content: string) =>
      textProblems(reply({ content }, { parse: [] }), none).length > 0;
    expect(flagged('see [a](https://evil.invalid)')).toBe(true);
    expect(flagged('see \\[a\\](https://evil.invalid)')).toBe(false);
    expect(flagged('see `[a](https://evil.invalid)`')).toBe(false);
    expect(flagged('hi @everyone')).toBe(true);
    expect(flagged('hi @\u200beveryone')).toBe(false);
    expect(flagged('x\n# big')).toBe(true);
    expect(flagged('x\n\\# big')).toBe(false);
    expect(flagged('right\u202eto left')).toBe(true);
  });

  it('requires allowed_mentions that parse nothing and name no one in replies', () => {
    expect(mentionProblems(reply({ content: 'x' }), none)).toEqual([
      'POST /interactions/1/t/callback: no allowed_mentions',
    ]);
    expect(mentionProblems(reply({ content: 'x' }, { parse: [] }), none)).toEqual([]);
    expect(mentionProblems(reply({ content: 'x' }, { parse: ['everyone'] }), none)).toHaveLength(1);
    expect(
      mentionProblems(reply({ content: 'x' }, { parse: [], roles: ['1'] }), {
        roles: ['1'],
        users: [],
      }),
    ).toHaveLength(1);
  });
});
