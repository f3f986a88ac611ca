import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ADDON_DEFAULTS, ADDON_HEALTH_PORT } from '../../src/config/addon-options.js';
import { HEALTH_PATHS } from '../../src/health/url.js';
import { execForm, ops, parseDockerfile, type Stage } from '../helpers/dockerfile.js';

/**
 * `docker build` cannot run here (no engine, no base images), so what can be checked without
 * it is: the Dockerfiles, the add-on's files, package.json and the release workflow agree
 * with each other. tests/integration/image-build.test.ts runs the build stage's commands.
 */

interface AddonConfig {
  version: string;
  arch: string[];
  image: string;
  init: boolean;
  watchdog: string;
  ports: Record<string, unknown>;
  ports_description: Record<string, string>;
  options: Record<string, unknown>;
  schema: Record<string, unknown>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  version: string;
  engines: { node: string };
  scripts: Record<string, string>;
};
const addon = parse(readFileSync('addon/config.yaml', 'utf8')) as AddonConfig;
const main = parseDockerfile('Dockerfile');
const addonDockerfile = parseDockerfile('addon/Dockerfile');
const stage = (name: string): Stage => {
  const found = main.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};
const runtime = main.stages.at(-1)!;
const envOf = (s: Stage): Record<string, string> =>
  Object.fromEntries(
    ops(s, 'ENV').flatMap((args) =>
      [...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!] as const),
    ),
  );

/** `dist/x.js` in a launcher is built from `src/x.ts` (tsconfig.build.json: rootDir src). */
const builtFrom = (distPath: string) =>
  distPath.replace(/^(\/app\/)?dist\//, 'src/').replace(/\.js$/, '.ts');

describe('the Docker image', () => {
  it('runs one Node line in every stage, the line the release tests on', () => {
    // tests/unit/launchers.test.ts ties that line to CI's matrix and package.json's engines.
    const majors = main.stages.map((s) => /^node:(\d+)/.exec(s.from)?.[1]);
    expect(new Set(majors).size).toBe(1);
    const release = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as {
      jobs: { prepare: { steps: { with?: Record<string, unknown> }[] } };
    };
    const node = release.jobs.prepare.steps.find((s) => s.with?.['node-version'] !== undefined);
    expect(String(node?.with?.['node-version'])).toBe(majors[0]);
  });

  it("starts a built entry point, and package.json's main is the bot", () => {
    const entrypoint = execForm(ops(runtime, 'ENTRYPOINT')[0]!);
    const script = entrypoint.find((w) => w.endsWith('.js'))!;
    expect(existsSync(builtFrom(script))).toBe(true);
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.scripts.start).toMatch(/ dist\/index\.js$/);
    // cli.js `start` (the default command) imports index.js, package.json's main.
    expect(execForm(ops(runtime, 'CMD')[0]!)).toEqual(['start']);
    expect(readFileSync('src/cli.ts', 'utf8')).toMatch(/\bstart: .*\bimport\('\.\/index\.js'\)/);
  });

  it('checks liveness with a built script on the port it sets and exposes', () => {
    const check = ops(runtime, 'HEALTHCHECK')[0]!;
    const script = /"(\/app\/dist\/[\w-]+\.js)"/.exec(check)?.[1];
    expect(script).toBe('/app/dist/healthcheck.js');
    expect(readFileSync(builtFrom(script!), 'utf8')).toContain('HEALTH_PATHS.liveness');
    expect(envOf(runtime).HEALTH_PORT).toBe(String(ADDON_HEALTH_PORT));
    expect(ops(runtime, 'EXPOSE')).toEqual([String(ADDON_HEALTH_PORT)]);
  });

  it('copies into the build stage everything npm run build reads, and .dockerignore keeps it', () => {
    const copied = ops(stage('build'), 'COPY').flatMap((args) => args.split(/\s+/).slice(0, -1));
    // The build script bundles src/ with esbuild (which reads these tsconfig files), then
    // stamps dist/ with this script.
    expect(pkg.scripts.build).toBe('node scripts/build.mjs && node scripts/dist-fresh.mjs stamp');
    for (const file of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'scripts/build.mjs',
      'scripts/dist-fresh.mjs',
      'src',
    ]) {
      expect(copied).toContain(file);
    }
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const file of copied) expect([file, ignored.includes(file)]).toEqual([file, false]);
  });
});

describe('the add-on image', () => {
  it('is the bot image plus run.sh, so it runs the same Node, build and dist/', () => {
    expect(addonDockerfile.stages).toHaveLength(1);
    expect(addonDockerfile.stages[0]!.from).toBe('${BOT_IMAGE}');
    expect(addonDockerfile.args.map((a) => a.args)).toContain('BOT_IMAGE=ha-discord-bridge');
    // No download and no npm on the Home Assistant machine: nothing is built there.
    const text = readFileSync('addon/Dockerfile', 'utf8');
    expect(text).not.toMatch(/^\s*(ADD|RUN\s+.*\bnpm\b)/m);
  });

  it('starts run.sh under the tini the bot image installs, as root for the Supervisor /data', () => {
    const s = addonDockerfile.stages[0]!;
    const tini = execForm(ops(runtime, 'ENTRYPOINT')[0]!)[0];
    expect(ops(runtime, 'RUN').join(' ')).toContain('install -y --no-install-recommends tini');
    expect(execForm(ops(s, 'ENTRYPOINT')[0]!)).toEqual([tini, '--']);
    expect(execForm(ops(s, 'CMD')[0]!)).toEqual(['/run.sh']);
    expect(ops(s, 'COPY')).toContain('run.sh /run.sh');
    expect(ops(s, 'USER')).toEqual(['root']);
    // tini is the image's init, so the Supervisor must not add its own.
    expect(addon.init).toBe(false);
    const run = readFileSync('addon/run.sh', 'utf8');
    expect(run).toMatch(/^cd \/app$/m);
    expect(existsSync(builtFrom(/ (dist\/\S+\.js)/.exec(run)![1]!))).toBe(true);
  });

  it('is pulled, per architecture, never built: image with {arch}, amd64 and aarch64', () => {
    expect(addon.image).toMatch(/^ghcr\.io\/[a-z0-9-]+\/\{arch\}-addon-[a-z0-9._-]+$/);
    expect(addon.arch).toEqual(['amd64', 'aarch64']);
    expect(addon.version).toBe(pkg.version);
  });

  it('watches liveness on the health port it declares, the port the bot serves it on', () => {
    const watchdog = /^http:\/\/\[HOST\]:\[PORT:(\d+)\](\/\S*)$/.exec(addon.watchdog);
    expect(watchdog?.slice(1)).toEqual([String(ADDON_HEALTH_PORT), HEALTH_PATHS.liveness]);
    expect(Object.keys(addon.ports)).toEqual([`${ADDON_HEALTH_PORT}/tcp`]);
    expect(Object.keys(addon.ports_description)).toEqual([`${ADDON_HEALTH_PORT}/tcp`]);
    // The Supervisor asks from outside the container: not loopback.
    expect(ADDON_DEFAULTS).toMatchObject({
      HEALTH_PORT: String(ADDON_HEALTH_PORT),
      HEALTH_HOST: '0.0.0.0',
    });
  });

  it('has what the add-on store shows, its options named and its version in the changelog', () => {
    for (const file of ['README.md', 'DOCS.md', 'CHANGELOG.md', 'icon.png', 'logo.png']) {
      expect([file, existsSync(`addon/${file}`)]).toEqual([file, true]);
    }
    const translations = parse(readFileSync('addon/translations/en.yaml', 'utf8')) as {
      configuration: Record<string, unknown>;
      network: Record<string, unknown>;
    };
    expect(Object.keys(translations.configuration).sort()).toEqual(
      Object.keys(addon.schema).sort(),
    );
    expect(Object.keys(translations.network)).toEqual(Object.keys(addon.ports));
    for (const option of Object.keys(addon.options)) expect(addon.schema).toHaveProperty(option);
    expect(readFileSync('addon/CHANGELOG.md', 'utf8')).toMatch(
      new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'),
    );
  });

  it('has the icon (128×128) and logo the store shows, as scripts/addon-images.mjs draws them', () => {
    const size = (file: string) => {
      const png = readFileSync(file);
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    expect(size('addon/icon.png')).toEqual([128, 128]);
    expect(size('addon/logo.png')).toEqual([250, 100]);
    const check = spawnSync(process.execPath, ['scripts/addon-images.mjs', '--check'], {
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('the release', () => {
  interface Workflow {
    on: { push: { tags: string[] } };
    jobs: Record<
      string,
      {
        steps: { run?: string; uses?: string; with?: Record<string, string> }[];
        strategy?: { matrix: { include: { arch: string; platform: string }[] } };
      }
    >;
  }
  const text = readFileSync('.github/workflows/release.yml', 'utf8');
  const workflow = parse(text) as Workflow;
  interface Names {
    code: number | null;
    repository: string;
    url: string;
    image: string;
    addonImage: string;
    problems: string[];
  }
  const names = (): Names => {
    const run = spawnSync(process.execPath, ['scripts/release.mjs', 'names'], { encoding: 'utf8' });
    return { code: run.status, ...(JSON.parse(run.stdout) as Omit<Names, 'code'>) };
  };

  it('runs on a version tag, checks it, and builds the add-on architectures', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(text).toContain('node scripts/release.mjs check "$GITHUB_REF_NAME"');
    const platforms = workflow.jobs.images!.strategy!.matrix.include;
    const docker: Record<string, string> = { amd64: 'linux/amd64', aarch64: 'linux/arm64' };
    expect(platforms.map((p) => p.arch)).toEqual(addon.arch);
    for (const p of platforms) expect(p.platform).toBe(docker[p.arch]);
    const builds = workflow.jobs.images!.steps.filter((s) =>
      s.uses?.startsWith('docker/build-push-action'),
    );
    expect(builds.map((b) => b.with?.file)).toEqual(['Dockerfile', 'addon/Dockerfile']);
    expect(builds[1]!.with?.['build-args']).toContain('BOT_IMAGE=');
  });

  it('reads the owner/name from repository.yaml alone; the add-on and Compose agree with it', () => {
    const found = names();
    expect(found).toMatchObject({ code: 0, problems: [] });
    const repository = parse(readFileSync('repository.yaml', 'utf8')) as { url: string };
    expect(repository.url).toBe(found.url);
    expect(addon.image).toBe(found.addonImage);
    expect(readFileSync('docker-compose.yml', 'utf8')).toContain(`image: ${found.image}:`);
    // The workflow names no repository or image itself.
    expect(text).not.toContain(found.repository);
    expect(text.toLowerCase()).not.toContain(found.image.toLowerCase());
  });

  it('lets a fork publish its own images with one command, and refuses a tag that does not fit', () => {
    const root = mkdtempSync(join(tmpdir(), 'hdb-release-'));
    for (const file of [
      'package.json',
      'repository.yaml',
      'docker-compose.yml',
      'addon/config.yaml',
      'addon/CHANGELOG.md',
      'CHANGELOG.md',
    ]) {
      cpSync(file, join(root, file), { recursive: true });
    }
    const release = (args: string[], env: Record<string, string> = {}) => {
      const run = spawnSync(process.execPath, [resolve('scripts/release.mjs'), ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HDB_ROOT: root, ...env },
      });
      return { code: run.status, out: run.stdout + run.stderr };
    };
    expect(release(['check', `v${pkg.version}`], { GITHUB_REPOSITORY: 'You/Fork' })).toEqual({
      code: 1,
      out: expect.stringContaining('set-repository You/Fork'),
    });
    expect(release(['set-repository', 'You/Fork']).code).toBe(0);
    const outputs = join(root, 'outputs');
    writeFileSync(outputs, '');
    expect(
      release(['check', `v${pkg.version}`], {
        GITHUB_REPOSITORY: 'You/Fork',
        GITHUB_OUTPUT: outputs,
      }),
    ).toMatchObject({ code: 0 });
    expect(readFileSync(outputs, 'utf8')).toBe(
      `version=${pkg.version}\nimage=ghcr.io/you/fork\naddon_image=ghcr.io/you/{arch}-addon-fork\nrepository=You/Fork\n`,
    );
    expect(readFileSync(join(root, 'addon/config.yaml'), 'utf8')).toContain(
      'image: ghcr.io/you/{arch}-addon-fork\n',
    );
    expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).toContain(
      'image: ghcr.io/you/fork:latest\n',
    );
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toContain(
      'https://github.com/You/Fork/releases/tag/',
    );
    const wrongTag = release(['check', 'v9.9.9'], { GITHUB_REPOSITORY: 'You/Fork' });
    expect(wrongTag).toEqual({ code: 1, out: expect.stringContaining('not v' + pkg.version) });
    rmSync(root, { recursive: true, force: true });
  });
});
