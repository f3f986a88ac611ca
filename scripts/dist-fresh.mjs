#!/usr/bin/env node
/**
 * Is dist/ built from the sources as they are now? `npm start`, `npm run doctor` and
 * `npm run deploy-commands` run `ensure` first: it compiles only when something changed, so
 * a production start takes no build (esbuild, a dev dependency), while a fresh
 * clone's `npm ci && npm start` still builds once.
 *
 *   node scripts/dist-fresh.mjs stamp    after a build (npm run build does it): record the sources' hash
 *   node scripts/dist-fresh.mjs check    exit 0 when dist/ is up to date, 1 (and why) when not
 *   node scripts/dist-fresh.mjs ensure   build when it is not (needs the dev dependencies)
 *
 * The hash covers every file under src/, the tsconfig files, the build script and the lockfile
 * (the packages bundled in): contents, not times, so a checkout or a copy that keeps or resets
 * modification times cannot fool it. Plain JavaScript, no dependencies: it runs before any
 * build. HDB_ROOT points it at another checkout (the tests use it).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.HDB_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'];

/** Every file under `dir`, as paths relative to the root with forward slashes, sorted. */
function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder('src'), ...INPUTS.filter((f) => existsSync(join(root, f)))]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Why dist/ cannot be used as it is, or undefined when it can. */
function staleReason() {
  if (!existsSync(join(root, 'dist', 'index.js'))) return 'dist/ has not been built yet';
  if (!existsSync(STAMP))
    return 'dist/ has no build stamp (built by something else than npm run build)';
  if (readFileSync(STAMP, 'utf8').trim() !== sourceHash())
    return 'src/ changed since the last build';
  return undefined;
}

function build(reason) {
  process.stderr.write(`${reason}: building (npm run build)...\n`);
  if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
    process.stderr.write(
      'esbuild is not installed (a production install, npm ci --omit=dev). Build where the dev ' +
        'dependencies are installed: npm ci && npm run build; then npm start runs without them.\n',
    );
    process.exit(1);
  }
  // npm sets npm_execpath for scripts it runs; run the same npm.
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: true });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const command = process.argv[2];
if (command === 'stamp') {
  mkdirSync(dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `${sourceHash()}\n`);
} else if (command === 'check') {
  const reason = staleReason();
  process.stdout.write(`${reason ?? 'dist/ is up to date'}\n`);
  process.exit(reason === undefined ? 0 : 1);
} else if (command === 'ensure') {
  const reason = staleReason();
  if (reason !== undefined) build(reason);
} else {
  process.stderr.write('Usage: node scripts/dist-fresh.mjs stamp|check|ensure\n');
  process.exit(2);
}
