import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';
import type { BridgeStatus } from './status.js';
import { HEALTH_PATHS, healthBaseUrl } from './url.js';
import { milestone } from '../logging/milestones.js';

export interface HealthServerOptions {
  port: number;
  host: string;
  registry: Registry;
  status: () => BridgeStatus;
  log: Logger;
}

export interface HealthServer {
  /** The bound port (HEALTH_PORT=0 picks a free one). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Liveness (`/livez`: the process works), readiness (`/readyz`, also `/healthz`: HA and
 * Discord are both connected, else 503; the body says which) and `/metrics` (Prometheus
 * text). A restart cures a stuck process, not a Home Assistant restart or a Discord outage,
 * so orchestrators restart on liveness only. Read-only, no secrets, nothing else: it binds to
 * loopback unless HEALTH_HOST says otherwise.
 */
export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    handle(req, res, opts).catch((error: unknown) => {
      opts.log.warn({ err: error, path: req.url }, 'health endpoint failed to answer');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  // A scraper that opens a connection and says nothing must not hold it for ever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  opts: HealthServerOptions,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
    return;
  }
  if (path === HEALTH_PATHS.liveness) {
    // Answering is the proof: a blocked event loop answers nothing, and the caller times out.
    sendJson(req, res, 200, { status: 'ok', uptimeSeconds: Math.floor(process.uptime()) });
    return;
  }
  if (path === HEALTH_PATHS.readiness || path === HEALTH_PATHS.readinessAlias) {
    const status = opts.status();
    sendJson(req, res, status.status === 'ok' ? 200 : 503, status);
    return;
  }
  if (path === HEALTH_PATHS.metrics) {
    const text = await opts.registry.metrics();
    res.writeHead(200, { 'content-type': opts.registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  res
    .writeHead(404, { 'content-type': 'text/plain' })
    .end('not found: try /livez, /readyz (or /healthz) or /metrics\n');
}

function sendJson(req: IncomingMessage, res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : `${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Opens the endpoint when HEALTH_PORT is set, and says where. A failure (the port in use) is
 * logged, not fatal: the bridge itself works without it.
 */
export async function openHealthEndpoint(
  settings: { port: number; host: string } | undefined,
  deps: Omit<HealthServerOptions, 'port' | 'host'>,
): Promise<HealthServer | undefined> {
  if (settings === undefined) return undefined;
  const { host } = settings;
  try {
    const server = await startHealthServer({ ...settings, ...deps });
    const url = healthBaseUrl(host, server.port);
    deps.log.info(
      { ...milestone('health.listening'), url, port: server.port },
      'health endpoint listening: /livez, /readyz and /metrics',
    );
    return server;
  } catch (error) {
    deps.log.error(
      { err: error, ...settings },
      'could not open the health endpoint (HEALTH_PORT in use?)',
    );
    return undefined;
  }
}
