import type { CatalogEntry } from '../entities/catalog.js';
import type { MessageData } from '../discord/message-data.js';

/**
 * What a command answers, as data; src/discord/interactions/render.ts turns it into Discord calls. How
 * it lands depends on where the person asked (a typed command, a menu, a button), which the
 * renderer knows and the command does not need to.
 */
export type Reply =
  /** Private words for whoever asked: a refusal or a problem. On a private menu or
   * confirmation they replace its text; `aside` keeps that message and answers apart. */
  | { kind: 'refuse'; text: string; aside?: boolean }
  /** A message: a new reply; from a private menu, `note` replaces the menu and the message
   * follows publicly. */
  | { kind: 'show'; message: MessageData; note?: string }
  /** Replaces the message whose button was pressed (a list page, a refreshed state). */
  | { kind: 'replace'; message: MessageData }
  /** The private message a menu or confirmation was becomes these words (expired, cancelled). */
  | { kind: 'note'; text: string }
  /**
   * "Which one did you mean?": a menu whose pick runs `command` on the entity chosen, with
   * `options` (the other options typed, those the command's target carries) kept.
   */
  | {
      kind: 'menu';
      typed: string;
      candidates: readonly CatalogEntry[];
      command: string;
      options?: Readonly<Record<string, string>>;
    }
  /** A private question with Confirm and Cancel buttons; `onExpired` tells when it lapsed. */
  | {
      kind: 'confirm';
      message: MessageData;
      onExpired(listener: (text: string) => void): void;
    }
  /**
   * Work that may take seconds (a service call, a camera): the renderer acknowledges in
   * time and shows what `run` answers (a `show`, or a `refuse`). From a private menu or
   * confirmation, `working` and then `done` replace its text.
   */
  | { kind: 'slow'; working: string; done: string; run(): Promise<Reply> };

export const refuse = (text: string): Reply => ({ kind: 'refuse', text });
