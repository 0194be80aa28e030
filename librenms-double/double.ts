/**
 * A faithful LibreNMS REST API v0 test double on node:http / node:https (127.0.0.1 by default).
 * See api.ts for the endpoint behaviour and json.ts for the byte-exact PHP JSON output.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { handleApi } from './api.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { labState } from './fixtures.js';
import { pollState } from './poll.js';
import { type OperStatusMode, type Reply, unauthenticated } from './reply.js';
import type { SimState } from './state.js';

export interface DoubleOptions {
  token?: string;
  state?: SimState;
  host?: string;
  port?: number;
  /** server-side delay per request before responding (PHP cost) */
  latencyMs?: number;
  /**
   * Timers of the latency and of slow bodies (`slowBody`, `reset`): real ones by default; a test passes
   * a fake clock to move them on itself.
   */
  timers?: DoubleTimers;
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** old (pre-Laravel) installs: every number in the data as a JSON string */
  numbersAsStrings?: boolean;
  /** nginx misconfig: query string dropped => defaults */
  ignoreQueryStrings?: boolean;
  /** /system local_ver, default '26.7.0'; also selects version-dependent shapes */
  version?: string;
  operStatusMode?: OperStatusMode;
}

/** Calls `callback` once after `ms` milliseconds; the returned function cancels it. */
export interface DoubleTimers {
  after(ms: number, callback: () => void): () => void;
}

const realTimers: DoubleTimers = {
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  startedAt: number;
  endedAt?: number;
  status?: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'html500' }
  | { kind: 'hang' }
  | { kind: 'slowBody'; chunkDelayMs: number }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'raw'; status?: number; body: string; contentType?: string };

export interface FaultRule {
  path: string | RegExp;
  fault: Fault;
  times?: number;
}

export interface LibreNmsDouble {
  readonly url: string;
  readonly token: string;
  state: SimState;
  readonly requests: RecordedRequest[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  resetStats(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  poll(seconds?: number): void;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'test-token-0123456789abcdef';

/** what php-fpm + display_errors print when a big /ports response exhausts memory_limit */
export const HTML_500_BODY =
  '<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in ' +
  '<b>/opt/librenms/vendor/laravel/framework/src/Illuminate/Database/Eloquent/Model.php</b> on line <b>1416</b><br />\n';

const STATUS_MESSAGES: Record<number, string> = {
  401: 'Unauthenticated.',
  403: 'This action is unauthorized.',
  404: 'Not Found',
  429: 'Too Many Attempts.',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

function tokenFrom(req: http.IncomingMessage, query: Record<string, string>): string | undefined {
  const x = req.headers['x-auth-token'];
  if (typeof x === 'string' && x !== '') return x;
  if (query['api_token']) return query['api_token'];
  const auth = req.headers.authorization ?? '';
  const pos = auth.toLowerCase().lastIndexOf('bearer ');
  if (pos !== -1) {
    const t = auth.slice(pos + 7);
    const cut = t.includes(',') ? t.slice(0, t.indexOf(',')) : t;
    if (cut !== '') return cut;
  }
  const basic = /^basic\s+(.+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i !== -1 && decoded.slice(i + 1) !== '') return decoded.slice(i + 1);
  }
  return undefined;
}

function parseQuery(search: URLSearchParams): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of search) q[k] = v; // PHP: the last duplicate wins
  return q;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function startLibreNmsDouble(options: DoubleOptions = {}): Promise<LibreNmsDouble> {
  const token = options.token ?? DEFAULT_TOKEN;
  const host = options.host ?? '127.0.0.1';
  const version = options.version ?? '26.7.0';
  const operStatusMode = options.operStatusMode ?? 'enum-null';
  const numbersAsStrings = options.numbersAsStrings ?? false;
  const ignoreQueryStrings = options.ignoreQueryStrings ?? false;
  const scheme = options.tls ? 'https' : 'http';
  let latencyMs = options.latencyMs ?? 0;
  let faults: ActiveFault[] = [];
  let requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = false;
  const timers = options.timers ?? realTimers;
  /** Cancels each pending wait: close() ends them all. */
  const waits = new Set<() => void>();
  const open = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();

  const later = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const cancel = timers.after(ms, () => {
        waits.delete(cancel);
        resolve();
      });
      waits.add(cancel);
    });

  const takeFault = (path: string): Fault | undefined => {
    for (const f of faults) {
      const match = typeof f.rule.path === 'string' ? f.rule.path === path : f.rule.path.test(path);
      if (!match || f.remaining <= 0) continue;
      f.remaining--;
      return f.rule.fault;
    }
    return undefined;
  };

  const send = (res: http.ServerResponse, reply: Reply): void => {
    const body = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType ?? 'application/json',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-cache, private',
      ...reply.headers,
    });
    res.end(body);
  };

  let self: LibreNmsDouble;

  const route = (req: http.IncomingMessage, pathname: string, query: Record<string, string>, origin: string): Reply => {
    if (pathname !== '/api/v0' && !pathname.startsWith('/api/v0/')) {
      // the web UI: not an API route, no token auth; guests are sent to the login page
      if (pathname === '/login') {
        return {
          status: 200,
          body: '<!DOCTYPE html><html><head><title>LibreNMS</title></head><body><form method="post" action="/login"></form></body></html>',
          contentType: 'text/html; charset=UTF-8',
        };
      }
      return { status: 302, body: '', contentType: 'text/html; charset=UTF-8', headers: { Location: `${origin}/login` } };
    }
    const seen = ignoreQueryStrings ? {} : query;
    const given = tokenFrom(req, seen);
    // the double's own token is an admin's; state.tokens adds other users (roles: state.ts, SimUser)
    const user = given === undefined || given === token ? undefined : self.state.tokens?.get(given);
    if (given === undefined || (given !== token && user === undefined)) return unauthenticated();
    const segments = pathname
      .slice('/api/v0'.length)
      .split('/')
      .filter((x) => x !== '')
      .map(decodeSegment);
    return handleApi(
      self.state,
      { version, operStatusMode, numbersAsStrings },
      {
        method: req.method ?? 'GET',
        segments,
        query: seen,
        origin,
        ...(user === undefined ? {} : { user }),
      },
    );
  };

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    // The demo's knobs (control.ts), not LibreNMS: neither recorded nor subject to faults or latency.
    if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(req, res, self.state, token);
    const query = parseQuery(url.searchParams);
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, startedAt: Date.now() };
    requests.push(rec);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    open.add(res);
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      inFlight--;
      open.delete(res);
      rec.endedAt = Date.now();
      rec.status = res.statusCode;
    };
    res.on('finish', finish);
    res.on('close', finish);
    req.resume();

    if (latencyMs > 0) await later(latencyMs);
    if (closed || res.destroyed) return;

    const origin = `${scheme}://${req.headers.host ?? `${host}`}`;
    const fault = takeFault(url.pathname);
    if (fault === undefined) return send(res, route(req, url.pathname, query, origin));

    switch (fault.kind) {
      case 'status': {
        const body = fault.body ?? JSON.stringify({ message: STATUS_MESSAGES[fault.status] ?? http.STATUS_CODES[fault.status] ?? 'Error' });
        return send(res, { status: fault.status, body, contentType: 'application/json', ...(fault.headers ? { headers: fault.headers } : {}) });
      }
      case 'html500':
        return send(res, { status: 500, body: HTML_500_BODY, contentType: 'text/html; charset=UTF-8' });
      case 'raw':
        return send(res, { status: fault.status ?? 200, body: fault.body, contentType: fault.contentType ?? 'application/json' });
      case 'hang':
        return; // never answered; close() ends it
      case 'slowBody': {
        const reply = route(req, url.pathname, query, origin);
        const body = Buffer.from(reply.body, 'utf8');
        res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': String(body.length), ...reply.headers });
        res.flushHeaders();
        const chunk = 64;
        for (let i = 0; i < body.length; i += chunk) {
          if (closed || res.destroyed) return;
          res.write(body.subarray(i, i + chunk));
          if (i + chunk < body.length) await later(fault.chunkDelayMs);
        }
        res.end();
        return;
      }
      case 'reset': {
        const reply = route(req, url.pathname, query, origin);
        const body = Buffer.from(reply.body, 'utf8');
        res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': String(body.length) });
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
        await later(10);
        res.socket?.destroy();
        res.destroy();
        return;
      }
      case 'truncate': {
        const reply = route(req, url.pathname, query, origin);
        const body = Buffer.from(reply.body, 'utf8');
        // no Content-Length: the (chunked) body ends cleanly after half the JSON
        res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json' });
        res.end(body.subarray(0, Math.floor(body.length / 2)));
        return;
      }
    }
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: '{"message":"Server Error"}' });
      else res.destroy();
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${scheme}://${hostForUrl}:${addr.port}`;

  self = {
    url,
    token,
    state: options.state ?? labState(),
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    resetStats() {
      requests = [];
      maxInFlight = inFlight;
    },
    addFault(rule: FaultRule) {
      faults.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults = [];
    },
    setLatency(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    poll(seconds = 300) {
      pollState(self.state, seconds);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const cancel of waits) cancel();
      waits.clear();
      for (const res of open) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return self;
}
