import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const CHANNEL_MESSAGES = /^\/api\/v10\/channels\/(\d+)\/messages$/;

/**
 * Discord's per-channel message limit, in front of the fake Discord's REST API: at most
 * `limit` messages per channel in any `windowMs` (Discord: about 5 per 5 s). A message over
 * the limit gets a 429 as Discord sends it, and is counted. Accepted requests carry no
 * X-RateLimit headers, so discord.js cannot wait in advance: only the bot's own pacing keeps
 * it under the limit. Everything else passes through untouched.
 */
export class RateLimitProxy {
  rejected = 0;
  /** When each message the limit let through arrived (Date.now()). */
  readonly accepted: number[] = [];
  private readonly sent = new Map<string, number[]>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  private port = 0;

  constructor(
    private readonly target: string,
    private readonly limit = 5,
    private readonly windowMs = 5000,
  ) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** What the bot gets as DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const channel = req.method === 'POST' ? CHANNEL_MESSAGES.exec(path)?.[1] : undefined;
    if (channel !== undefined) {
      const now = Date.now();
      const recent = (this.sent.get(channel) ?? []).filter((t) => t > now - this.windowMs);
      if (recent.length >= this.limit) {
        this.rejected++;
        const retryAfter = (recent[0]! + this.windowMs - now) / 1000;
        req.resume();
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(Math.ceil(retryAfter)),
          'x-ratelimit-limit': String(this.limit),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': retryAfter.toFixed(3),
          'x-ratelimit-scope': 'user',
        });
        res.end(
          JSON.stringify({
            message: 'You are being rate limited.',
            retry_after: retryAfter,
            global: false,
          }),
        );
        return;
      }
      recent.push(now);
      this.sent.set(channel, recent);
      this.accepted.push(now);
    }
    const target = new URL(this.target);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}
