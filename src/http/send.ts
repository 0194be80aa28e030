/**
 * The exposition sender: the exporter's own status plus the cached LibreNMS data of a scope, as one
 * exposition, gzip-compressed when the client accepts it.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deadline } from '../deadline.js';
import { type Exposition, ExpositionMemo } from '../exposition/cached.js';
import { type ExporterMetrics, type ExporterStatus, renderStatus } from '../exposition/status.js';
import { composeFamilies } from '../exposition/writer.js';
import type { Scope } from '../inventory/selection.js';
import type { InstanceRuntime } from '../refresh/instance.js';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The status of a scope whose LibreNMS could not be asked anything: `librenms_up 0` and nothing else. */
export const DOWN_STATUS: ExporterStatus = {
  up: false,
  collectors: [],
  cacheAgeSeconds: undefined,
  lastSuccessTimestampSeconds: undefined,
  refreshDurationSeconds: undefined,
};

/**
 * Whether the client accepts gzip (RFC 9110 `Accept-Encoding`): `gzip` or `*` with a non-zero
 * quality; `gzip;q=0` refuses it.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let star: boolean | undefined;
  for (const part of text.split(',')) {
    const [coding = '', ...parameters] = part.split(';').map((p) => p.trim());
    const q = parameters.find((p) => /^q=/i.test(p));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    const accepted = Number.isFinite(quality) && quality > 0;
    if (coding.toLowerCase() === 'gzip' || coding.toLowerCase() === 'x-gzip') return accepted;
    if (coding === '*') star = accepted;
  }
  return star ?? false;
}

/** Serves scopes of one or several instances; remembers the bytes of multi-instance answers. */
export class ScopeSender {
  readonly #metrics: ExporterMetrics;
  readonly #maxMemos: number;
  readonly #memos = new Map<string, ExpositionMemo>();

  constructor(metrics: ExporterMetrics, maxMemos: number) {
    this.#metrics = metrics;
    this.#maxMemos = maxMemos;
  }

  /** Waits for each instance's data of `scope` until `deadline`, then sends status and data as one exposition. */
  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    selected: readonly InstanceRuntime[],
    scope: Scope,
    withProcessMetrics: boolean,
    deadline: Deadline,
  ): Promise<FastifyReply> {
    const caches = selected.map((i) => i.scope(scope));
    const served = await Promise.all(caches.map((c) => c.refresher.serve(deadline)));
    let exposition: Exposition | undefined;
    const firstCache = caches[0];
    if (caches.length === 1 && firstCache !== undefined) {
      exposition = firstCache.memo.get(served[0] ?? []);
    } else {
      exposition = this.#memo(`${selected.map((i) => i.instance.name).join(',')}|${JSON.stringify(scope)}`).get(served.flat());
    }
    const statusParts = selected.map((instance, i) => renderStatus(caches[i]?.refresher.status() ?? DOWN_STATUS, instance.constLabels));
    const own = Buffer.concat([...composeFamilies(statusParts), Buffer.from(withProcessMetrics ? await this.#metrics.render() : '', 'utf8')]);
    return sendExposition(request, reply, own, exposition, deadline);
  }

  /** The memo of a multi-instance answer; the least recently used goes past the limit. */
  #memo(key: string): ExpositionMemo {
    let memo = this.#memos.get(key);
    if (memo !== undefined) this.#memos.delete(key);
    memo ??= new ExpositionMemo();
    this.#memos.set(key, memo);
    for (const oldest of this.#memos.keys()) {
      if (this.#memos.size <= this.#maxMemos) break;
      this.#memos.delete(oldest);
    }
    return memo;
  }
}

/** Sends own metrics plus the cached LibreNMS data, gzip-compressed when the client accepts it. */
export async function sendExposition(
  request: FastifyRequest,
  reply: FastifyReply,
  own: Buffer,
  exposition: Exposition | undefined,
  deadline: Deadline,
): Promise<FastifyReply> {
  reply.header('content-type', CONTENT_TYPE).header('cache-control', 'no-store').header('vary', 'Accept-Encoding');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    // Gzip members in a row are one valid gzip stream (RFC 1952): a small fresh one for the exporter's
    // own metrics, then the cached ones of the LibreNMS data.
    const members = exposition === undefined ? undefined : await deadline.race(exposition.gzip());
    if (exposition === undefined || members !== undefined) {
      const parts = [gzipSync(own, { level: 1 }), ...(members ?? [])];
      reply.header('content-encoding', 'gzip').header(
        'content-length',
        parts.reduce((n, p) => n + p.length, 0),
      );
      return reply.send(Readable.from(parts, { objectMode: false }));
    }
  }
  // The LibreNMS data is kept compressed (exposition/cached.ts): a plain answer decompresses it as it goes.
  reply.header('content-length', own.length + (exposition?.byteLength ?? 0));
  if (exposition === undefined) return reply.send(own);
  const kept = exposition.keptText();
  if (kept !== undefined) return reply.send(Readable.from([own, ...(await kept)], { objectMode: false }));
  return reply.send(Readable.from(prepend(own, exposition.plain()), { objectMode: false }));
}

async function* prepend(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}

/** Sends only the given status (no LibreNMS data), e.g. a probe whose LibreNMS cannot be asked. */
export async function sendStatusOnly(reply: FastifyReply, status: ExporterStatus, constLabels: Readonly<Record<string, string>> = {}): Promise<FastifyReply> {
  return reply
    .header('content-type', CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(Buffer.concat(composeFamilies([renderStatus(status, constLabels)])));
}
