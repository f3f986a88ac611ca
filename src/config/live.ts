import type { Rule } from '../alerts/rule-schema.js';
import type { CustomCommandConfig } from './custom-commands.js';
import { DEFAULT_POLICY } from '../policy/decide.js';
import type { Policy } from '../policy/schema.js';
import type { ConfigFile } from './file.js';

/** What a config reload may change while the bot runs (CONFIG_FILE); connections are not. */
export interface LiveSettings {
  /** The alert rules from CONFIG_FILE (ALERT_ENTITIES' rule is the environment's, not here). */
  readonly fileRules: readonly Rule[];
  readonly policy: Policy;
  /** Whether the policy is the file's own rather than the safe default. */
  readonly policyFromFile: boolean;
  /** Custom slash commands beside `/ha` (`commands:`). */
  readonly commands: readonly CustomCommandConfig[];
}

/** The settings in a config file, or with no file at all. */
export function liveSettings(
  file: (Omit<ConfigFile, 'commands'> & Partial<Pick<ConfigFile, 'commands'>>) | undefined,
): LiveSettings {
  return {
    fileRules: file?.alerts.rules ?? [],
    policy: file?.access ?? DEFAULT_POLICY,
    policyFromFile: file?.access !== undefined,
    commands: file?.commands ?? [],
  };
}

export type LiveListener = (next: LiveSettings, previous: LiveSettings) => void;

/**
 * The one place the running settings live: everything reads `current()` when it acts, or
 * follows `onChange()`; a reload publishes here. No copy of the policy elsewhere to miss.
 */
export class LiveConfig {
  private settings: LiveSettings;
  private readonly listeners = new Set<LiveListener>();

  constructor(
    initial: LiveSettings,
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {
    this.settings = initial;
  }

  current(): LiveSettings {
    return this.settings;
  }

  /** Calls `listener` after every change; returns the function that stops that. */
  onChange(listener: LiveListener): () => void {
    // Wrapped: the same function subscribed twice is two subscriptions, each released alone.
    const entry: LiveListener = (next, previous) => listener(next, previous);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  /** Makes `next` current, then tells every listener; one failing does not stop the rest. */
  publish(next: LiveSettings): void {
    const previous = this.settings;
    this.settings = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next, previous);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
