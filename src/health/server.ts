import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';
import type { BridgeStatus } from './status.js';
import { healthBaseUrl } from './url.js';

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
 * `/healthz` (200 when HA and Discord are both connected, else 503; the body says which)
 * and `/metrics` (Prometheus text). Read-only, no secrets, nothing else: it binds to
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
  if (path === '/healthz') {
    const status = opts.status();
    const body = `${JSON.stringify(status, null, 2)}\n`;
    res.writeHead(status.status === 'ok' ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (path === '/metrics') {
    const text = await opts.registry.metrics();
    res.writeHead(200, { 'content-type': opts.registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
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
    deps.log.info({ url, port: server.port }, 'health endpoint listening: /healthz and /metrics');
    return server;
  } catch (error) {
    deps.log.error(
      { err: error, ...settings },
      'could not open the health endpoint (HEALTH_PORT in use?)',
    );
    return undefined;
  }
}
