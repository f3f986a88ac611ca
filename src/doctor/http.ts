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

/** Which service a failed connection was for: the advice differs (Docker names are HA's). */
export type NetworkTarget = { service: 'Home Assistant' | 'Discord'; url: string };

/** Plain words for a connection that never got an answer, with advice for that service. */
export function describeNetworkError(
  code: string,
  target: NetworkTarget,
  message = code,
): string[] {
  const { service, url } = target;
  const host = hostOf(url);
  if (code === 'ECONNREFUSED') {
    return [
      `Nothing accepts connections at ${url}: the service is not running there, or the port is wrong.`,
    ];
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return service === 'Home Assistant'
      ? [
          `The host name ${host} does not resolve from here.`,
          'In Docker, use the Home Assistant container name (same network) or the host IP; .local names (mDNS) usually do not work inside containers.',
        ]
      : [
          `The host name ${host} does not resolve from here: this machine (or container) has no working DNS or internet access (yet).`,
          "Check its network and DNS settings (in Docker, the host's resolver or `dns:` in the compose file); if you set DISCORD_API_URL, check the host name in it.",
        ];
  }
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return [
      `${url} did not answer in time: a firewall, a wrong address, or a network the bot cannot reach.`,
    ];
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|VERIFY/i.test(code)) {
    return service === 'Home Assistant'
      ? [
          `The TLS certificate of ${url} is not trusted (${code}).`,
          'Use a certificate from a public CA, or point the bot at HA over plain http on the local network, or give Node your CA with NODE_EXTRA_CA_CERTS.',
        ]
      : [
          `The TLS certificate of ${url} is not trusted (${code}).`,
          "A proxy or firewall that intercepts HTTPS, or a wrong system clock: give Node the proxy's CA with NODE_EXTRA_CA_CERTS, or fix the clock.",
        ];
  }
  return [`Could not connect to ${url} (${code === 'UNKNOWN' ? message : code}).`];
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
