import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ops, parseDockerfile } from '../helpers/dockerfile.js';
import { startEnv, startNodeFlags } from '../helpers/node-flags.js';

/**
 * Every way the bot is launched gives Node the same flags as `npm start`, which is also how
 * the integration tests and the benchmarks start it: a launcher that drifts would run a bot
 * nobody measured (the young-generation cap is worth some 30 MB of RSS, see README, Memory).
 */
describe('launchers', () => {
  const flags = startNodeFlags();
  const env = startEnv();

  it('npm start caps the young generation', () => {
    expect(flags).toContain('--max-semi-space-size=2');
  });

  it('npm start gives glibc two malloc arenas and a fixed mmap threshold (CONTRIBUTING, Memory)', () => {
    expect(env).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
  });

  it('the Docker image sets the same environment', () => {
    const runtime = parseDockerfile('Dockerfile').stages.at(-1)!;
    const set = Object.fromEntries(
      ops(runtime, 'ENV').flatMap((args) =>
        [...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]),
      ),
    );
    expect(set).toMatchObject(env);
  });

  it("the add-on's run.sh exports the same environment", () => {
    const text = readFileSync('addon/run.sh', 'utf8');
    const set = Object.fromEntries(
      [...text.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(\S+)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(set).toEqual(env);
  });

  it('the Docker image starts node with the same flags', () => {
    const line = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    const entrypoint = JSON.parse(line ?? '[]') as string[];
    const node = entrypoint.indexOf('node');
    expect(node).toBeGreaterThan(-1);
    expect(entrypoint.slice(node + 1, node + 1 + flags.length)).toEqual(flags);
    expect(entrypoint[node + 1 + flags.length]).toBe('/app/dist/cli.js');
  });

  it("the add-on's run.sh starts node with the same flags", () => {
    const exec = /^exec node (.*)$/m.exec(readFileSync('addon/run.sh', 'utf8'))?.[1];
    expect(exec?.split(/\s+/)).toEqual([...flags, 'dist/addon.js', '"$@"']);
  });

  it('npm run bench runs its in-process benchmarks with the same environment and flags', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { bench: string } };
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${value} `);
    expect(pkg.scripts.bench).toContain(
      `${assignments.join('')}tsx ${flags.join(' ')} bench/run.ts`,
    );
  });

  it('docker compose keeps the image entry point', () => {
    expect(readFileSync('docker-compose.yml', 'utf8')).not.toMatch(/^\s*(entrypoint|command):/m);
  });
});

/**
 * The Node lines the bot supports are the ones CI tests; the images ship the newest of them
 * (the active LTS). `engines` says the same, so npm warns on a line nobody tested.
 */
describe('Node versions', () => {
  const fromMajors = (file: string): number[] =>
    [...readFileSync(file, 'utf8').matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
  const workflow = parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as {
    jobs: Record<
      string,
      {
        strategy?: { matrix?: { node?: number[] } };
        steps: { with?: Record<string, string | number> }[];
      }
    >;
  };
  const tested = workflow.jobs.test?.strategy?.matrix?.node ?? [];
  const imageLine = fromMajors('Dockerfile')[0];

  it('the Docker image and the add-on build and run on one Node line', () => {
    expect(fromMajors('Dockerfile')).toEqual([imageLine, imageLine]); // build and runtime stages
    // The add-on image is the bot image plus run.sh (tests/unit/packaging.test.ts): no Node of
    // its own.
    expect(fromMajors('addon/Dockerfile')).toEqual([]);
    expect(readFileSync('addon/Dockerfile', 'utf8')).toMatch(/^FROM \$\{BOT_IMAGE\}$/m);
  });

  it('that line is the newest the GitHub workflow tests, and every job runs a tested line', () => {
    expect(tested.length).toBeGreaterThan(1);
    expect(imageLine).toBe(Math.max(...tested));
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) {
        const version = step.with?.['node-version'];
        if (version !== undefined && version !== '${{ matrix.node }}') {
          expect(tested).toContain(version);
        }
      }
    }
  });

  it(".ci/run tests the image's line and the other tested lines besides the machine's", () => {
    const lines = /CI_NODE_LINES-([\d ]+)\}/.exec(readFileSync('.ci/run', 'utf8'))?.[1];
    const extra = (lines ?? '').trim().split(/\s+/).map(Number);
    expect(extra).toContain(imageLine);
    for (const major of extra) expect(tested).toContain(major);
  });

  it("package.json's engines admits exactly the tested lines", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    const admitted = pkg.engines.node.split('||').map((part) => /^\s*\^(\d+)\s*$/.exec(part)?.[1]);
    expect(admitted.map(Number)).toEqual(tested);
  });
});
