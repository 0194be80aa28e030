/**
 * Rendered LibreNMS data as bytes ready to send, remembered while the rendered parts stay the same
 * objects: a warm scrape neither re-renders nor re-compresses.
 *
 * The big part (the port families) arrives already gzip-compressed from its collector and is kept
 * only so: Prometheus always asks for gzip, and keeping the text too would double the memory (207 MB
 * of text at 100,000 ports). The rare plain scrape decompresses it while sending. Small parts (devices,
 * alerts, sensors, and a port family smaller than one 8 KiB piece) are kept as text and compressed
 * once, on the first gzip scrape.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { familyHeader, type GzipMember, type Rendered } from './writer.js';

/**
 * The gzip level of the exposition. Measured on the benchmark's large install (165 MB of text):
 * level 1 compresses it to 15.6 MB in 0.55 s of CPU, level 6 to 9.6 MB in 1.9 s; level 1 keeps the
 * refresh within its CPU budget, and sending 6 MB more over a LAN costs less than 1.3 s of CPU.
 */
export const EXPOSITION_GZIP_LEVEL = 1;

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/**
 * Up to this size the text is also kept once a plain scrape has asked for it: a small install's plain
 * scrapes (a browser, curl, many at once) then cost no decompression each. A larger exposition is
 * decompressed per plain scrape instead of being kept twice.
 */
const KEEP_PLAIN_BYTES = 4 * 1024 * 1024;

/**
 * Pieces of a plain answer being decompressed: 207 MB at 100,000 ports in zlib's default 16 KiB pieces
 * would be 13,000 Buffers for the garbage collector per plain scrape.
 */
const PLAIN_PIECE_BYTES = 256 * 1024;

type Segment = { readonly text: Buffer[] } | { readonly member: GzipMember };

/** Rendered LibreNMS data ready to send. */
export class Exposition {
  /** Bytes of the exposition as text. */
  readonly byteLength: number;
  readonly #segments: readonly Segment[];
  #gzip: Promise<readonly Buffer[]> | undefined;
  #text: Promise<readonly Buffer[]> | undefined;

  constructor(segments: readonly Segment[]) {
    this.#segments = segments;
    let bytes = 0;
    for (const s of segments) bytes += 'text' in s ? s.text.reduce((n, b) => n + b.length, 0) : s.member.plainBytes;
    this.byteLength = bytes;
  }

  /**
   * The gzip-compressed bytes as consecutive gzip members (one gzip stream, RFC 1952): the parts
   * compressed by their collector as they are, the text parts compressed off the event loop on first
   * use; then kept.
   */
  gzip(): Promise<readonly Buffer[]> {
    this.#gzip ??= Promise.all(
      this.#segments.map(async (s) => ('text' in s ? [await gzip(Buffer.concat(s.text), { level: EXPOSITION_GZIP_LEVEL })] : s.member.pieces)),
    ).then((members) => members.flat());
    return this.#gzip;
  }

  /**
   * The whole text when the exposition is small enough to keep it (decompressed once, off the event
   * loop, on the first plain scrape); undefined for a larger one: use {@link plain}.
   */
  keptText(): Promise<readonly Buffer[]> | undefined {
    if (this.byteLength > KEEP_PLAIN_BYTES) return undefined;
    this.#text ??= Promise.all(this.#segments.map(async (s) => ('text' in s ? s.text : [await gunzip(Buffer.concat(s.member.pieces))]))).then((parts) =>
      parts.flat(),
    );
    return this.#text;
  }

  /** The text as a stream, decompressing the compressed parts on libuv's thread pool as it is read. */
  plain(): Readable {
    const segments = this.#segments;
    return Readable.from(
      (async function* text(): AsyncGenerator<Buffer> {
        for (const s of segments) {
          if ('text' in s) {
            yield* s.text;
            continue;
          }
          const gunzipStream = createGunzip({ chunkSize: PLAIN_PIECE_BYTES });
          Readable.from(s.member.pieces, { objectMode: false }).pipe(gunzipStream);
          for await (const piece of gunzipStream) yield piece as Buffer;
        }
      })(),
      { objectMode: false },
    );
  }
}

/** Each family's header once, then its samples from every output, text and compressed parts in order. */
function compose(outputs: readonly Rendered[]): Segment[] {
  const byName = new Map<string, { header: Buffer; parts: Rendered[number][] }>();
  for (const output of outputs) {
    for (const part of output) {
      if (part.series === 0) continue;
      let entry = byName.get(part.family.name);
      if (entry === undefined) {
        entry = { header: familyHeader(part.family), parts: [] };
        byName.set(part.family.name, entry);
      }
      entry.parts.push(part);
    }
  }
  const segments: Segment[] = [];
  let text: Buffer[] | undefined;
  const addText = (...buffers: Buffer[]): void => {
    if (text === undefined) {
      text = [];
      segments.push({ text });
    }
    text.push(...buffers);
  };
  for (const { header, parts } of byName.values()) {
    addText(header);
    for (const part of parts) {
      if (part.gzip === undefined) {
        addText(...part.chunks);
      } else {
        segments.push({ member: part.gzip });
        text = undefined;
      }
    }
  }
  return segments;
}

/**
 * Exposition bytes (and their gzip) built from rendered parts, remembered while the parts are the
 * same objects: a warm scrape neither re-renders nor re-compresses.
 */
export class ExpositionMemo {
  #parts: readonly Rendered[] = [];
  #exposition: Exposition | undefined;

  get(parts: readonly Rendered[]): Exposition | undefined {
    const same = this.#exposition !== undefined && parts.length === this.#parts.length && parts.every((p, i) => p === this.#parts[i]);
    if (!same) {
      this.#parts = parts;
      const segments = compose(parts);
      this.#exposition = segments.length === 0 ? undefined : new Exposition(segments);
    }
    return this.#exposition;
  }
}
