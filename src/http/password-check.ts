/**
 * bcrypt comparisons off the event loop that serves scrapes: one worker thread runs them one at a
 * time, and at most `maxPending` may wait. A check past that is refused before any hashing
 * (`busy`), so a flood of guesses costs the exporter a bounded amount of CPU and queueing.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type PasswordOutcome = 'match' | 'mismatch' | 'busy';

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

interface Pending {
  readonly resolve: (ok: boolean) => void;
}

export class PasswordChecker {
  readonly #maxPending: number;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 0;
  #inline = 0;
  #closed = false;

  /** @param maxPending most checks queued or running at once; more are answered `busy` */
  constructor(maxPending: number) {
    this.#maxPending = maxPending;
  }

  /** Compares a password with a bcrypt hash in the worker, or answers `busy` without hashing. */
  async compare(password: string, hash: string): Promise<PasswordOutcome> {
    if (this.pending >= this.#maxPending) return 'busy';
    const worker = this.#ensureWorker();
    if (worker === undefined) {
      // No worker (closed, or threads unavailable): bcryptjs's async compare yields between rounds.
      this.#inline++;
      try {
        return (await bcrypt.compare(password, hash)) ? 'match' : 'mismatch';
      } catch {
        return 'mismatch';
      } finally {
        this.#inline--;
      }
    }
    const id = this.#nextId++;
    const ok = await new Promise<boolean>((resolve) => {
      this.#pending.set(id, { resolve });
      worker.postMessage({ id, password, hash });
    });
    return ok ? 'match' : 'mismatch';
  }

  /** Checks queued or running now. */
  get pending(): number {
    return this.#pending.size + this.#inline;
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
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        pending?.resolve(message.ok);
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
    for (const p of pending) p.resolve(false);
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
