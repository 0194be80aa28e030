/**
 * Finished expositions: what a scrape sends. The data of a refresh is kept as bytes while the
 * collectors' outputs stay the same objects, so a warm scrape neither renders nor compresses again.
 *
 * The big part (the port families) arrives already gzip-compressed from its sink and is kept only so:
 * Prometheus always asks for gzip, and keeping the text too would double the memory (207 MB of text at
 * 100,000 ports). The rare plain scrape decompresses it while sending. Small parts (devices, alerts,
 * sensors, status, and a port family smaller than one 8 KiB piece) are kept as text and compressed once,
 * on the first gzip scrape.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { EXPOSITION_GZIP_LEVEL } from './sink.js';
import { familyHeader, type GzipMember, type Rendered } from './writer.js';

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

/** Text, compressed once when first asked for; or a gzip member as a sink compressed it. */
type Segment = { readonly text: readonly Buffer[]; compressed?: Promise<Buffer>; plainBytes: number } | { readonly member: GzipMember };

function textSegment(text: readonly Buffer[]): Segment {
  return { text, plainBytes: text.reduce((n, b) => n + b.length, 0) };
}

function segmentBytes(s: Segment): number {
  return 'text' in s ? s.plainBytes : s.member.plainBytes;
}

/** An exposition ready to send: text and gzip members in order. */
export class Exposition {
  /** Bytes of the exposition as text. */
  readonly byteLength: number;
  readonly #segments: readonly Segment[];
  #text: Promise<readonly Buffer[]> | undefined;

  private constructor(segments: readonly Segment[]) {
    this.#segments = segments;
    this.byteLength = segments.reduce((n, s) => n + segmentBytes(s), 0);
  }

  /**
   * The exposition of rendered outputs (collectors, scopes, instances): each family's HELP and TYPE
   * once, then its samples from every output in order, so every family stays contiguous. Undefined
   * when nothing has a sample.
   */
  static of(outputs: readonly Rendered[]): Exposition | undefined {
    const segments = compose(outputs);
    return segments.length === 0 ? undefined : new Exposition(segments);
  }

  /** Text, such as prom-client's metrics, as an exposition. */
  static text(text: Buffer): Exposition {
    return new Exposition(text.length === 0 ? [] : [textSegment([text])]);
  }

  /**
   * Expositions one after the other, as one (their families must not overlap). The parts' segments
   * are shared, with what each has compressed already: a kept exposition behind a fresh status costs
   * no compression again.
   */
  static concat(parts: readonly (Exposition | undefined)[]): Exposition {
    return new Exposition(parts.flatMap((p) => (p === undefined ? [] : p.#segments)));
  }

  /**
   * The gzip-compressed bytes as consecutive gzip members (one gzip stream, RFC 1952): the parts
   * compressed by their sink as they are, the text parts compressed off the event loop on first use
   * and kept.
   */
  async gzip(): Promise<readonly Buffer[]> {
    const members = await Promise.all(
      this.#segments.map(async (s) => {
        if (!('text' in s)) return s.member.pieces;
        s.compressed ??= gzip(Buffer.concat(s.text), { level: EXPOSITION_GZIP_LEVEL });
        return [await s.compressed];
      }),
    );
    return members.flat();
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

  /** The whole text (the doctor, tests): small expositions only. */
  async toText(): Promise<string> {
    return Buffer.concat((await this.plain().toArray()) as Buffer[]).toString('utf8');
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
      segments.push({ text, plainBytes: 0 });
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
  // The text segments were filled after they were made: count their bytes now.
  return segments.map((s) => ('text' in s ? textSegment(s.text) : s));
}

/**
 * The exposition of rendered outputs, remembered while the outputs are the same objects: a warm
 * scrape neither renders nor compresses again.
 */
export class ExpositionMemo {
  #parts: readonly Rendered[] = [];
  #exposition: Exposition | undefined;
  #made = false;

  get(parts: readonly Rendered[]): Exposition | undefined {
    const same = this.#made && parts.length === this.#parts.length && parts.every((p, i) => p === this.#parts[i]);
    if (!same) {
      this.#parts = parts;
      this.#exposition = Exposition.of(parts);
      this.#made = true;
    }
    return this.#exposition;
  }
}
