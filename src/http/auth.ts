/**
 * Access control of the HTTP endpoints (exporter-toolkit's web config): basic auth against bcrypt
 * hashes, or a bearer token. `/healthz` stays open so that container health checks need no secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { ClientAuthType, WebConfig } from '../config/types.js';
import { dummyHashLike, PasswordChecker } from './password-check.js';

/** Parses `Authorization: <scheme> <credentials>` strictly: one scheme, one token68, nothing after it. */
export function parseAuthorization(header: string | undefined): { scheme: string; credentials: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim());
  if (match === null) return undefined;
  return { scheme: (match[1] ?? '').toLowerCase(), credentials: match[2] ?? '' };
}

/** Valid basic-auth credentials remembered (by a SHA-256 of the header's credentials), least recently used out. */
export const MAX_CACHED_LOGINS = 64;
/** bcrypt checks queued or running at once; more are answered 429 before any hashing. */
export const MAX_PENDING_PASSWORD_CHECKS = 4;

export type CredentialOutcome = 'ok' | 'denied' | 'busy';

export interface CredentialChecker {
  (header: string | undefined): Promise<CredentialOutcome>;
  close(): Promise<void>;
}

/**
 * Checks an `Authorization` header against the web config: bcrypt for basic auth, in a worker
 * thread with a bounded queue, or a constant-time token compare. Only successes are cached (a
 * bounded LRU), so failed guesses can neither fill the cache nor evict the valid login. An unknown
 * user is compared against a dummy hash of the same cost, so a failure takes as long either way.
 */
export function credentialChecker(web: WebConfig, options: { maxPending?: number; maxCached?: number } = {}): CredentialChecker {
  const maxCached = options.maxCached ?? MAX_CACHED_LOGINS;
  const verified = new Map<string, true>();
  const passwords = new PasswordChecker(options.maxPending ?? MAX_PENDING_PASSWORD_CHECKS);
  const dummyHash = dummyHashLike(web.basicAuthUsers.values().next().value);
  const bearer = web.bearerToken === undefined ? undefined : createHash('sha256').update(web.bearerToken).digest();
  const check = async (header: string | undefined): Promise<CredentialOutcome> => {
    const parsed = parseAuthorization(header);
    if (parsed === undefined) return 'denied';
    if (parsed.scheme === 'bearer' && bearer !== undefined) {
      // Hashing both sides makes the compare constant-time whatever the length given.
      return timingSafeEqual(createHash('sha256').update(parsed.credentials).digest(), bearer) ? 'ok' : 'denied';
    }
    if (parsed.scheme !== 'basic' || web.basicAuthUsers.size === 0) return 'denied';
    const key = createHash('sha256').update(parsed.credentials).digest('hex');
    if (verified.has(key)) {
      verified.delete(key);
      verified.set(key, true);
      return 'ok';
    }
    const decoded = Buffer.from(parsed.credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const hash = colon < 0 ? undefined : web.basicAuthUsers.get(decoded.slice(0, colon));
    const outcome = await passwords.compare(colon < 0 ? decoded : decoded.slice(colon + 1), hash ?? dummyHash);
    if (outcome === 'busy') return 'busy';
    if (outcome !== 'match' || hash === undefined) return 'denied';
    verified.set(key, true);
    for (const oldest of verified.keys()) {
      if (verified.size <= maxCached) break;
      verified.delete(oldest);
    }
    return 'ok';
  };
  return Object.assign(check, { close: () => passwords.close() });
}

/**
 * Answers 401 to every request but `/healthz` that does not carry valid credentials, and 429 when
 * too many password checks are already waiting (a flood of guesses): nothing is hashed for those.
 */
export function registerAuth(app: FastifyInstance, web: WebConfig): void {
  if (web.basicAuthUsers.size === 0 && web.bearerToken === undefined) return;
  const checkCredentials = credentialChecker(web);
  app.addHook('onClose', async () => checkCredentials.close());
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
    const outcome = await checkCredentials(request.headers.authorization);
    if (outcome === 'ok') return;
    if (outcome === 'busy') {
      await reply.code(429).header('retry-after', '1').type('text/plain; charset=utf-8').send('Too many authentication attempts at once; retry later\n');
      return;
    }
    await reply
      .code(401)
      .header('www-authenticate', web.basicAuthUsers.size > 0 ? 'Basic realm="librenms-exporter"' : 'Bearer')
      .type('text/plain; charset=utf-8')
      .send('Unauthorized\n');
  });
}

/**
 * Enforces exporter-toolkit's `client_auth_type` where the TLS handshake alone cannot:
 * RequireAnyClientCert needs a certificate (any), VerifyClientCertIfGiven rejects an unverified one.
 * `/healthz` needs none, as with basic auth.
 */
export function registerClientCertificateCheck(app: FastifyInstance, type: ClientAuthType): void {
  if (type !== 'RequireAnyClientCert' && type !== 'VerifyClientCertIfGiven') return;
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
    const socket = request.raw.socket as TLSSocket;
    const certificate = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const presented = certificate !== undefined && Object.keys(certificate).length > 0;
    const allowed = type === 'RequireAnyClientCert' ? presented : !presented || socket.authorized;
    if (!allowed) await reply.code(403).type('text/plain; charset=utf-8').send('A valid client certificate is required\n');
  });
}
