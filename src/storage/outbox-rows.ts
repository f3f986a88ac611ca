/*
 * The outbox's rows as the rest of the bot reads them (OutboxRow, from the table's columns),
 * how a payload is stored in its column (PayloadCodec), and a row set aside. Split out of
 * outbox.ts, which stores them.
 */

/**
 * One waiting row. Storage knows no kinds: `kind` and `payload` are the queuer's (see
 * OutboxKinds in src/alerts/types.ts); the pump reads only the columns.
 */
export interface OutboxRow<T = unknown> {
  id: number;
  channelId: string;
  kind: string;
  payload: T;
  /** Set for a message kept up to date in place: a newer row with the same key supersedes it. */
  statusKey: string | null;
  createdAt: number;
  batch: string | null;
  attempts: number;
}

/** A row as SQLite returns it: the table's columns. */
export interface RawRow {
  id: number;
  channel_id: string;
  kind: string;
  payload: string;
  status_key: string | null;
  created_at: number;
  batch: string | null;
  attempts: number;
  /** How many rows a burst row holds (src/storage/outbox-bursts.ts); null for a row of one. */
  parts: number | null;
}

/**
 * A payload's text in three pieces, `head + shared + tail`. A burst row
 * (src/storage/outbox-bursts.ts) keeps `shared` once for rows next to each other that share
 * it: a change's alerts share their entity's part, written to SQLite (and its WAL) once
 * instead of once per rule that fired.
 */
export interface PayloadPieces {
  readonly head: string;
  readonly shared: string;
  readonly tail: string;
}

/** What a codec encodes a payload to: its text, or the same text in pieces. */
export type EncodedPayload = string | PayloadPieces;

export const payloadText = (p: EncodedPayload): string =>
  typeof p === 'string' ? p : p.head + p.shared + p.tail;

/**
 * How payloads become the payload column and back; the queuer's, as the kinds are (plain
 * JSON unless told otherwise: src/alerts/outbox-codec.ts packs alerts). `encode` returns JSON
 * text as JSON.stringify writes it, or that text in pieces. A burst row
 * (src/storage/outbox-bursts.ts) keeps its rows apart with tab, newline and vertical tab,
 * which JSON.stringify never writes raw: a text with one is written as a row of its own
 * (Outbox.queue), and pieces must have none.
 */
export interface PayloadCodec {
  encode(kind: string, payload: unknown): EncodedPayload;
  decode(kind: string, text: string): unknown;
}

export const JSON_CODEC: PayloadCodec = {
  encode: (_kind, payload) => JSON.stringify(payload),
  decode: (_kind, text) => JSON.parse(text) as unknown,
};

export const toRow = <T>(r: RawRow, payload: unknown): OutboxRow<T> => ({
  id: r.id,
  channelId: r.channel_id,
  kind: r.kind,
  payload: payload as T,
  statusKey: r.status_key,
  createdAt: r.created_at,
  batch: r.batch,
  attempts: r.attempts,
});

/** A row moved out of the way (see Outbox.setAside): which, and why. */
export interface SetAside {
  id: number;
  channelId: string;
  kind: string;
  reason: string;
}
