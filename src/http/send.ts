/**
 * Sends a finished exposition: gzip-compressed when the client accepts it, plain otherwise. Which
 * bytes to send is the runtime's business (refresh/runtime.ts); this is negotiation and streaming.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deadline } from '../deadline.js';
import type { Exposition } from '../exposition/exposition.js';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

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

/**
 * Sends `exposition`, compressed when the client accepts gzip and the compression of its text parts
 * (done once, then kept) ends before `deadline`; else plain, decompressing what is kept compressed as
 * it goes.
 */
export async function sendExposition(request: FastifyRequest, reply: FastifyReply, exposition: Exposition, deadline: Deadline): Promise<FastifyReply> {
  reply.header('content-type', CONTENT_TYPE).header('cache-control', 'no-store').header('vary', 'Accept-Encoding');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    // Gzip members in a row are one valid gzip stream (RFC 1952).
    const members = await deadline.race(exposition.gzip());
    if (members !== undefined) {
      reply.header('content-encoding', 'gzip').header(
        'content-length',
        members.reduce((n, p) => n + p.length, 0),
      );
      return reply.send(Readable.from(members, { objectMode: false }));
    }
  }
  reply.header('content-length', exposition.byteLength);
  const kept = exposition.keptText();
  if (kept !== undefined) return reply.send(Readable.from(await kept, { objectMode: false }));
  return reply.send(exposition.plain());
}
