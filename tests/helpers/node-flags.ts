import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The Node flags `npm start` gives the bot (package.json `scripts.start`, written as
 * `node <flags> dist/index.js`), e.g. `--max-semi-space-size=2`. Tests and benchmarks start
 * the bot with the same flags, so that what they measure is what users run; the Dockerfiles
 * and the add-on's run.sh are held to them by tests/unit/launchers.test.ts.
 */
export function startNodeFlags(root = process.cwd()): string[] {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/index.js') {
    throw new Error(
      `package.json start is not "node <flags> dist/index.js": ${pkg.scripts?.start}`,
    );
  }
  return words.slice(1, -1);
}
