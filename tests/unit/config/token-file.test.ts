import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  readTokenFile,
  tokenFileModeProblem,
  tokenFileWriteProblem,
  writeTokenFileAtomically,
} from '../../../src/config/token-file.js';

const root = process.getuid?.() === 0;

function tokenFile(content: string, mode = 0o600): string {
  const dir = mkdtempSync(join(tmpdir(), 'hdb-token-file-'));
  const path = join(dir, 'ha_token');
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

interface WriteOutcome {
  thrown: string | undefined;
  problem: string | undefined;
}

function writeHere(path: string): WriteOutcome {
  let thrown: string | undefined;
  try {
    writeTokenFileAtomically(path, 'new.token.value');
  } catch (error) {
    thrown = String(error);
  }
  return { thrown, problem: tokenFileWriteProblem(path) };
}

/**
 * The same as writeHere, in a Node process running as nobody (uid 65534), with the built code.
 * The Node binary and the module are copied to a folder nobody may read: CI's Node for other
 * lines lives under /root, and `.ci/test-on-node` runs from a private temp copy of the repo.
 */
function writeAsNobody(path: string): WriteOutcome {
  const dir = join(path, '..');
  chownSync(dir, NOBODY, NOBODY);
  chownSync(path, NOBODY, NOBODY);
  const runner = mkdtempSync(join(tmpdir(), 'hdb-token-runner-'));
  try {
    chmodSync(runner, 0o755);
    const node = join(runner, 'node');
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
    // token-file.ts imports only Node's built-ins: esbuild makes it a module that runs alone.
    const module = join(runner, 'token-file.mjs');
    buildSync({
      entryPoints: [resolve('src/config/token-file.ts')],
      outfile: module,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
    });
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(module).href)});
      let thrown;
      try { m.writeTokenFileAtomically(${JSON.stringify(path)}, 'new.token.value'); }
      catch (error) { thrown = String(error); }
      console.log(JSON.stringify({ thrown, problem: m.tokenFileWriteProblem(${JSON.stringify(path)}) }));`;
    const run = spawnSync(node, ['--input-type=module', '-e', script], {
      uid: NOBODY,
      gid: NOBODY,
      cwd: '/',
      encoding: 'utf8',
    });
    if (run.status !== 0) {
      throw new Error(`the unprivileged writer failed: ${run.error?.message ?? run.stderr}`);
    }
    return JSON.parse(run.stdout) as WriteOutcome;
  } finally {
    rmSync(runner, { recursive: true, force: true });
  }
}

const NOBODY = 65534;

describe('the token file', () => {
  it('reads the token without its trailing newline, and says why it cannot', () => {
    expect(readTokenFile(tokenFile('abc.def.ghi\n'))).toEqual({ ok: true, token: 'abc.def.ghi' });
    expect(readTokenFile(tokenFile('\n'))).toMatchObject({ ok: false, problem: /is empty$/ });
    expect(readTokenFile('/nonexistent/ha_token')).toEqual({
      ok: false,
      problem: 'cannot read /nonexistent/ha_token (ENOENT)',
    });
  });

  it('warns of modes wider than 0600 / 0640', () => {
    for (const mode of [0o400, 0o440, 0o600, 0o640]) {
      expect(tokenFileModeProblem('/s/t', 0o100000 | mode)).toBeUndefined();
    }
    expect(tokenFileModeProblem('/s/t', 0o100644)).toMatch(
      /mode 0644: every user of this machine may read it. Make it 0600 \(chmod 600 \/s\/t\)/,
    );
    expect(tokenFileModeProblem('/s/t', 0o100660)).toMatch(
      /may be written or run by more than its owner/,
    );
    expect(tokenFileModeProblem('/s/t', 0o100700)).toBeDefined();
  });

  it('is replaced atomically: new content, same mode, nothing left beside it', () => {
    const path = tokenFile('old.token.value\n', 0o640);
    writeTokenFileAtomically(path, 'new.token.value');
    expect(readFileSync(path, 'utf8')).toBe('new.token.value\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(path, '..'))).toEqual(['ha_token']);
  });

  it('keeps the old token when the new one cannot be written', () => {
    const path = tokenFile('old.token.value\n');
    const dir = join(path, '..');
    chmodSync(dir, 0o500);
    try {
      // Root writes into a read-only folder anyway: try it as an unprivileged user instead.
      const outcome = root ? writeAsNobody(path) : writeHere(path);
      expect(outcome.thrown).toMatch(/EACCES/);
      expect(outcome.problem).toMatch(/cannot create files in/);
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(readFileSync(path, 'utf8')).toBe('old.token.value\n');
    expect(readdirSync(dir)).toEqual(['ha_token']);
  });

  it('leaves no temporary file behind when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-token-file-'));
    const path = join(dir, 'ha_token');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept');
    expect(() => writeTokenFileAtomically(path, 'new.token.value')).toThrow(
      /EISDIR|ENOTEMPTY|EEXIST/,
    );
    expect(readdirSync(dir)).toEqual(['ha_token']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept');
  });

  it('says when the file itself is not writable', () => {
    const path = tokenFile('t\n', 0o400);
    expect(tokenFileWriteProblem(path)).toBe(
      root ? undefined : `${path} is not writable by the bot (EACCES)`,
    );
    expect(tokenFileWriteProblem(tokenFile('t\n'))).toBeUndefined();
  });
});
