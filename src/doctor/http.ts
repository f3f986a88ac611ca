import type { HttpGet, HttpOutcome } from './types.js';

/**
 * A bounded GET with Node's fetch. The body is parsed as JSON when it is JSON, else kept as
 * text; a failure to connect comes back as the system's error code (ECONNREFUSED, ENOTFOUND,
 * CERT_HAS_EXPIRED, TIMEOUT), never as a throw.
 */
export function createHttpGet(timeoutMs = 10_000): HttpGet {
  return async (url, headers): Promise<HttpOutcome> => {
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      let body: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON after all: keep the text
        }
      }
      return { kind: 'response', status: res.status, body };
    } catch (error) {
      return { kind: 'network', ...networkCode(error) };
    }
  };
}

function networkCode(error: unknown): { code: string; message: string } {
  const err = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { code: 'TIMEOUT', message: 'no answer in time' };
  }
  const cause = err.cause;
  return {
    code: cause?.code ?? 'UNKNOWN',
    message: cause?.message ?? err.message ?? String(error),
  };
}

/** Plain words for a connection that never got an answer. */
export function describeNetworkError(code: string, what: string, message = code): string[] {
  if (code === 'ECONNREFUSED') {
    return [
      `Nothing accepts connections at ${what}: the service is not running there, or the port is wrong.`,
    ];
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return [
      `The host name of ${what} does not resolve from here.`,
      'In Docker, use the Home Assistant container name (same network) or the host IP; .local names (mDNS) usually do not work inside containers.',
    ];
  }
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return [
      `${what} did not answer in time: a firewall, a wrong address, or a network the bot cannot reach.`,
    ];
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|VERIFY/i.test(code)) {
    return [
      `The TLS certificate of ${what} is not trusted (${code}).`,
      'Use a certificate from a public CA, or point the bot at HA over plain http on the local network, or give Node your CA with NODE_EXTRA_CA_CERTS.',
    ];
  }
  return [`Could not connect to ${what} (${code === 'UNKNOWN' ? message : code}).`];
}
