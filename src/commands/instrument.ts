import { commandKey } from './registry.js';
import type { Subcommand } from './types.js';

/** What commands report; the composition root wires it to Prometheus. */
export interface CommandMetrics {
  commandHandled(command: string, outcome: 'ok' | 'error', seconds: number): void;
}

/**
 * The same subcommands, each `execute` timed and counted by its key (`state`, `watch add`).
 * "error" means the handler threw (the router's error boundary answered); a refusal or an
 * HA error that the command answered itself is an "ok" command.
 */
export function instrumentCommands(
  list: readonly Subcommand[],
  metrics: CommandMetrics,
  now: () => number = () => performance.now(),
): Subcommand[] {
  return list.map((sub) => {
    const key = commandKey(sub);
    return {
      ...sub,
      async execute(interaction, ctx) {
        const started = now();
        let outcome: 'ok' | 'error' = 'error';
        try {
          await sub.execute(interaction, ctx);
          outcome = 'ok';
        } finally {
          metrics.commandHandled(key, outcome, (now() - started) / 1000);
        }
      },
    };
  });
}
