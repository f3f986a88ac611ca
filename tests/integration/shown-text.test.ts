import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { textsShown, wholeNumber } from './shown-text.js';

const CODE = '482913';

describe('looking for a secret number in what the bot showed', () => {
  it('finds it in texts people see, not in ids, nonces, custom ids or timestamps', () => {
    const discord = new FakeDiscord();
    const requests = discord.requests;
    // A reply whose snowflakes, nonce, custom id and <t:…> timestamp hold the digits.
    requests.push({
      method: 'POST',
      path: `/interactions/1${CODE}00000000000/token/callback`,
      at: 0,
      status: 204,
      body: {
        type: 4,
        data: {
          content: `Disarming <t:1748291300:f> for <@190000000${CODE}0002>`,
          embeds: [{ title: 'Alarm', footer: { text: `id 99${CODE}1` } }],
          components: [
            { type: 1, components: [{ type: 2, custom_id: `confirm:${CODE}`, label: 'Confirm' }] },
          ],
          nonce: `${CODE}`,
        },
      },
    });
    expect(JSON.stringify(requests)).toContain(CODE); // what the old check searched
    expect(textsShown(discord).filter((t) => wholeNumber(CODE).test(t))).toEqual([]);

    // Shown anywhere a person reads it, it is found.
    for (const data of [
      { content: `code ${CODE}` },
      { embeds: [{ description: `(${CODE})` }] },
      { embeds: [{ fields: [{ name: 'Code', value: CODE }] }] },
      { embeds: [{ footer: { text: `code:${CODE}` } }] },
      { embeds: [{ author: { name: `owner: disarm ${CODE}` } }] },
      { components: [{ type: 1, components: [{ type: 2, label: `Disarm ${CODE}` }] }] },
    ]) {
      requests.push({
        method: 'POST',
        path: '/interactions/1/t/callback',
        at: 0,
        status: 204,
        body: { type: 4, data },
      });
      expect(textsShown(discord).filter((t) => wholeNumber(CODE).test(t))).toHaveLength(1);
      requests.pop();
    }
  });
});
