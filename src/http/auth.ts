/**
 * Access control of the HTTP endpoints (exporter-toolkit's web config): basic auth against bcrypt
 * hashes, or a bearer token. `/healthz` stays open so that container health checks need no secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { ClientAuthType, WebConfig } from '../config-types.js';
import { Lru } from '../util/lru.js';
import { KeyedSingleFlight } from '../util/single-flight.js';
import { dummyHashLike, PasswordChecker, type PasswordComparison } from './password-check.js';

/** Parses `Authorization: <scheme> <credentials>` strictly: one scheme, one token68, nothing after it. */
export function parseAuthorization(header: string | undefined): { scheme: string; credentials: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim());
  if (match === null) return undefined;
  return { scheme: (match[1] ?? '').toLowerCase(), credentials: match[2] ?? '' };
}

/** Valid basic-auth credentials remembered (by a SHA-256 of the header's credentials), least recently used out. */
export const MAX_CACHED_LOGINS = 64;
/** Failed basic-auth credentials remembered, so that a guess sent again costs no hashing; least recently used out. */
export const MAX_CACHED_FAILURES = 4096;
/** Distinct bcrypt checks queued or running at once; a full queue answers 429 before any hashing. */
export const MAX_PENDING_PASSWORD_CHECKS = 64;
/** Longest a bcrypt check waits for its turn (ms); past it, 429: its client has given up by then. */
export const MAX_PASSWORD_WAIT_MS = 30_000;
/** Failures per client address are counted over this window (ms). */
export const FAILURE_WINDOW_MS = 60_000;
/** Client addresses whose failures are counted at once; the least recently failing is forgotten past it. */
export const MAX_TRACKED_ADDRESSES = 10_000;

export type CredentialOutcome = 'ok' | 'denied' | 'busy';

export interface CredentialChecker {
  /**
   * Checks an `Authorization` header.
   * @param address the client's address: its recent failures put its checks behind other clients'
   */
  (header: string | undefined, address?: string): Promise<CredentialOutcome>;
  /** Whether the web config asks for credentials at all (users or a bearer token). */
  readonly protects: boolean;
  /** The `WWW-Authenticate` challenge of a 401. */
  readonly challenge: string;
  /** Uses a reloaded web config from now on; every remembered login and failure is forgotten. */
  update(web: WebConfig): void;
  close(): Promise<void>;
}

export interface CredentialCheckerOptions {
  /** Most distinct bcrypt checks queued or running ({@link MAX_PENDING_PASSWORD_CHECKS}). */
  readonly maxPending?: number;
  /** Most valid logins remembered ({@link MAX_CACHED_LOGINS}). */
  readonly maxCached?: number;
  /** Longest wait for a bcrypt check, ms ({@link MAX_PASSWORD_WAIT_MS}). */
  readonly maxWaitMs?: number;
  /** Milliseconds clock of the waits and failure windows (tests pass a fake one). */
  readonly now?: () => number;
  /** One bcrypt comparison (tests count them); by default bcrypt in a worker thread. */
  readonly compare?: PasswordComparison;
}

/** Failures per client address in a fixed window, for the order of the password queue. */
class FailureCounter {
  #counts = new Lru<string, { since: number; count: number }>(MAX_TRACKED_ADDRESSES);

  constructor(private readonly now: () => number) {}

  count(address: string): number {
    const entry = this.#counts.peek(address);
    return entry === undefined || this.now() - entry.since >= FAILURE_WINDOW_MS ? 0 : entry.count;
  }

  add(address: string): void {
    const now = this.now();
    const entry = this.#counts.peek(address);
    const fresh = entry === undefined || now - entry.since >= FAILURE_WINDOW_MS;
    this.#counts.set(address, fresh ? { since: now, count: 1 } : { since: entry.since, count: entry.count + 1 });
  }

  clear(): void {
    this.#counts = new Lru(MAX_TRACKED_ADDRESSES);
  }
}

/** What the checks of one web config share; a reload replaces it whole. */
interface Generation {
  readonly web: WebConfig;
  readonly bearer: Buffer | undefined;
  readonly dummyHash: string;
  /** Credentials (by their hash) checked valid, and checked wrong: bounded apart. */
  readonly verified: Lru<string, true>;
  readonly failed: Lru<string, true>;
  /** One check per distinct credential: later requests with the same credential wait on it. */
  readonly checks: KeyedSingleFlight<string, CredentialOutcome | 'reloaded'>;
}

function generation(web: WebConfig, maxCached: number): Generation {
  return {
    web,
    bearer: web.bearerToken === undefined ? undefined : createHash('sha256').update(web.bearerToken).digest(),
    dummyHash: dummyHashLike(web.basicAuthUsers.values().next().value),
    verified: new Lru(maxCached),
    failed: new Lru(MAX_CACHED_FAILURES),
    checks: new KeyedSingleFlight(),
  };
}

/**
 * Checks an `Authorization` header against the web config: a constant-time compare for a bearer
 * token; for basic auth, the remembered outcome of the same credentials, else bcrypt in a worker
 * thread. Concurrent requests with the same credentials share one bcrypt check. bcrypt checks wait in
 * a short queue ordered by the failures of each client's address, so a flood from some addresses
 * never refuses or delays a login from another. Valid and failed credentials are remembered apart
 * (bounded LRUs), so failed guesses can neither fill the cache of valid logins nor evict one. An
 * unknown user is compared against a dummy hash of the same cost, so a failure takes as long either way.
 */
export function credentialChecker(web: WebConfig, options: CredentialCheckerOptions = {}): CredentialChecker {
  const maxCached = options.maxCached ?? MAX_CACHED_LOGINS;
  const now = options.now ?? (() => performance.now());
  const passwords = new PasswordChecker({
    capacity: options.maxPending ?? MAX_PENDING_PASSWORD_CHECKS,
    maxWaitMs: options.maxWaitMs ?? MAX_PASSWORD_WAIT_MS,
    now,
    ...(options.compare === undefined ? {} : { compare: options.compare }),
  });
  const failures = new FailureCounter(now);
  let current = generation(web, maxCached);

  /** One bcrypt check of `credentials`; `reloaded` when the web config changed meanwhile. */
  const verify = async (state: Generation, key: string, credentials: string, address: string): Promise<CredentialOutcome | 'reloaded'> => {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const hash = colon < 0 ? undefined : state.web.basicAuthUsers.get(decoded.slice(0, colon));
    const outcome = await passwords.compare(colon < 0 ? decoded : decoded.slice(colon + 1), hash ?? state.dummyHash, failures.count(address));
    if (state !== current) return 'reloaded';
    if (outcome === 'busy') return 'busy';
    if (outcome === 'match' && hash !== undefined) {
      state.verified.set(key, true);
      return 'ok';
    }
    state.failed.set(key, true);
    return 'denied';
  };

  const check = async (header: string | undefined, address = ''): Promise<CredentialOutcome> => {
    const state = current;
    const parsed = parseAuthorization(header);
    let outcome: CredentialOutcome | 'reloaded';
    if (parsed === undefined) outcome = 'denied';
    else if (parsed.scheme === 'bearer' && state.bearer !== undefined) {
      // Hashing both sides makes the compare constant-time whatever the length given.
      outcome = timingSafeEqual(createHash('sha256').update(parsed.credentials).digest(), state.bearer) ? 'ok' : 'denied';
    } else if (parsed.scheme !== 'basic' || state.web.basicAuthUsers.size === 0) outcome = 'denied';
    else {
      const key = createHash('sha256').update(parsed.credentials).digest('hex');
      if (state.verified.get(key) === true) return 'ok';
      if (state.failed.get(key) === true) outcome = 'denied';
      else outcome = await state.checks.run(key, () => verify(state, key, parsed.credentials, address));
    }
    // Checked against a web config that has been replaced since: check again against the new one.
    if (outcome === 'reloaded') return check(header, address);
    if (outcome === 'denied') failures.add(address);
    return outcome;
  };

  return Object.assign(check, {
    get protects() {
      return current.web.basicAuthUsers.size > 0 || current.web.bearerToken !== undefined;
    },
    get challenge() {
      return current.web.basicAuthUsers.size > 0 ? 'Basic realm="librenms-exporter"' : 'Bearer';
    },
    update(next: WebConfig) {
      current = generation(next, maxCached);
      failures.clear();
    },
    close: () => passwords.close(),
  });
}

/**
 * Answers 401 to every request but `/healthz` that does not carry valid credentials, and 429 when its
 * password check could not run in time (the queue full of checks from cleaner addresses, or too
 * long a wait): nothing is hashed for those. Reads the checker's web config on each request.
 */
export function registerAuth(app: FastifyInstance, checkCredentials: CredentialChecker): void {
  app.addHook('onClose', async () => checkCredentials.close());
  app.addHook('onRequest', async (request, reply) => {
    if (!checkCredentials.protects) return;
    if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
    const outcome = await checkCredentials(request.headers.authorization, request.ip);
    if (outcome === 'ok') return;
    if (outcome === 'busy') {
      await reply.code(429).header('retry-after', '1').type('text/plain; charset=utf-8').send('Too many authentication attempts at once; retry later\n');
      return;
    }
    await reply.code(401).header('www-authenticate', checkCredentials.challenge).type('text/plain; charset=utf-8').send('Unauthorized\n');
  });
}

/** Whether a client certificate mode lets a request through, given what the client presented. */
export function clientCertificateAllowed(type: ClientAuthType, presented: boolean, verified: boolean): boolean {
  switch (type) {
    case 'RequireAnyClientCert':
      return presented;
    case 'VerifyClientCertIfGiven':
      return !presented || verified;
    case 'RequireAndVerifyClientCert':
      return presented && verified;
    default:
      return true;
  }
}

/**
 * Enforces exporter-toolkit's `client_auth_type` per request (the handshake asks for a certificate but
 * refuses none, see app.ts): RequireAnyClientCert needs a certificate (any), VerifyClientCertIfGiven
 * rejects an unverified one, RequireAndVerifyClientCert needs a verified one. `/healthz` needs none,
 * as with basic auth. `type` is read on each request, so a reloaded web config applies at once.
 */
export function registerClientCertificateCheck(app: FastifyInstance, type: () => ClientAuthType): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
    const socket = request.raw.socket as TLSSocket;
    const certificate = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const presented = certificate !== undefined && certificate !== null && Object.keys(certificate).length > 0;
    if (!clientCertificateAllowed(type(), presented, socket.authorized === true)) {
      await reply.code(403).type('text/plain; charset=utf-8').send('A valid client certificate is required\n');
    }
  });
}
