/** What commands report; the composition root wires it to Prometheus. */
export interface CommandMetrics {
  commandHandled(command: string, outcome: 'ok' | 'error', seconds: number): void;
}

/**
 * Runs a typed command, timed and counted by its key (`state`, `watch add`). "error" means
 * it threw (the router's error boundary answered); a refusal or an HA error that the
 * command answered itself is an "ok" command.
 */
export async function timed(
  metrics: CommandMetrics | undefined,
  key: string,
  run: () => Promise<void>,
  now: () => number = () => performance.now(),
): Promise<void> {
  const started = now();
  let outcome: 'ok' | 'error' = 'error';
  try {
    await run();
    outcome = 'ok';
  } finally {
    metrics?.commandHandled(key, outcome, (now() - started) / 1000);
  }
}
