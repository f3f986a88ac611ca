/**
 * Starts a real Home Assistant Core (the release under test, see HA_VERSION, from the venv that
 * setup.sh builds for it) for e2e tests:
 * fresh config dir per run, free port on 127.0.0.1, owner created through the onboarding API and
 * a long-lived access token created over the websocket, exactly as a user would in the UI.
 *
 *   const ha = await startRealHa();
 *   try { ...ha.url, ha.token... } finally { await ha.stop(); }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { HaSocket } from './ha-socket.js';

export { HaAuthError, HaCommandError, HaSocket } from './ha-socket.js';
export type { HaErrorPayload, HaMessage } from './ha-socket.js';

const HA_DIR = path.dirname(fileURLToPath(import.meta.url));
const RELEASES_FILE = path.join(HA_DIR, 'releases.txt');

/** The releases the suite runs against (releases.txt), oldest first. */
export function haReleases(): string[] {
  return readFileSync(RELEASES_FILE, 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => line.split(/\s+/)[0]!);
}

/**
 * The release under test: jest.e2e.config.js gives each project its own (`globals.haE2eVersion`);
 * outside jest, HA_E2E_VERSION.
 */
function selectedRelease(): string {
  const version =
    (globalThis as { haE2eVersion?: string }).haE2eVersion ?? process.env.HA_E2E_VERSION;
  const releases = haReleases();
  if (version === undefined || !releases.includes(version)) {
    throw new Error(
      `No Home Assistant release chosen for the e2e tests (got ${version}): run them through ` +
        `jest.e2e.config.js or set HA_E2E_VERSION to one of ${releases.join(', ')}.`,
    );
  }
  return version;
}

export const HA_VERSION = selectedRelease();

/**
 * The value for the release under test, from one per release: a fact that differs between HA
 * releases. A release without an entry is an error, so adding a release asks for each fact.
 */
export function byRelease<T>(values: Record<string, T>): T {
  if (!(HA_VERSION in values)) {
    throw new Error(`no value for Home Assistant ${HA_VERSION} in ${JSON.stringify(values)}`);
  }
  return values[HA_VERSION]!;
}

const SETUP_SCRIPT = path.join(HA_DIR, 'setup.sh');
const LAUNCHER = path.join(HA_DIR, 'launch.py');
const CONFIG_TEMPLATE = path.join(HA_DIR, 'config');
/** Written by setup.sh as its very last step. */
const MARKER = '.ha-e2e-complete';
const HOST = '127.0.0.1';

const OWNER = { name: 'E2E Owner', username: 'owner', password: 'e2e-owner-password' };

export interface RealHa {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  configDir: string;
  /** A long-lived access token of the owner (admin), made for the code under test. */
  token: string;
  /** HA's log file (`--log-file`). */
  logFile: string;
  /** SIGTERM, wait for exit (SIGKILL after a timeout), then delete the config dir. */
  stop(): Promise<void>;
  /** Stop and start again on the same port and config dir (state in .storage persists). */
  restart(opts?: { waitRunning?: boolean }): Promise<void>;
  /**
   * Kills HA with SIGKILL, as a power loss or the OOM killer would: no stop event, no final
   * write (restore_state.json keeps HA's last periodic save). `restart()` starts it again.
   */
  crash(): Promise<void>;
  /** Polls `GET /api/config` (every `pollMs`, default 200) until `state == "RUNNING"`. */
  waitRunning(timeoutMs?: number, pollMs?: number): Promise<void>;
  /** One-shot websocket command with the harness' own admin token; rejects with HaCommandError. */
  ws<T = unknown>(msg: Record<string, unknown>): Promise<T>;
  /** Deletes the refresh token behind a long-lived access token, as the UI's "Delete" does. */
  revokeToken(token: string): Promise<void>;
  /** Creates the area (or reuses one with that name), assigns the entities; returns its area_id. */
  setupArea(name: string, entityIds: string[]): Promise<string>;
}

export interface StartRealHaOptions {
  /** Cache folder holding the venv (default: $HA_E2E_CACHE or ~/.cache/ha-discord-bridge). */
  cacheDir?: string;
  /** Bound for start to RUNNING (default 90 s). */
  startTimeoutMs?: number;
  /**
   * Run setup.sh before starting, building or updating the venv if needed (default true; env
   * HA_E2E_NO_SETUP=1 turns it off: then a missing venv is an error).
   */
  autoSetup?: boolean;
  /** Bound for setup.sh (default 15 min). */
  setupTimeoutMs?: number;
  /**
   * YAML appended to this run's configuration.yaml, e.g. `recorder:` (its requirements are in
   * the venv: other integrations depend on it). Its domains' requirements are not installed.
   */
  extraConfig?: string;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (spawned detached)
  } catch {
    // already gone
  }
}

export function defaultCacheDir(): string {
  return process.env.HA_E2E_CACHE ?? path.join(homedir(), '.cache', 'ha-discord-bridge');
}

export function venvDir(cacheDir = defaultCacheDir()): string {
  return path.join(cacheDir, `venv-${HA_VERSION}`);
}

/**
 * The venv's path. Runs setup.sh, which returns in milliseconds when the venv is up to date and
 * (re)builds it otherwise (about a minute). With autoSetup off, only checks that a venv exists.
 */
export async function ensureVenv(opts: StartRealHaOptions = {}): Promise<string> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const venv = venvDir(cacheDir);
  const complete = existsSync(path.join(venv, MARKER));
  const autoSetup = opts.autoSetup ?? process.env.HA_E2E_NO_SETUP !== '1';
  if (!autoSetup) {
    if (complete) return venv;
    throw new Error(
      `No complete Home Assistant venv at ${venv}. Run tests/e2e/ha/setup.sh ${HA_VERSION} ` +
        'first (needs the Python in releases.txt and access to PyPI; takes about a minute).',
    );
  }
  if (!complete) {
    process.stderr.write(`[real-ha] building the HA ${HA_VERSION} venv with ${SETUP_SCRIPT}...\n`);
  }
  const child = spawn('bash', [SETUP_SCRIPT, HA_VERSION], {
    env: { ...process.env, HA_E2E_CACHE: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // so a timeout can kill pip too
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timeoutMs = opts.setupTimeoutMs ?? 15 * 60_000;
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0 || !existsSync(path.join(venv, MARKER))) {
    throw new Error(`setup.sh failed (exit ${code}); its output ends with:\n${tail(output, 40)}`);
  }
  return venv;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function tail(text: string, lines: number): string {
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

function readTail(file: string, lines = 60): string {
  try {
    return tail(readFileSync(file, 'utf8'), lines);
  } catch {
    return '(no file)';
  }
}

/** Ends a poll at once instead of retrying. */
class FatalError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The refresh token id behind an access token: the JWT's `iss` claim. */
export function refreshTokenIdOf(token: string): string {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    iss?: unknown;
  };
  if (typeof claims.iss !== 'string') throw new Error('JWT without iss');
  return claims.iss;
}

interface RefreshTokenInfo {
  id: string;
  client_name: string | null;
  type: string;
}

class RealHaInstance implements RealHa {
  readonly url: string;
  readonly logFile: string;
  readonly stdoutFile: string;
  token = '';
  private adminToken = '';
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly venv: string,
    readonly configDir: string,
    readonly port: number,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `http://${HOST}:${port}`;
    this.logFile = path.join(configDir, 'e2e-home-assistant.log');
    this.stdoutFile = path.join(configDir, 'e2e-hass-stdout.log');
  }

  /** Spawns hass and waits for its HTTP server. */
  async spawn(): Promise<void> {
    const out = openSync(this.stdoutFile, 'a');
    // launch.py is bin/hass plus a watchdog: it stops HA when its stdin pipe closes, i.e. when
    // this process dies in any way (a jest `process.on('exit')` hook would not run).
    const child = spawn(
      path.join(this.venv, 'bin', 'python'),
      [LAUNCHER, '-c', this.configDir, '--skip-pip', '--log-file', this.logFile],
      {
        cwd: this.configDir,
        detached: true, // own process group: stop() signals everything hass started
        stdio: ['pipe', out, out],
        env: { ...process.env, HA_E2E_PORT: String(this.port) },
      },
    );
    closeSync(out);
    // Neither the process nor the watchdog pipe keeps the test runner alive.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on('exit', () => resolve());
      child.on('error', () => resolve());
    });
    // /api/onboarding needs no auth, so polling it logs no failed login attempt.
    await this.poll('HTTP server', this.startTimeoutMs, 200, async () => {
      const res = await this.fetch('/api/onboarding');
      return res.status === 200;
    });
  }

  /** Onboarding (owner user, analytics, integration) and the tokens. */
  async onboard(): Promise<void> {
    const clientId = `${this.url}/`;
    const user = await this.postJson<{ auth_code: string }>('/api/onboarding/users', {
      client_id: clientId,
      ...OWNER,
      language: 'en',
    });
    const tokenRes = await this.fetch('/auth/token', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: user.auth_code,
        client_id: clientId,
      }),
    });
    if (!tokenRes.ok) throw new Error(`/auth/token: ${tokenRes.status} ${await tokenRes.text()}`);
    const { access_token: accessToken } = (await tokenRes.json()) as { access_token: string };

    // The UI's remaining steps, except core_config: that one starts config flows for
    // google_translate, met, radio_browser and shopping_list, whose requirements we don't install.
    await this.postJson('/api/onboarding/analytics', {}, accessToken);
    await this.postJson(
      '/api/onboarding/integration',
      { client_id: clientId, redirect_uri: `${clientId}?auth_callback=1` },
      accessToken,
    );

    const socket = await HaSocket.connect(this.url, accessToken);
    try {
      const llat = (name: string): Promise<string> =>
        socket.command<string>({
          type: 'auth/long_lived_access_token',
          client_name: name,
          lifespan: 3650,
        });
      this.token = await llat('ha-discord-bridge e2e');
      this.adminToken = await llat('e2e harness');
      // The user step also created the default areas (Living Room, Kitchen, Bedroom) in the
      // user's language; remove them so a test's world holds only the areas it sets up.
      const areas = await socket.command<{ area_id: string }[]>({
        type: 'config/area_registry/list',
      });
      for (const { area_id } of areas) {
        await socket.command({ type: 'config/area_registry/delete', area_id });
      }
    } finally {
      socket.close();
    }
  }

  async waitRunning(timeoutMs = this.startTimeoutMs, pollMs = 200): Promise<void> {
    await this.poll('state RUNNING', timeoutMs, pollMs, async () => {
      const res = await this.fetch('/api/config', {
        headers: { Authorization: `Bearer ${this.adminToken}` },
      });
      if (!res.ok) return false;
      const config = (await res.json()) as { state?: string; recovery_mode?: boolean };
      if (config.recovery_mode) {
        throw new FatalError('Home Assistant started in recovery mode (see its log)');
      }
      return config.state === 'RUNNING';
    });
  }

  async stop(): Promise<void> {
    await this.halt();
    if (process.env.HA_E2E_KEEP === '1') {
      process.stderr.write(`[real-ha] kept ${this.configDir}\n`);
      return;
    }
    await rm(this.configDir, { recursive: true, force: true });
  }

  async restart(opts: { waitRunning?: boolean } = {}): Promise<void> {
    await this.halt();
    try {
      await this.spawn();
      if (opts.waitRunning ?? true) await this.waitRunning();
    } catch (err) {
      await this.halt();
      throw this.withLog(err);
    }
  }

  async ws<T = unknown>(msg: Record<string, unknown>): Promise<T> {
    const socket = await HaSocket.connect(this.url, this.adminToken);
    try {
      return await socket.command<T>(msg);
    } finally {
      socket.close();
    }
  }

  async revokeToken(token: string): Promise<void> {
    const id = refreshTokenIdOf(token);
    const tokens = await this.ws<RefreshTokenInfo[]>({ type: 'auth/refresh_tokens' });
    if (!tokens.some((t) => t.id === id)) throw new Error(`no refresh token ${id} in HA`);
    await this.ws({ type: 'auth/delete_refresh_token', refresh_token_id: id });
  }

  async setupArea(name: string, entityIds: string[]): Promise<string> {
    const areas = await this.ws<{ area_id: string; name: string }[]>({
      type: 'config/area_registry/list',
    });
    const area =
      areas.find((a) => a.name === name) ??
      (await this.ws<{ area_id: string }>({ type: 'config/area_registry/create', name }));
    for (const entityId of entityIds) {
      await this.ws({
        type: 'config/entity_registry/update',
        entity_id: entityId,
        area_id: area.area_id,
      });
    }
    return area.area_id;
  }

  async crash(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // HA saves its auth store a second after the last change, and every use of a token
    // (last_used_at) puts that off: killed earlier, HA would forget the tokens made for the
    // test, and answer them 401 after the restart.
    const authFile = path.join(this.configDir, '.storage', 'auth');
    const ids = [this.token, this.adminToken].map(refreshTokenIdOf);
    await this.poll('tokens saved to .storage/auth', 30_000, 100, async () => {
      const text = await readFile(authFile, 'utf8').catch(() => '');
      return ids.every((id) => text.includes(id));
    });
    this.child = undefined;
    killGroup(child, 'SIGKILL');
    await this.exited;
    child.stdin?.destroy();
  }

  /** SIGTERM the process group, SIGKILL after 30 s; resolves once hass has exited. */
  async halt(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
    child.stdin?.destroy();
    // Whatever hass left behind in its group (it starts none normally).
    killGroup(child, 'SIGKILL');
  }

  /** An error carrying the tail of HA's log and stdout. */
  withLog(err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    return new Error(
      `${message}\n--- ${this.logFile} (tail) ---\n${readTail(this.logFile)}` +
        `\n--- hass stdout/stderr (tail) ---\n${readTail(this.stdoutFile, 30)}`,
      { cause: err },
    );
  }

  private async poll(
    what: string,
    timeoutMs: number,
    pollMs: number,
    ready: () => Promise<boolean>,
  ): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      if (!this.child) throw new Error(`hass was stopped while waiting for ${what}`);
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `hass exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}`,
        );
      }
      try {
        if (await ready()) return;
      } catch (err) {
        if (err instanceof FatalError) throw err;
        last = err; // connection refused while HA boots
      }
      if (Date.now() > end) {
        const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
        throw new Error(`Home Assistant: no ${what} within ${timeoutMs} ms${detail}`);
      }
      await sleep(pollMs);
    }
  }

  private fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${pathname}`, { ...init, signal: AbortSignal.timeout(10_000) });
  }

  private async postJson<T = unknown>(
    pathname: string,
    body: Record<string, unknown>,
    bearer?: string,
  ): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const res = await this.fetch(pathname, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${pathname}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

/** Starts a fresh real Home Assistant; resolves once it is RUNNING and a token exists. */
export async function startRealHa(opts: StartRealHaOptions = {}): Promise<RealHa> {
  const venv = await ensureVenv(opts);
  const configDir = await mkdtemp(path.join(tmpdir(), 'ha-e2e-'));
  await cp(CONFIG_TEMPLATE, configDir, { recursive: true });
  if (opts.extraConfig !== undefined) {
    await appendFile(path.join(configDir, 'configuration.yaml'), `\n${opts.extraConfig}\n`);
  }
  const ha = new RealHaInstance(venv, configDir, await freePort(), opts.startTimeoutMs ?? 90_000);
  try {
    await ha.spawn();
    await ha.onboard();
    await ha.waitRunning();
    return ha;
  } catch (err) {
    const error = ha.withLog(err);
    await ha.halt();
    if (process.env.HA_E2E_KEEP !== '1') await rm(configDir, { recursive: true, force: true });
    throw error;
  }
}
