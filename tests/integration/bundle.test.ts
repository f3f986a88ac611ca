import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * dist/ as `npm run build` wrote it (npm test builds first). V8 keeps a script's source in the
 * heap for as long as the script lives, and one character above U+00FF anywhere in it (a `’`
 * in a comment of a bundled package is enough) makes the whole source a two-byte string:
 * twice the memory for every chunk that has one. scripts/build.mjs escapes them.
 */
describe('the bundle in dist/', () => {
  const scripts = readdirSync('dist').filter((name) => name.endsWith('.js'));

  it('holds the bot and its shared chunks', () => {
    expect(scripts).toEqual(expect.arrayContaining(['index.js', 'healthcheck.js']));
    expect(scripts.some((name) => name.startsWith('shared-'))).toBe(true);
  });

  it('is ASCII only, so V8 holds each source as one byte a character', () => {
    const wide = scripts.flatMap((name) => {
      const text = readFileSync(join('dist', name), 'utf8');
      const at = text.search(/[\u0080-\uffff]/);
      return at === -1 ? [] : [`${name}: ${JSON.stringify(text.slice(at - 20, at + 20))}`];
    });
    expect(wide).toEqual([]);
  });
});
