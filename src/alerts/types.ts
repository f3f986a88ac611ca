import type { Actions } from '../actions/schema.js';
import type { Severity } from './rule-schema.js';

/**
 * What kept the bot from seeing a change live: its connection to HA dropped, Home Assistant
 * restarted (HA's restored states and new timestamps hide what happened), or the bot itself
 * was not running.
 */
export type MissedWhile = 'disconnected' | 'ha_restart' | 'bot_offline';

/** One alert, as the pipeline queues it in the outbox and src/discord renders it. */
export interface Alert {
  /** Unique per alert. */
  id: string;
  ruleName: string;
  entityId: string;
  name: string;
  areaName: string | undefined;
  from: string;
  to: string;
  unit: string | undefined;
  /** Epoch seconds of the change in HA. */
  at: number;
  severity: Severity;
  /** The rule's message template, rendered. */
  text: string | undefined;
  mention: { roles: string[]; users: string[] };
  /** Found after a disconnect or an HA restart, not seen live. */
  missed: boolean;
  /** Why it was not seen live (alerts queued by older versions have none: disconnected). */
  missedWhile?: MissedWhile;
  /** The value is back where it was, but it changed while the bot was away. */
  changedAndBack: boolean;
  /** A changed-and-back's values in between, when known (HA's history, or seen during start-up). */
  via?: string[];
  /**
   * Set when the rule keeps one message per entity and edits it. The outbox keeps it in a
   * column of its own (what the pump reads), and in the payload too.
   */
  statusKey: string | undefined;
  /** The rule's `chart:`: a chart of this many ms up to now is drawn when the alert goes out. */
  chartMs?: number;
  /** The rule's thresholds, marked on the chart. */
  chartMarks?: { above?: number; below?: number };
}

/** A notice about the bridge itself (e.g. HA rejected the token), for the alert channel. */
export interface Notice {
  id: string;
  title: string;
  text: string;
  /** How it is coloured; problems with the bridge itself are critical (the default). */
  severity?: Severity;
}

/** A message an HA automation asked the bot to post (the `discord_bridge_send` event). */
export interface HaMessage {
  id: string;
  /** The automation's text, markdown as written; mentions in it are shown but never ping. */
  text: string;
  title: string | undefined;
  color: number | undefined;
  /** A camera, image entity or entity with a picture: fetched from HA when the message is sent. */
  imageEntity: string | undefined;
  /** Epoch seconds when HA fired the event. */
  at: number;
  /** HA's context id of the event, for finding the automation in HA's traces. */
  contextId: string;
  /** Further pictures (a gallery of up to 4 with the first); rows from older versions have none. */
  moreImages?: string[];
  /** The richer embed parts an automation may give (issue 18); absent on older rows. */
  embed?: HaEmbedParts;
  /** With a tag: remove the tagged message instead of posting or editing it. */
  remove?: boolean;
  /** A chart of HA's history (`chart:`), drawn when the message is sent; absent on older rows. */
  chart?: { entities: string[]; periodMs: number };
}

/** What an automation may add to its message's embed, validated within Discord's limits. */
export interface HaEmbedParts {
  url?: string;
  thumbnail?: string;
  footer?: string;
  /** Epoch seconds shown as the embed's time (default: when HA fired the event). */
  timestamp?: number;
  author?: { name: string; url?: string; iconUrl?: string };
  fields?: { name: string; value: string; inline: boolean }[];
}

/** An HA message with buttons or a select menu; `key` names its stored definition. */
export interface ActionMessage {
  message: HaMessage;
  key: string;
  actions: Actions;
}

/**
 * Every kind of outbox row: its payload and how it is delivered. A kind with `statusKey` is
 * one message kept up to date in place (the newest row for a key supersedes older ones); the
 * others are posted, several rows of one kind together when they fit. Adding a kind here
 * does not compile until src/discord/renderers.ts can render it (see CONTRIBUTING.md).
 */
export interface OutboxKinds {
  /** A rule fired. */
  alert: { payload: Alert };
  /** A rule with `edit_in_place` fired: one message per rule and entity, edited. */
  status: { payload: Alert; statusKey: string };
  /** About the bridge itself (HA rejected the token, an audit line). */
  notice: { payload: Notice };
  /** Sent by an HA automation (`discord_bridge_send`). */
  message: { payload: HaMessage };
  /** Sent by an HA automation with a `tag`: one message per tag, edited (or removed) in place. */
  tagged: { payload: HaMessage; statusKey: string };
  /**
   * Sent by an HA automation with buttons or a select menu: one Discord message each, or,
   * with a `tag`, the tagged message edited in place (`statusKey` as for `tagged`).
   */
  actionable: { payload: ActionMessage; statusKey?: string };
}

export type OutboxKind = keyof OutboxKinds;

/** What is queued: a kind, its payload, and the delivery columns the kind needs. */
export type OutboxEntry<K extends OutboxKind = OutboxKind> = {
  [P in K]: { kind: P } & OutboxKinds[P];
}[K];

/** Queues an entry for a channel, durably (the composition root wires the outbox and pump). */
export type Enqueue = (channelId: string, entry: OutboxEntry) => void;

/** The key a kind delivered in place is kept up to date by; undefined for posted kinds. */
export const statusKeyOf = (entry: OutboxEntry): string | undefined =>
  'statusKey' in entry ? entry.statusKey : undefined;
