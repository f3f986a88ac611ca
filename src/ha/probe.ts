import WebSocket from 'ws';

export type WebsocketProbe =
  | { kind: 'ok'; haVersion: string; coreState: string | undefined }
  | { kind: 'auth_invalid'; message: string }
  | { kind: 'unreachable'; reason: string };

/**
 * One websocket login, as the bot does it, then `get_config` for HA's version and state,
 * then a clean close. For `npm run doctor`: no haws, no retries (a rejected token is tried
 * exactly once, so the doctor never adds to HA's failed-login count).
 */
export function probeWebsocket(
  wsUrl: string,
  token: string,
  timeoutMs = 10_000,
): Promise<WebsocketProbe> {
  return new Promise((resolve) => {
    let haVersion = 'unknown';
    let done = false;
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
    socket.on('unexpected-response', (_req, res) =>
      finish({ kind: 'unreachable', reason: `HTTP ${res.statusCode} instead of a websocket` }),
    );
    socket.on('close', () => finish({ kind: 'unreachable', reason: 'closed during login' }));
    socket.on('message', (data: WebSocket.RawData) => {
      let message: {
        type?: string;
        ha_version?: string;
        message?: string;
        id?: number;
        success?: boolean;
        result?: { state?: string; version?: string };
      };
      try {
        message = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as typeof message;
      } catch {
        finish({ kind: 'unreachable', reason: 'answered something that is not JSON' });
        return;
      }
      if (message.type === 'auth_required') {
        socket.send(JSON.stringify({ type: 'auth', access_token: token }));
      } else if (message.type === 'auth_invalid') {
        finish({ kind: 'auth_invalid', message: message.message ?? 'Invalid access token' });
      } else if (message.type === 'auth_ok') {
        haVersion = message.ha_version ?? haVersion;
        socket.send(JSON.stringify({ id: 1, type: 'get_config' }));
      } else if (message.type === 'result' && message.id === 1) {
        finish({
          kind: 'ok',
          haVersion: message.result?.version ?? haVersion,
          coreState: message.success ? message.result?.state : undefined,
        });
      }
    });
  });
}
