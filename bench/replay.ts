/**
 * A caching front for the LibreNMS double in the benchmark. The double encodes JSON the way PHP
 * does, which for 100k ports costs it seconds of JavaScript; a real LibreNMS's cost is modelled by
 * the configured latency instead. So each distinct URL is encoded by the double once and then served
 * from memory after `latencyMs`, and the exporter's figures measure the exporter, not the double.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Stored {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface Replay {
  readonly url: string;
  /** Requests served, for requests-per-refresh figures. */
  requests: number;
  /** Requests served per kind of route ({@link routeKind}), counted from the start. */
  readonly byKind: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The kind of a LibreNMS API path for the per-kind counts: `health`, `wireless`, else the first segment after /api/v0/ (`devices`, `ports`, `bgp`, …). */
export function routeKind(url: string): string {
  const path = url.split('?')[0] ?? '';
  if (/^\/api\/v0\/devices\/[^/]+\/health(\/|$)/.test(path)) return 'health';
  if (/^\/api\/v0\/devices\/[^/]+\/wireless/.test(path)) return 'wireless';
  return path.replace(/^\/api\/v0\//, '').split('/')[0] ?? '';
}

export async function startReplay(upstream: string, latencyMs: number): Promise<Replay> {
  const cache = new Map<string, Promise<Stored>>();
  const fetchUpstream = async (url: string, token: string): Promise<Stored> => {
    const response = await fetch(`${upstream}${url}`, { headers: { 'x-auth-token': token } });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? 'application/json',
      body: Buffer.from(await response.arrayBuffer()),
    };
  };
  const state = { requests: 0 };
  const byKind = new Map<string, number>();
  const server = http.createServer((req, res) => {
    state.requests++;
    const url = req.url ?? '/';
    const kind = routeKind(url);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    const token = String(req.headers['x-auth-token'] ?? '');
    const key = `${token}\u0000${url}`;
    let stored = cache.get(key);
    if (stored === undefined) {
      stored = fetchUpstream(url, token);
      cache.set(key, stored);
    }
    stored.then(
      (s) =>
        setTimeout(() => {
          res.writeHead(s.status, { 'content-type': s.contentType, 'content-length': s.body.length });
          res.end(s.body);
        }, latencyMs),
      () => {
        res.writeHead(502);
        res.end();
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    set requests(value: number) {
      state.requests = value;
    },
    byKind,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
