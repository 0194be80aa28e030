/**
 * A clock that moves only when the test moves it, with timers that fire only then: for request
 * deadlines (`DeadlineClock`, passed to the exporter as `deadlineClock`), the LibreNMS double's latency
 * and slow bodies (its `timers` option), and units that take a `now`. Tests of timing behaviour use it
 * instead of sleeping and timing: what happens before and after a moment is checked by state.
 */
import type { DeadlineClock } from '../../src/deadline.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

export class FakeClock implements DeadlineClock {
  #time: number;
  #timers: Timer[] = [];
  #seq = 0;
  #waiters: (() => void)[] = [];

  constructor(start = 0) {
    this.#time = start;
  }

  /** The clock's milliseconds (a bound function, so it can be passed as a `now` on its own). */
  readonly now = (): number => this.#time;

  after(ms: number, callback: () => void): () => void {
    const timer: Timer = { at: this.#time + Math.max(0, ms), seq: this.#seq++, callback };
    this.#timers.push(timer);
    for (const wake of this.#waiters.splice(0)) wake();
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Due times of the timers that have not fired, earliest first. */
  get timers(): number[] {
    return this.#timers.map((t) => t.at).sort((a, b) => a - b);
  }

  /** Moves the clock `ms` forward, firing each timer that comes due on the way, in order of due time. */
  advance(ms: number): void {
    const end = this.#time + ms;
    for (let next = this.#next(); next !== undefined && next.at <= end; next = this.#next()) {
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#time = next.at;
      next.callback();
    }
    this.#time = end;
  }

  /** Moves the clock to the earliest timer and fires it (and any due at the same time). */
  advanceToNext(): void {
    const next = this.#next();
    if (next !== undefined) this.advance(next.at - this.#time);
  }

  /** Resolves once `count` timers are pending: waits for the code under test to get there, not for time. */
  async untilTimers(count = 1): Promise<void> {
    while (this.#timers.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Settles `promise`, firing each timer as it comes due whenever one is pending: for code whose only
   * waits are on this clock (a slow body, a latency), run at once however long they would take.
   */
  async runUntil<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const done = promise.then(
      () => void (settled = true),
      () => void (settled = true),
    );
    while (!settled) {
      await Promise.race([done, this.untilTimers(1)]);
      if (!settled) this.advanceToNext();
    }
    return promise;
  }

  #next(): Timer | undefined {
    let found: Timer | undefined;
    for (const t of this.#timers) if (found === undefined || t.at < found.at || (t.at === found.at && t.seq < found.seq)) found = t;
    return found;
  }
}
