import type WebSocket from 'ws';
import { ERR_INVALID_AUTH } from 'home-assistant-js-websocket';
import { isBanCause, login, type LoginFailure } from './socket.js';
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
  id?: number;
  success?: boolean;
  result?: unknown;
  error?: { message?: string };
}

// The login asks for coalesced messages with id 1: the probe's commands come after it.
const CONFIG = 2;
const USER = 3;
const TOKENS = 4;

/**
 * One websocket login, as the bot does it (the same `login`), then `get_config` for HA's
 * version and state and `auth/current_user` and `auth/refresh_tokens` for whose token it is,
 * then a clean close. For `npm run doctor`: no haws, no retries (a rejected token is tried
 * exactly once, so the doctor never adds to HA's failed-login count).
 */
export async function probeWebsocket(
  wsUrl: string,
  token: string,
  timeoutMs = 10_000,
): Promise<WebsocketProbe> {
  let socket: WebSocket;
  let haVersion: string;
  try {
    const haSocket = await login({ wsUrl, handshakeTimeoutMs: timeoutMs }, token);
    haVersion = haSocket.haVersion;
    socket = haSocket as unknown as WebSocket;
  } catch (error) {
    const { code, cause, message } = error as LoginFailure;
    if (code === ERR_INVALID_AUTH) {
      return { kind: 'auth_invalid', message: message ?? 'Invalid access token' };
    }
    return isBanCause(cause) ? { kind: 'banned' } : { kind: 'unreachable', reason: cause };
  }
  return askAfterLogin(socket, token, haVersion, timeoutMs);
}

/** The three questions on the logged-in socket, answered (or not) within `timeoutMs`. */
function askAfterLogin(
  socket: WebSocket,
  token: string,
  haVersion: string,
  timeoutMs: number,
): Promise<WebsocketProbe> {
  return new Promise((resolve) => {
    let done = false;
    const answers = new Map<number, ProbeMessage>();
    const finish = (result: WebsocketProbe): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      if (socket.readyState === socket.OPEN) socket.close(1000);
      else socket.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ kind: 'unreachable', reason: 'no answer in time' }),
      timeoutMs,
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
        if (message.type !== 'result' || typeof message.id !== 'number' || message.id < CONFIG)
          continue;
        answers.set(message.id, message);
        if (answers.size < 3) continue;
        const config = answers.get(CONFIG)!;
        const configResult = (config.success ? config.result : undefined) as
          { state?: string; version?: string } | undefined;
        finish({
          kind: 'ok',
          haVersion: configResult?.version ?? haVersion,
          coreState: configResult?.state,
          token: buildTokenReport(
            token,
            result(USER) as RawUser | Error,
            result(TOKENS) as RawRefreshToken[] | Error,
          ),
        });
      }
    });
    socket.send(JSON.stringify({ id: CONFIG, type: 'get_config' }));
    socket.send(JSON.stringify({ id: USER, type: 'auth/current_user' }));
    socket.send(JSON.stringify({ id: TOKENS, type: 'auth/refresh_tokens' }));
  });
}
