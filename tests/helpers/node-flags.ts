import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** `npm start`'s command, `[NAME=value ...] node <flags> dist/index.js`, taken apart. */
function startCommand(root: string): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  const node = words.indexOf('node');
  const assignments = words.slice(0, Math.max(node, 0));
  if (
    node < 0 ||
    words.at(-1) !== 'dist/index.js' ||
    !assignments.every((word) => /^[A-Z_][A-Z0-9_]*=\S+$/.test(word))
  ) {
    throw new Error(
      `package.json start is not "[NAME=value ...] node <flags> dist/index.js": ${pkg.scripts?.start}`,
    );
  }
  const env = Object.fromEntries(
    assignments.map((word) => [
      word.slice(0, word.indexOf('=')),
      word.slice(word.indexOf('=') + 1),
    ]),
  );
  return { env, flags: words.slice(node + 1, -1) };
}

/**
 * The Node flags `npm start` gives the bot (package.json `scripts.start`, written as
 * `[NAME=value ...] node <flags> dist/index.js`), e.g. `--max-semi-space-size=2`. Tests and
 * benchmarks start the bot with the same flags, so that what they measure is what users run;
 * the Dockerfiles and the add-on's run.sh are held to them by tests/unit/launchers.test.ts.
 */
export function startNodeFlags(root = process.cwd()): string[] {
  return startCommand(root).flags;
}

/**
 * The environment `npm start` sets for the bot (the `NAME=value` words before `node`), e.g.
 * glibc's MALLOC_ARENA_MAX: tests and benchmarks start the bot with it too, and the Docker
 * image and the add-on's run.sh set it (tests/unit/launchers.test.ts).
 */
export function startEnv(root = process.cwd()): Record<string, string> {
  return startCommand(root).env;
}
