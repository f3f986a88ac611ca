import { Options } from 'discord.js';

type Transformer = (obj: unknown) => unknown;

/** discord.js' own `jsonTransformer`: every key snake-cased (lodash), recursively. */
const snakeCaseAll = Options.createDefault().jsonTransformer as Transformer;

/** A key lodash's snakeCase gives back unchanged: one word of lowercase ASCII letters. */
const SNAKE_ALREADY = /^[a-z]+$/;

/**
 * discord.js' `jsonTransformer` with the same output, made cheap for what the bot sends most:
 * a flat object whose keys are single lowercase words (an autocomplete choice, `{ name,
 * value }`), copied as it is. discord.js runs the transformer on each of the up to 25 choices
 * of every autocomplete response, and lodash's snakeCase (deburr, a Unicode word regex)
 * per key made about a sixth of what the bot allocated per keystroke. Anything else (nested
 * values, other keys, `emoji`, which discord.js resolves, arrays, class instances) goes to
 * discord.js' own transformer.
 */
export const jsonTransformer: Transformer = (obj) => {
  if (typeof obj !== 'object' || obj === null || Object.getPrototypeOf(obj) !== Object.prototype)
    return snakeCaseAll(obj);
  const source = obj as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (
      !SNAKE_ALREADY.test(key) ||
      key === 'emoji' ||
      (typeof value === 'object' && value !== null)
    )
      return snakeCaseAll(obj);
    copy[key] = value;
  }
  return copy;
};
