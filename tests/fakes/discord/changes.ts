/**
 * Wakes waiters whenever the fake's state changes, so tests wait for an outcome
 * instead of sleeping. Each waiter re-checks its own condition on every change.
 */
export class Changes {
  private readonly waiters = new Set<{ check: () => void; cancel: (e: Error) => void }>();

  notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** Resolves with the first defined result of `check`, now or after a later change. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        check: () => {
          try {
            const value = check();
            if (value === undefined) return;
            finish();
            resolve(value);
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        cancel: (error: Error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.cancel(new Error(`${describe()} (waited ${timeoutMs} ms)`)),
        timeoutMs,
      );
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /** Rejects every pending wait: the fake is stopping and nothing will change any more. */
  cancelAll(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.cancel(new Error(reason));
  }
}
