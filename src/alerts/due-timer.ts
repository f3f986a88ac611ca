/** setTimeout's limit: a longer delay fires at once (Node's TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One timer for the earliest pending `for` of the rules. Asked after every change, so the timer
 * is only replaced when the earliest deadline (or liveness) actually moved.
 */
export class DueTimer {
  private timer: NodeJS.Timeout | undefined;
  private scheduled: { due: number; live: boolean } | undefined;

  constructor(
    private readonly now: () => number,
    private readonly onDue: () => void,
  ) {}

  /** `next`: the earliest deadline, if any; `live`: whether due rules are judged now. */
  schedule(next: number | undefined, live: boolean): void {
    const scheduled = this.scheduled;
    if (scheduled !== undefined && scheduled.due === next && scheduled.live === live) return;
    this.stop();
    if (next === undefined) return;
    this.scheduled = { due: next, live };
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.scheduled = undefined;
        this.onDue();
      },
      // While HA is away, due `for` rules wait (re-checked each second) instead of spinning.
      // A `for` beyond a timer's reach (24.8 days) wakes early and schedules again.
      Math.min(MAX_TIMER_MS, Math.max(live ? 0 : 1000, next - this.now())),
    );
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = undefined;
  }
}
