import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve('scripts/dist-fresh.mjs');

/** A checkout of its own: src/, the tsconfig files, a built dist/ and no node_modules. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'hdb-fresh-'));
  mkdirSync(join(root, 'src', 'sub'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'src', 'index.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'sub', 'b.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'tsconfig.json'), '{}\n');
  writeFileSync(join(root, 'tsconfig.build.json'), '{}\n');
  writeFileSync(join(root, 'dist', 'index.js'), 'export const a = 1;\n');
  return root;
}

function run(root: string, command: string) {
  const result = spawnSync(process.execPath, [SCRIPT, command], {
    env: { PATH: process.env.PATH ?? '', HDB_ROOT: root },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('scripts/dist-fresh.mjs: npm start compiles only when the sources changed', () => {
  let root: string;
  beforeEach(() => {
    root = checkout();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is up to date after a stamp, and stale once a source, a tsconfig, the build script or the stamp changes', () => {
    expect(run(root, 'check')).toEqual({ code: 1, out: expect.stringContaining('no build stamp') });
    expect(run(root, 'stamp').code).toBe(0);
    expect(run(root, 'check')).toEqual({ code: 0, out: 'dist/ is up to date\n' });
    writeFileSync(join(root, 'src', 'sub', 'b.ts'), 'export const b = 3;\n');
    expect(run(root, 'check')).toEqual({ code: 1, out: expect.stringContaining('src/ changed') });
    run(root, 'stamp');
    writeFileSync(join(root, 'src', 'sub', 'c.ts'), '\n');
    expect(run(root, 'check').code).toBe(1);
    run(root, 'stamp');
    writeFileSync(join(root, 'tsconfig.build.json'), '{"compilerOptions":{}}\n');
    expect(run(root, 'check').code).toBe(1);
    run(root, 'stamp');
    // The build script decides what dist/ holds too.
    mkdirSync(join(root, 'scripts'), { recursive: true });
    writeFileSync(join(root, 'scripts', 'build.mjs'), '// bundle\n');
    expect(run(root, 'check').code).toBe(1);
    rmSync(join(root, 'dist', 'index.js'));
    expect(run(root, 'check')).toEqual({ code: 1, out: expect.stringContaining('not been built') });
  });

  it('ensure does nothing when up to date, and says what to do where it cannot build', () => {
    run(root, 'stamp');
    expect(run(root, 'ensure')).toEqual({ code: 0, out: '' });
    writeFileSync(join(root, 'src', 'index.ts'), 'export const a = 2;\n');
    const stale = run(root, 'ensure');
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('src/ changed since the last build: building');
    expect(stale.out).toContain('npm ci && npm run build');
  });

  it('is what npm start, doctor and deploy-commands run first, and what npm run build stamps', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const name of ['prestart', 'predoctor', 'predeploy-commands']) {
      expect([name, scripts[name]]).toEqual([name, 'node scripts/dist-fresh.mjs ensure']);
    }
    expect(scripts.build).toMatch(
      /^node scripts\/build\.mjs && node scripts\/dist-fresh\.mjs stamp$/,
    );
  });
});
