import WebSocket from 'ws';
import {
  ERR_CANNOT_CONNECT,
  ERR_INVALID_AUTH,
  type ConnectionOptions,
  type HaWebSocket,
} from 'home-assistant-js-websocket';

/**
 * haws' `createSocket` for Node, built on `ws` (the fake's own tests use it; the bot has its
 * own in src/ha/socket.ts). Does what haws' browser socket does: auth, `haVersion`,
 * `supported_features` as id 1, `setupRetry`, and numeric rejections.
 */
export function wsSocketFactory(
  url: string,
  token: () => string,
  retryDelayMs = 100,
): (options: ConnectionOptions) => Promise<HaWebSocket> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/api/websocket`;
  return async (options) => {
    for (let triesLeft = options.setupRetry; ; triesLeft--) {
      try {
        return await connectOnce(wsUrl, token());
      } catch (error) {
        // haws expects its numeric codes as rejection values.
        if (error === ERR_INVALID_AUTH || triesLeft === 0) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  };
}

function connectOnce(wsUrl: string, token: string): Promise<HaWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl);
    // haws drops its error listener after auth; without one, a bad frame would crash Jest.
    socket.on('error', () => undefined);
    const fail = (code: number) => {
      socket.off('message', onMessage);
      socket.terminate();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(code);
    };
    const onClose = () => fail(ERR_CANNOT_CONNECT);
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as {
        type: string;
        ha_version?: string;
      };
      if (message.type === 'auth_required') {
        socket.send(JSON.stringify({ type: 'auth', access_token: token }));
      } else if (message.type === 'auth_invalid') {
        socket.off('close', onClose);
        fail(ERR_INVALID_AUTH);
      } else if (message.type === 'auth_ok') {
        socket.off('message', onMessage);
        socket.off('close', onClose);
        const haSocket = socket as unknown as HaWebSocket;
        haSocket.haVersion = message.ha_version ?? '';
        socket.send(
          JSON.stringify({ type: 'supported_features', id: 1, features: { coalesce_messages: 1 } }),
        );
        resolve(haSocket);
      }
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}
