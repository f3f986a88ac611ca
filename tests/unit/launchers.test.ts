import { readFileSync } from 'node:fs';
import { startNodeFlags } from '../helpers/node-flags.js';

/**
 * Every way the bot is launched gives Node the same flags as `npm start`, which is also how
 * the integration tests and the benchmarks start it: a launcher that drifts would run a bot
 * nobody measured (the young-generation cap is worth some 30 MB of RSS, see README, Memory).
 */
describe('launchers', () => {
  const flags = startNodeFlags();

  it('npm start caps the young generation', () => {
    expect(flags).toContain('--max-semi-space-size=2');
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

  it('npm run bench runs its in-process benchmarks with the same flags', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { bench: string } };
    expect(pkg.scripts.bench).toContain(`tsx ${flags.join(' ')} bench/run.ts`);
  });

  it('docker compose keeps the image entry point', () => {
    expect(readFileSync('docker-compose.yml', 'utf8')).not.toMatch(/^\s*(entrypoint|command):/m);
  });
});
