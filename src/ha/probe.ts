import WebSocket from 'ws';
import {
  buildTokenReport,
  type RawRefreshToken,
  type RawUser,
  type TokenReport,
} from './token-report.js';

export type WebsocketProbe =
  | { kind: 'ok'; haVersion: string; coreState: string | undefined; token?: TokenReport }
  | { kind: 'auth_invalid'; message: string }
  | { kind: 'banned' }
  | { kind: 'unreachable'; reason: string };

interface ProbeMessage {
  type?: string;
  ha_version?: string;
  message?: string;
  id?: number;
  success?: boolean;
  result?: unknown;
  error?: { message?: string };
}

/**
 * One websocket login, as the bot does it, then `get_config` for HA's version and state and
 * `auth/current_user` and `auth/refresh_tokens` for whose token it is, then a clean close.
 * For `npm run doctor`: no haws, no retries (a rejected token is tried exactly once, so the
 * doctor never adds to HA's failed-login count).
 */
export function probeWebsocket(
  wsUrl: string,
  token: string,
  timeoutMs = 10_000,
): Promise<WebsocketProbe> {
  return new Promise((resolve) => {
    let haVersion = 'unknown';
    let done = false;
    const answers = new Map<number, ProbeMessage>();
    const socket = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs });
    const finish = (result: WebsocketProbe): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      else socket.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ kind: 'unreachable', reason: 'no answer in time' }),
      timeoutMs,
    );
    socket.on('error', (error: Error & { code?: string }) =>
      finish({ kind: 'unreachable', reason: error.code ?? error.message }),
    );
    // HA's ban middleware answers every request of a banned address with 403, before any login.
    socket.on('unexpected-response', (_req, res) =>
      finish(
        res.statusCode === 403
          ? { kind: 'banned' }
          : { kind: 'unreachable', reason: `HTTP ${res.statusCode} instead of a websocket` },
      ),
    );
    socket.on('close', () => finish({ kind: 'unreachable', reason: 'closed during login' }));
    const result = (id: number): unknown => {
      const answer = answers.get(id);
      return answer?.success ? answer.result : new Error(answer?.error?.message ?? 'refused');
    };
    socket.on('message', (data: WebSocket.RawData) => {
      let parsed: ProbeMessage | ProbeMessage[];
      try {
        parsed = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as typeof parsed;
      } catch {
        finish({ kind: 'unreachable', reason: 'answered something that is not JSON' });
        return;
      }
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        if (message.type === 'auth_required') {
          socket.send(JSON.stringify({ type: 'auth', access_token: token }));
        } else if (message.type === 'auth_invalid') {
          finish({ kind: 'auth_invalid', message: message.message ?? 'Invalid access token' });
        } else if (message.type === 'auth_ok') {
          haVersion = message.ha_version ?? haVersion;
          socket.send(JSON.stringify({ id: 1, type: 'get_config' }));
          socket.send(JSON.stringify({ id: 2, type: 'auth/current_user' }));
          socket.send(JSON.stringify({ id: 3, type: 'auth/refresh_tokens' }));
        } else if (message.type === 'result' && typeof message.id === 'number') {
          answers.set(message.id, message);
          if (answers.size < 3) continue;
          const config = answers.get(1)!;
          const configResult = (config.success ? config.result : undefined) as
            { state?: string; version?: string } | undefined;
          finish({
            kind: 'ok',
            haVersion: configResult?.version ?? haVersion,
            coreState: configResult?.state,
            token: buildTokenReport(
              token,
              result(2) as RawUser | Error,
              result(3) as RawRefreshToken[] | Error,
            ),
          });
        }
      }
    });
  });
}
