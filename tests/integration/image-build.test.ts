import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  lstatSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ops, parseDockerfile, type Stage } from '../helpers/dockerfile.js';
import { BotProcess } from './harness.js';
import { botEnv, startFakes } from './world.js';

/**
 * The Dockerfile's build stage, run here without Docker (no engine, no base images on these
 * machines): its COPY lines into an empty folder, then its RUN steps, then what the runtime
 * stage copies out of it into another empty folder, which must run the bot. A COPY that
 * misses a file the build reads, a runtime dependency among the dev dependencies, or a file
 * the better-sqlite3 clean-up must not delete all fail here.
 *
 * Two steps are stood in for, not run: `npm ci` (it would download and compile; the test uses
 * this checkout's installed tree, after checking that package-lock.json is package.json's) and
 * `npm prune --omit=dev` (the production tree npm itself lists, hard-linked, so the checkout's
 * node_modules is never written to). `npm cache clean` would empty the machine's shared npm
 * cache and is skipped; apt-get installs system packages the runtime stage provides anyway.
 */

const root = process.cwd();
const dockerfile = parseDockerfile('Dockerfile');
const buildStage = dockerfile.stages.find((s) => s.name === 'build')!;
const runtime = dockerfile.stages.at(-1)!;

/** `COPY a b ./dest/` → [[a, dest], [b, dest]], relative to WORKDIR /app. */
function copies(stage: Stage, fromStage: boolean): [string, string][] {
  return ops(stage, 'COPY')
    .filter((args) => args.startsWith('--from=') === fromStage)
    .flatMap((args) => {
      const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const dest = words.at(-1)!;
      return words.slice(0, -1).map((src) => [src, dest] as [string, string]);
    });
}

/** Where `COPY src dest` puts src under `dir` (WORKDIR /app). */
function target(dir: string, src: string, dest: string): string {
  const base = src
    .replace(/^\/app\//, '')
    .split('/')
    .at(-1)!;
  return dest.endsWith('/') ? join(dir, dest, base) : join(dir, dest);
}

/** The production dependency tree npm lists: its top-level package folders. */
function productionPackages(): string[] {
  const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout;
  const top = new Set<string>();
  for (const line of listed.split('\n')) {
    const parts = relative(root, line.trim()).split('/');
    if (parts[0] !== 'node_modules' || parts.length < 2) continue;
    top.add(parts.slice(0, parts[1]!.startsWith('@') ? 3 : 2).join('/'));
  }
  return [...top].sort();
}

function sh(command: string, cwd: string): void {
  execFileSync('sh', ['-c', command], { cwd, stdio: 'pipe' });
}

describe('the Docker build stage, run directly', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'hdb-image-'));
  });
  afterAll(() => {
    // The checkout's node_modules is linked in during the build: unlink it before deleting.
    const link = join(work, 'app', 'node_modules');
    if (existsSync(link) && lstatSync(link).isSymbolicLink()) unlinkSync(link);
    rmSync(work, { recursive: true, force: true });
  });

  it('builds from its COPY lines alone, and the runtime stage it feeds runs the bot', async () => {
    const app = join(work, 'app');
    mkdirSync(app);
    for (const [src, dest] of copies(buildStage, false)) {
      const to = target(app, src, dest);
      mkdirSync(join(to, '..'), { recursive: true });
      cpSync(join(root, src), to, { recursive: true });
    }

    const handled: string[] = [];
    for (const run of ops(buildStage, 'RUN')) {
      for (const step of run.split(/\s*&&\s*/)) {
        if (/^apt-get |^rm -rf \/var\/lib\/apt/.test(step)) continue;
        if (/^npm ci\b/.test(step)) {
          // Stand-in: the lockfile is package.json's (npm ci refuses otherwise), and the
          // checkout's installed tree is that lockfile's.
          const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
          const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
          expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
          expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
          symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'));
        } else if (step === 'npm run build') {
          sh(step, app);
        } else if (step === 'npm prune --omit=dev') {
          unlinkSync(join(app, 'node_modules'));
          for (const folder of productionPackages()) {
            mkdirSync(join(app, folder, '..'), { recursive: true });
            execFileSync('cp', ['-al', join(root, folder), join(app, folder)]);
          }
        } else if (/^npm cache clean\b/.test(step)) {
          continue;
        } else if (/^cd node_modules\/better-sqlite3$/.test(step)) {
          const rm = run.split(/\s*&&\s*/).at(-1)!;
          expect(rm).toMatch(/^rm -rf /);
          // Deletes only this folder's hard links, never the checkout's files.
          sh(rm, join(app, 'node_modules', 'better-sqlite3'));
          handled.push('better-sqlite3 clean-up');
          break;
        } else {
          throw new Error(`A build step this test does not know: "${step}". Teach it.`);
        }
        handled.push(step.split(' ').slice(0, 3).join(' '));
      }
    }
    expect(handled).toEqual(
      expect.arrayContaining(['npm ci --no-audit', 'npm run build', 'better-sqlite3 clean-up']),
    );
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);

    // The runtime stage: only what it copies from the build stage.
    const image = join(work, 'image');
    mkdirSync(image);
    for (const [src, dest] of copies(runtime, true)) {
      const from = join(app, src.replace(/^\/app\//, ''));
      const to = target(image, src, dest);
      mkdirSync(join(to, '..'), { recursive: true });
      renameSync(from, to);
    }

    const { ha, discord } = await startFakes();
    const bot = BotProcess.start(botEnv(ha, discord, { HEALTH_PORT: '0' }), {
      entry: join(image, 'dist', 'cli.js'),
      args: ['start'],
    });
    try {
      await bot.waitForMilestone('bridge.ready', 30_000);
      await bot.waitForMilestone('ha.connected');
      const url = (await bot.waitForMilestone('health.listening')).url as string;
      // The image's HEALTHCHECK, from the image's own files.
      const check = BotProcess.start(
        { HEALTH_PORT: new URL(url).port },
        { entry: join(image, 'dist', 'healthcheck.js') },
      );
      expect((await check.exited).code).toBe(0);
    } finally {
      expect((await bot.stop()).code).toBe(0);
      await Promise.all([ha.stop(), discord.stop()]);
    }
  }, 300_000);
});
