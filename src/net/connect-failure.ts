/**
 * Why a connection attempt failed, in a few words a person can act on: refused, DNS, TLS,
 * timeout or an HTTP status, followed by the system's own text. Works on what `ws`, Node's
 * fetch (undici, which wraps the system error in `cause`) and discord.js' REST errors throw.
 */
export function describeConnectFailure(error: unknown): string {
  const found = systemError(error);
  const detail = found.message || found.code || 'unknown error';
  const code = found.code ?? '';
  const status = httpStatus(error, detail);
  if (status !== undefined) return `HTTP ${status}: ${detail}`;
  if (code === 'ECONNREFUSED') return `connection refused: ${detail}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return `DNS lookup failed: ${detail}`;
  }
  if (
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    found.name === 'AbortError' ||
    found.name === 'TimeoutError' ||
    /timed out|timeout/i.test(detail)
  ) {
    return `timed out: ${detail}`;
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|VERIFY|EPROTO/i.test(code) || /certificate|SSL|TLS/i.test(detail)) {
    return `TLS error: ${detail}`;
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return `connection reset: ${detail}`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN') {
    return `network unreachable: ${detail}`;
  }
  return detail;
}

interface ErrorLike {
  name?: string;
  code?: string;
  message: string;
}

/**
 * The innermost error that says what the system saw: undici's `fetch failed` carries it in
 * `cause`, and a connection tried on several addresses in an AggregateError's `errors`.
 */
function systemError(error: unknown): ErrorLike {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    if (current === null || typeof current !== 'object') break;
    const e = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    const message = typeof e.message === 'string' ? e.message : '';
    const name = typeof e.name === 'string' ? e.name : undefined;
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined && message !== '') return { name, code, message };
    const errors: unknown[] = Array.isArray(e.errors) ? (e.errors as unknown[]) : [];
    const next = e.cause ?? errors[0];
    if (next === undefined) return { name, code, message };
    current = next;
  }
  return { message: typeof current === 'string' ? current : String(current) };
}

/** An HTTP answer instead of what was asked for: discord.js' `status`, or `ws`'s message. */
function httpStatus(error: unknown, detail: string): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status;
  const match = /Unexpected server response: (\d{3})/.exec(detail);
  return match ? Number(match[1]) : undefined;
}
