import { createServer } from 'node:net';
import WebSocket from 'ws';
import { backoffWithJitter } from '../../../src/net/backoff.js';
import { describeConnectFailure } from '../../../src/net/connect-failure.js';

/** What `new WebSocket(url)` emits as 'error' for `url`. */
function wsError(url: string): Promise<Error> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { handshakeTimeout: 2000 });
    socket.on('error', resolve);
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('describeConnectFailure', () => {
  it("names a refused connection and a failed DNS lookup, from fetch's and ws' errors", async () => {
    const port = await closedPort();
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(describeConnectFailure(refused)).toBe(
      `connection refused: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(describeConnectFailure(await wsError(`ws://127.0.0.1:${port}/`))).toMatch(
      /^connection refused: /,
    );
    const dns = await fetch('http://no-such-host.invalid/').catch((e: unknown) => e);
    expect(describeConnectFailure(dns)).toMatch(/^DNS lookup failed: getaddrinfo \w+ no-such-host/);
  });

  it('names an HTTP answer where a websocket or an API was expected', () => {
    expect(describeConnectFailure(new Error('Unexpected server response: 404'))).toBe(
      'HTTP 404: Unexpected server response: 404',
    );
    // discord.js' HTTPError for a 5xx: the status, and its text as the message.
    const httpError = Object.assign(new Error('Service Unavailable'), { status: 503 });
    expect(describeConnectFailure(httpError)).toBe('HTTP 503: Service Unavailable');
  });

  it('names TLS problems, timeouts and resets', () => {
    const tls = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(describeConnectFailure(new TypeError('fetch failed', { cause: tls }))).toBe(
      'TLS error: self-signed certificate',
    );
    const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(describeConnectFailure(aborted)).toBe('timed out: This operation was aborted');
    expect(describeConnectFailure(new Error('Opening handshake has timed out'))).toBe(
      'timed out: Opening handshake has timed out',
    );
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(describeConnectFailure(reset)).toBe('connection reset: read ECONNRESET');
  });

  it('looks inside an AggregateError (several addresses tried) and keeps unknown text', () => {
    const first = Object.assign(new Error('connect ECONNREFUSED ::1:8123'), {
      code: 'ECONNREFUSED',
    });
    const aggregate = new AggregateError([first], '');
    expect(describeConnectFailure(new TypeError('fetch failed', { cause: aggregate }))).toBe(
      'connection refused: connect ECONNREFUSED ::1:8123',
    );
    expect(describeConnectFailure(new Error('something else'))).toBe('something else');
    expect(describeConnectFailure('a string')).toBe('a string');
  });
});

describe('backoffWithJitter', () => {
  it('doubles from 1 s up to the cap, each delay between half and all of its step', () => {
    expect(backoffWithJitter(0, { random: () => 0 })).toBe(500);
    expect(backoffWithJitter(0, { random: () => 1 })).toBe(1000);
    expect(backoffWithJitter(3, { random: () => 1 })).toBe(8000);
    expect(backoffWithJitter(20, { random: () => 1 })).toBe(30_000);
    expect(backoffWithJitter(20, { random: () => 0 })).toBe(15_000);
    expect(backoffWithJitter(1e9, { maxMs: 60_000, random: () => 0.5 })).toBe(45_000);
  });
});
