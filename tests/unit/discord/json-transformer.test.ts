import { jest } from '@jest/globals';
import { Options } from 'discord.js';
import { choiceFastJsonTransformer } from '../../../src/discord/json-transformer.js';

const snake = Options.createDefault().jsonTransformer!;

describe('choiceFastJsonTransformer', () => {
  it('passes autocomplete choices through without the snake-caser, as it would give them', () => {
    const fallback = jest.fn(snake);
    const transform = choiceFastJsonTransformer(fallback);
    const choices = [
      { name: 'Kitchen Light', value: 'light.kitchen' },
      { name: 'Temperature', value: 21.5 },
      { name: 'Only a name' },
      { value: 3 },
    ];
    for (const choice of choices) {
      expect(transform(choice)).toBe(choice);
      expect(transform(choice)).toEqual(snake(choice));
    }
    expect(fallback).not.toHaveBeenCalled();
  });

  it('leaves everything else to the snake-caser', () => {
    const fallback = jest.fn(snake);
    const transform = choiceFastJsonTransformer(fallback);
    const others: unknown[] = [
      { type: 2, customId: 'ha:toggle', label: 'Toggle' },
      { name: 'x', value: 'y', nameLocalizations: { de: 'x' } },
      { name: 'x', value: { nested: true } },
      { name: 'x', value: null },
      { title: 'Modal', customId: 'm', components: [{ type: 1, components: [] }] },
      Object.assign(Object.create({ inherited: 1 }) as object, { name: 'x', value: 'y' }),
      // Own name and value only, but a class of its own: the snake-caser calls its toJSON().
      new (class {
        name = 'x';
        value = 'y';
        toJSON() {
          return { name: 'from toJSON', value: 'y' };
        }
      })(),
      {},
      [{ name: 'x', value: 'y' }],
    ];
    for (const value of others) {
      expect(JSON.stringify(transform(value))).toBe(JSON.stringify(snake(value)));
    }
    expect(fallback).toHaveBeenCalledTimes(others.length);
    expect(transform({ type: 2, customId: 'a', minValues: 1 })).toEqual({
      type: 2,
      custom_id: 'a',
      min_values: 1,
    });
  });
});
