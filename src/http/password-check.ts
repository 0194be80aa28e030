/**
 * bcrypt comparisons off the event loop that serves scrapes: one worker thread runs them one at a
 * time, from a short queue. The queue is ordered by priority (the caller's: the failures of the
 * client's address), so a flood of guesses from some addresses never holds back a check from another;
 * it holds at most `capacity` checks, and a check that waited `maxWaitMs` is given up (`busy`). A flood
 * thus costs one thread's CPU at most, and its queueing is bounded in count and time.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type PasswordOutcome = 'match' | 'mismatch' | 'busy';

/** Compares a password with a bcrypt hash; true on a match, false otherwise (a broken hash included). */
export type PasswordComparison = (password: string, hash: string) => Promise<boolean>;

export interface PasswordCheckerOptions {
  /** Most checks queued or running at once. */
  readonly capacity: number;
  /** Longest a check waits for its turn, in ms; past it, it is answered `busy` without hashing. */
  readonly maxWaitMs: number;
  /** Milliseconds clock of the waits (tests pass a fake one). */
  readonly now?: () => number;
  /** Runs one comparison; by default bcrypt in the worker thread. */
  readonly compare?: PasswordComparison;
}

// Plain CommonJS run by the worker: no loader or build step needed, in the image or under tests.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

interface Job {
  readonly password: string;
  readonly hash: string;
  /** Lower runs first. */
  readonly priority: number;
  /** Arrival order, for equal priorities. */
  readonly seq: number;
  readonly queuedAt: number;
  readonly resolve: (outcome: PasswordOutcome) => void;
}

export class PasswordChecker {
  readonly #capacity: number;
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #compare: PasswordComparison;
  readonly #queue: Job[] = [];
  #running = false;
  #seq = 0;
  readonly #worker = new BcryptWorker();

  constructor(options: PasswordCheckerOptions) {
    this.#capacity = Math.max(1, options.capacity);
    this.#maxWaitMs = options.maxWaitMs;
    this.#now = options.now ?? (() => performance.now());
    this.#compare = options.compare ?? ((password, hash) => this.#worker.compare(password, hash));
  }

  /**
   * Queues a comparison and answers when it has run, or `busy` without hashing: when the queue is full
   * of checks of equal or lower priority value, or when this one waited too long.
   * @param priority lower runs first; a full queue drops its highest value for a lower one
   */
  compare(password: string, hash: string, priority = 0): Promise<PasswordOutcome> {
    if (this.pending >= this.#capacity) {
      const worst = this.#pick((a, b) => a.priority > b.priority || (a.priority === b.priority && a.seq > b.seq));
      if (worst === undefined || worst.priority <= priority) return Promise.resolve('busy');
      this.#queue.splice(this.#queue.indexOf(worst), 1);
      worst.resolve('busy');
    }
    return new Promise<PasswordOutcome>((resolve) => {
      this.#queue.push({ password, hash, priority, seq: this.#seq++, queuedAt: this.#now(), resolve });
      this.#pump();
    });
  }

  /** Checks queued or running now. */
  get pending(): number {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.resolve('busy');
    await this.#worker.close();
  }

  /** The queued check that comes first by `before` (a linear scan: the queue is short). */
  #pick(before: (a: Job, b: Job) => boolean): Job | undefined {
    let found: Job | undefined;
    for (const job of this.#queue) if (found === undefined || before(job, found)) found = job;
    return found;
  }

  /** Runs the next check when none runs; checks that waited too long are answered `busy` on the way. */
  #pump(): void {
    while (!this.#running) {
      // The lowest priority value first, the earliest among equals.
      const job = this.#pick((a, b) => a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq));
      if (job === undefined) return;
      this.#queue.splice(this.#queue.indexOf(job), 1);
      if (this.#now() - job.queuedAt > this.#maxWaitMs) {
        job.resolve('busy');
        continue;
      }
      this.#running = true;
      this.#compare(job.password, job.hash)
        .catch(() => false)
        .then((ok) => {
          this.#running = false;
          job.resolve(ok ? 'match' : 'mismatch');
          this.#pump();
        });
    }
  }
}

/** bcrypt in one worker thread (bcryptjs's async compare inline when threads are unavailable). */
class BcryptWorker {
  readonly #pending = new Map<number, (ok: boolean) => void>();
  #worker: Worker | undefined;
  #nextId = 0;
  #closed = false;

  async compare(password: string, hash: string): Promise<boolean> {
    const worker = this.#ensureWorker();
    if (worker === undefined) {
      // No worker (closed, or threads unavailable): bcryptjs's async compare yields between rounds.
      return bcrypt.compare(password, hash).catch(() => false);
    }
    const id = this.#nextId++;
    return new Promise<boolean>((resolve) => {
      this.#pending.set(id, resolve);
      worker.postMessage({ id, password, hash });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll();
    if (worker !== undefined) await worker.terminate();
  }

  #ensureWorker(): Worker | undefined {
    if (this.#worker !== undefined || this.#closed) return this.#worker;
    try {
      const bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath } });
      worker.unref();
      worker.on('message', (message: { id: number; ok: boolean }) => {
        const resolve = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        resolve?.(message.ok);
      });
      const lost = (): void => {
        if (this.#worker === worker) this.#worker = undefined;
        this.#failAll();
      };
      worker.on('error', lost);
      worker.on('exit', lost);
      this.#worker = worker;
    } catch {
      this.#worker = undefined;
    }
    return this.#worker;
  }

  /** A lost worker denies what it was checking; the next check starts a new one. */
  #failAll(): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const resolve of pending) resolve(false);
  }
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A bcrypt hash that no password matches in practice, with the version and cost of `like`: comparing
 * against it for an unknown user takes as long as for a known one, so timing does not tell which
 * usernames exist.
 */
export function dummyHashLike(like: string | undefined): string {
  const match = /^\$(2[abxy]?)\$(\d{2})\$/.exec(like ?? '');
  const prefix = match === null ? '$2b$10$' : `$${match[1]}$${match[2]}$`;
  let tail = '';
  for (let i = 0; i < 53; i++) tail += BCRYPT_ALPHABET[Math.floor(Math.random() * BCRYPT_ALPHABET.length)];
  return `${prefix}${tail}`;
}
