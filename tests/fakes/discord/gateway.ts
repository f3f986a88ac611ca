import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { guildCreate } from './payloads.js';
import type { DiscordState } from './state.js';
import type { Json } from './types.js';

interface Session {
  id: string;
  seq: number;
  /** Sent dispatches, replayed on RESUME; a dispatch made while disconnected waits here. */
  events: { op: 0; t: string; s: number; d: Json }[];
  socket: WebSocket | null;
}

const REPLAY_LIMIT = 1000;
/** GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT: not enabled for this bot in the portal. */
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
/** Presence, voice state, request members, request soundboard sounds: accepted, ignored. */
const IGNORED_OPS = new Set([3, 4, 8, 31]);

/**
 * Discord's gateway, plain JSON (no compression): HELLO, IDENTIFY -> READY + GUILD_CREATE,
 * heartbeat ACKs, RESUME with replay, and Discord's close codes for auth and protocol errors.
 */
export class FakeGateway {
  identifies = 0;
  resumes = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private current: Session | null = null;

  constructor(
    private readonly state: DiscordState,
    private readonly url: () => string,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => {
      const { pathname, searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (pathname !== '/gateway') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, searchParams));
    });
  }

  /** The latest session has an open, identified (or resumed) connection. */
  get connected(): boolean {
    return this.current?.socket?.readyState === WebSocket.OPEN;
  }

  dispatch(t: string, d: Json): void {
    if (!this.current)
      throw new Error('Fake Discord: no gateway session; the bot has not logged in');
    this.push(this.current, t, d);
  }

  drop(code = 4000): void {
    for (const ws of this.wss.clients) ws.close(code, 'Fake Discord dropped the connection');
  }

  close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, params: URLSearchParams): void {
    // A peer's invalid frame emits 'error' on the socket; unhandled, it would crash the tests.
    ws.on('error', () => undefined);
    if (params.get('v') !== '10') return ws.close(4012, 'Invalid API version.');
    if ((params.get('encoding') ?? 'json') !== 'json' || params.has('compress')) {
      return ws.close(4002, 'This fake speaks plain JSON only.');
    }
    let session: Session | null = null;
    ws.on('message', (raw) => {
      session = this.onPayload(ws, raw, session);
    });
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = null;
      this.state.changes.notify();
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.state.heartbeatIntervalMs } });
  }

  private onPayload(ws: WebSocket, raw: RawData, session: Session | null): Session | null {
    let payload: Json;
    try {
      payload = JSON.parse(text(raw));
    } catch {
      ws.close(4002, 'Error while decoding payload.');
      return session;
    }
    const op = payload?.op;
    if (op === 1) this.send(ws, { op: 11 });
    else if ((op === 2 || op === 6) && session) ws.close(4005, 'Already authenticated.');
    else if (op === 2) return this.identify(ws, payload.d);
    else if (op === 6) return this.resume(ws, payload.d);
    else if (!IGNORED_OPS.has(op)) ws.close(4001, 'Unknown opcode.');
    else if (!session) ws.close(4003, 'Not authenticated.');
    return session;
  }

  private identify(ws: WebSocket, d: Json): Session | null {
    if (d?.token !== this.state.gatewayToken) {
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    if (typeof d.intents !== 'number') {
      ws.close(4013, 'Invalid intent(s).');
      return null;
    }
    if (d.intents & PRIVILEGED_INTENTS) {
      ws.close(4014, 'Disallowed intent(s).');
      return null;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      events: [],
      socket: ws,
    };
    this.sessions.set(session.id, session);
    this.current = session;
    this.identifies += 1;
    const { state } = this;
    this.push(session, 'READY', {
      v: 10,
      user: { ...state.botUser, verified: true, mfa_enabled: false, email: null },
      guilds: state.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url(),
      shard: d.shard ?? [0, 1],
      application: { id: state.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
    });
    for (const guild of state.guilds) {
      this.push(
        session,
        'GUILD_CREATE',
        guildCreate(guild, state.ownerId, state.botUser, state.joinedAt),
      );
    }
    return session;
  }

  private resume(ws: WebSocket, d: Json): Session | null {
    if (d?.token !== this.state.gatewayToken) {
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    const session = this.sessions.get(d.session_id);
    if (!session) {
      this.send(ws, { op: 9, d: false });
      return null;
    }
    if (typeof d.seq !== 'number' || d.seq > session.seq) {
      ws.close(4007, 'Invalid seq.');
      return null;
    }
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    this.current = session;
    this.resumes += 1;
    for (const event of session.events) if (event.s > d.seq) this.send(ws, event);
    this.push(session, 'RESUMED', {});
    return session;
  }

  private push(session: Session, t: string, d: Json): void {
    session.seq += 1;
    const event = { op: 0 as const, t, s: session.seq, d };
    session.events.push(event);
    if (session.events.length > REPLAY_LIMIT) session.events.shift();
    if (session.socket?.readyState === WebSocket.OPEN) this.send(session.socket, event);
    this.state.changes.notify();
  }

  private send(ws: WebSocket, payload: Json): void {
    ws.send(JSON.stringify(payload));
  }
}

function text(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return (Buffer.isBuffer(raw) ? raw : Buffer.from(raw)).toString('utf8');
}
