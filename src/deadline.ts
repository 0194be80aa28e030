/**
 * A point in time that a request must answer by. One is made per HTTP request (from Prometheus's
 * `X-Prometheus-Scrape-Timeout-Seconds`, see `http/deadline.ts`) and handed to everything that request
 * waits on, so the waits share one budget instead of each starting a fresh one.
 */
export class Deadline {
  /** `performance.now()` milliseconds at which the time is up. */
  readonly at: number;

  /** @param budgetMs milliseconds from now; 0 or less is already expired */
  constructor(budgetMs: number) {
    this.at = performance.now() + Math.max(0, budgetMs);
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.at - performance.now());
  }

  get expired(): boolean {
    return this.remainingMs() === 0;
  }

  /**
   * The promise's value, or undefined when the deadline passes first. The promise keeps running (its
   * rejection is observed, so a late failure is not an unhandled rejection).
   */
  async race<T>(promise: Promise<T>): Promise<T | undefined> {
    const ms = this.remainingMs();
    if (ms === 0) {
      promise.catch(() => undefined);
      return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
    } finally {
      clearTimeout(timer);
    }
  }
}
