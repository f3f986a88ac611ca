/**
 * Whether a newer Node's built-ins could replace two dependencies (README, Development, "Node
 * built-ins and dependencies"). Run it with each Node line:
 *
 *   npx tsx bench/node-builtins.ts            # or PATH=<node 24>/bin:$PATH npx tsx ...
 *
 * 1. `.env` files: dotenv's parser against Node's own (`util.parseEnv`, the parser behind
 *    `process.loadEnvFile`) on the repository's .env.example and on tricky lines.
 * 2. The HA websocket: receive throughput of subscribe_entities frames with `ws` and with Node's
 *    global WebSocket (22+), from the same `ws` server in this process, three rounds each.
 */
import { readFileSync } from 'node:fs';
import util from 'node:util';
import dotenv from 'dotenv';
import WebSocket, { WebSocketServer } from 'ws';

const ENV_CASES: Record<string, string> = {
  'plain values': 'A=1\nB=two words\n',
  'comment line': '# note\nA=1\n',
  'commented-out setting': '# A=1\nB=2\n',
  'inline comment': 'A=value # note\n',
  '# in double quotes': 'A="va#lue"\n',
  'single quotes': "A='x y'\n",
  backticks: 'A=`x y`\n',
  'export prefix': 'export A=1\n',
  'spaces around =': 'A = 1\n',
  empty: 'A=\n',
  '\\n in double quotes': 'A="l1\\nl2"\n',
  'multi-line double quotes': 'A="l1\nl2"\nB=3\n',
  CRLF: 'A=1\r\nB=2\r\n',
  'URL with #': 'HA_URL=http://ha.local:8123/#x\n',
  'JSON value': 'X={"a": 1}\n',
  'repeated key': 'A=1\nA=2\n',
  'no final newline': 'A=1',
  '.env.example': readFileSync(new URL('../.env.example', import.meta.url), 'utf8'),
};

type ParseEnv = (text: string) => Record<string, string>;

function sorted(record: Record<string, string>): string {
  return JSON.stringify(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function envParsers(): { agree: string[]; differ: Record<string, unknown> } | string {
  const parseEnv = (util as unknown as { parseEnv?: ParseEnv }).parseEnv;
  if (parseEnv === undefined) return 'no util.parseEnv / process.loadEnvFile in this Node';
  const agree: string[] = [];
  const differ: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(ENV_CASES)) {
    const ours = dotenv.parse(text);
    const node = parseEnv(text);
    if (sorted(ours) === sorted(node)) agree.push(name);
    else differ[name] = { dotenv: ours, node };
  }
  return { agree, differ };
}

const FRAMES = 200_000;
const FRAME = JSON.stringify({
  id: 5,
  type: 'event',
  event: {
    c: { 'sensor.temp_042': { '+': { s: '21.4', lc: 1796093954.633, c: 'x'.repeat(26) } } },
  },
});

interface Client {
  onOpen(fn: () => void): void;
  onMessage(fn: (text: string) => void): void;
  send(text: string): void;
  close(): void;
}

function wsClient(url: string): Client {
  const socket = new WebSocket(url);
  return {
    onOpen: (fn) => socket.on('open', fn),
    onMessage: (fn) => socket.on('message', (data: Buffer) => fn(data.toString('utf8'))),
    send: (text) => socket.send(text),
    close: () => socket.close(),
  };
}

function builtinClient(url: string): Client {
  const Builtin = (globalThis as unknown as { WebSocket: typeof globalThis.WebSocket }).WebSocket;
  const socket = new Builtin(url);
  return {
    onOpen: (fn) => socket.addEventListener('open', fn),
    onMessage: (fn) => socket.addEventListener('message', (e) => fn(String(e.data))),
    send: (text) => socket.send(text),
    close: () => socket.close(),
  };
}

async function receive(client: Client): Promise<{ perSecond: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let count = 0;
    client.onMessage((text) => {
      JSON.parse(text);
      if (++count === FRAMES) {
        client.close();
        resolve();
      }
    });
    client.onOpen(() => client.send('go'));
  });
  const used = process.cpuUsage(cpu);
  return {
    perSecond: Math.round(FRAMES / ((performance.now() - start) / 1000)),
    cpuMs: Math.round((used.user + used.system) / 1000),
  };
}

async function websockets(): Promise<Record<string, unknown>> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) =>
    socket.once('message', () => {
      let sent = 0;
      const pump = (): void => {
        while (sent < FRAMES) {
          socket.send(FRAME);
          sent++;
          if (socket.bufferedAmount > 1 << 20) return void setImmediate(pump);
        }
      };
      pump();
    }),
  );
  const { port } = server.address() as { port: number };
  const url = `ws://127.0.0.1:${port}`;
  const hasBuiltin = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
  const rounds: Record<string, unknown>[] = [];
  for (let round = 0; round < 3; round++) {
    rounds.push({
      ws: await receive(wsClient(url)),
      builtin: hasBuiltin ? await receive(builtinClient(url)) : 'no global WebSocket',
    });
  }
  server.close();
  return { frames: FRAMES, rounds };
}

const result = { node: process.version, env: envParsers(), websocket: await websockets() };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
