import { EmbedBuilder, Options } from 'discord.js';
import { createDiscordClient } from '../../../src/discord/client.js';
import { jsonTransformer } from '../../../src/discord/json-transformer.js';
import { createLogger } from '../../../src/logging/logger.js';

const snakeCaseAll = Options.createDefault().jsonTransformer!;

/** Same value, same key order, at every level (toEqual alone ignores the order). */
const exactly = (value: unknown) => JSON.stringify(value) ?? String(value);

describe('jsonTransformer: discord.js output, cheaper for flat lowercase objects', () => {
  const inputs: unknown[] = [
    // Autocomplete choices, as the bot sends them.
    { name: 'Kitchen Lamp (on)', value: 'light.kitchen' },
    { name: 'Thermostat', value: 21.5 },
    { name: '', value: 0 },
    { value: 'light.a', name: 'A' },
    { name: 'undefined kept', value: undefined },
    { name: null, value: true },
    {},
    // Keys lodash changes, nested values, emoji (resolved by discord.js), other shapes.
    { nameLocalizations: { fr: 'Lampe' }, name: 'Lamp', value: 'light.lamp' },
    { name: 'Lamp', value: 'light.lamp', label2: 'x' },
    { customId: 'a', type: 2, style: 1 },
    { label: 'On', emoji: '👍' },
    { label: 'On', emoji: '123456789012345678' },
    { name: 'a', nested: { innerKey: 1 } },
    { name: 'a', list: [{ someKey: 1 }] },
    { name: 'a', when: new Date(0) },
    { Name: 'capital' },
    { ÿname: 'not ascii' },
    [{ name: 'a', value: 'b' }],
    new EmbedBuilder().setTitle('t'),
    Object.assign(Object.create(null) as object, { name: 'no prototype' }),
    'text',
    42,
    null,
    undefined,
  ];

  it.each(inputs.map((input, i) => [i, input]))('input %i: as discord.js makes it', (_, input) => {
    expect(exactly(jsonTransformer(input))).toBe(exactly(snakeCaseAll(input)));
    expect(jsonTransformer(input)).toEqual(snakeCaseAll(input));
  });

  it('copies a choice: the caller may change either without touching the other', () => {
    const choice = { name: 'Lamp', value: 'light.lamp' };
    const out = jsonTransformer(choice) as typeof choice;
    expect(out).not.toBe(choice);
    out.name = 'changed';
    expect(choice.name).toBe('Lamp');
  });

  it('is the transformer of the bot’s discord.js client', async () => {
    const connection = createDiscordClient({
      apiUrl: undefined,
      log: createLogger({ level: 'silent', secrets: [] }),
    });
    try {
      expect(connection.client.options.jsonTransformer).toBe(jsonTransformer);
    } finally {
      await connection.close();
    }
  });
});
