/**
 * The writer of the Prometheus text exposition format (version 0.0.4): the one place that turns
 * samples into bytes. prom-client's registry needs seconds and gigabytes for a million series; this
 * writer encodes each series' label set once, writes samples as bytes into pieces per family, and can
 * compress each family as it goes.
 */
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import type { MetricFamily } from './catalog.js';

/** Size of a full piece of an uncompressed family, in bytes. */
const PIECE_BYTES = 1 << 20;

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus parses it (Go's ParseFloat accepts JavaScript's number syntax). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `{a="x",b="y"}` from label names and values, escaped. */
export function labelSet(names: readonly string[], values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += `${names[i]}="${escapeLabelValue(values[i] ?? '')}"`;
  }
  return `${out}}`;
}

/** Samples of one family, without its HELP/TYPE header (written when families are composed). */
export interface FamilyChunks {
  readonly family: MetricFamily;
  /** The samples as text (empty when {@link gzip} holds them). */
  readonly chunks: Buffer[];
  /** The samples gzip-compressed instead, as one gzip member (a complete gzip stream) in pieces. */
  readonly gzip?: GzipMember;
  readonly series: number;
}

/** One gzip member (RFC 1952) in pieces, and how many bytes it holds uncompressed. */
export interface GzipMember {
  readonly pieces: readonly Buffer[];
  readonly plainBytes: number;
}

/** The rendered output of one collector run: families in the order written. */
export type Rendered = readonly FamilyChunks[];

function constLabelText(constLabels: Readonly<Record<string, string>>): string {
  return Object.entries(constLabels)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
}

function withConstLabels(constLabels: string, names: readonly string[], values: readonly string[]): string {
  if (constLabels === '') return names.length === 0 ? '' : labelSet(names, values);
  return names.length === 0 ? `{${constLabels}}` : `{${constLabels},${labelSet(names, values).slice(1)}`;
}

interface Column {
  readonly family: MetricFamily;
  /** The metric name as bytes. */
  readonly name: Buffer;
  series: number;
  plainBytes: number;
  /** The piece being written, and how much of it is written. */
  piece: Buffer;
  used: number;
  /** Size of this family's next new piece: small at first, doubling up to the writer's piece size. */
  nextPieceBytes: number;
  readonly chunks: Buffer[];
  /** The family's gzip stream, started when its first piece is full (a smaller family stays text). */
  gzip: Gzip | undefined;
  readonly gzipped: Buffer[];
}

/** Options of an {@link ExpositionWriter}. */
export interface WriterOptions {
  /** Compress each family while writing, at this zlib level; the result holds no text then. */
  readonly gzipLevel?: number;
}

/** Room kept for a sample value: `String()` of a double is at most 24 characters (`-1.2345678901234567e-308`). */
const VALUE_ROOM = 32;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NO_PIECE = Buffer.alloc(0);
/** A family's first piece: a lab's family fits, a big install's grows to the full size in a few pieces. */
const FIRST_PIECE_BYTES = 8 * 1024;
/** Spare pieces kept by a writer: enough for every family's next piece. */
const MAX_SPARE_PIECES = 32;

/**
 * Writes `value` as {@link formatValue} would, as ASCII at `offset`; returns the offset after it.
 * Integers of up to 53 bits (counters, timestamps, speeds: most values) are written digit by digit,
 * several times faster than `String()` of a number that is not a small integer; anything else goes
 * through {@link formatValue}.
 */
export function writeValue(target: Buffer, offset: number, value: number): number {
  let o = offset;
  if (Number.isSafeInteger(value)) {
    let v = value;
    if (v < 0) {
      target[o++] = MINUS;
      v = -v;
    }
    if (v < 2147483648) return writeSmallInteger(target, o, v | 0);
    // hi · 10⁸ + lo, both below 2³¹, so the digits come from integer arithmetic.
    const hi = Math.floor(v / 1e8);
    let lo = (v - hi * 1e8) | 0;
    o = writeSmallInteger(target, o, hi | 0);
    for (let k = 7; k >= 0; k--) {
      target[o + k] = ZERO + (lo % 10);
      lo = (lo / 10) | 0;
    }
    return o + 8;
  }
  const text = formatValue(value);
  for (let k = 0; k < text.length; k++) target[o++] = text.charCodeAt(k);
  return o;
}

function writeSmallInteger(target: Buffer, offset: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
  let v = value;
  for (let k = digits - 1; k >= 0; k--) {
    target[offset + k] = ZERO + (v % 10);
    v = (v / 10) | 0;
  }
  return offset + digits;
}

/**
 * Writes families side by side, one item (a port) at a time into every family, each family into its
 * own buffer, so items can be rendered as they arrive and forgotten. Samples are written as
 * bytes: an item's label set is encoded once and copied into each family, with no string per sample
 * (a string per sample, joined and encoded per piece, cost about a third of a large refresh's CPU).
 * With `gzipLevel`, each family's bytes are handed to its own gzip stream every ~256 KiB, compressed
 * on libuv's thread pool while the next items are read and written, and only the compressed bytes
 * are kept.
 */
export class ExpositionWriter {
  readonly #columns: Column[] = [];
  readonly #constLabels: string;
  readonly #gzipLevel: number | undefined;
  readonly #pieceBytes: number;
  /**
   * Pieces gzip has finished reading, written again instead of allocating new ones: every byte of the
   * exposition passes through a piece, and pieces left to the garbage collector would pile up
   * between collections (at 10,000 ports, some 20 MB per refresh).
   */
  readonly #spare: Buffer[] = [];
  #series = 0;

  constructor(constLabels: Readonly<Record<string, string>> = {}, options: WriterOptions = {}) {
    this.#constLabels = constLabelText(constLabels);
    this.#gzipLevel = options.gzipLevel;
    // Smaller pieces when compressing: less text waits in memory for its stream, same ratio.
    this.#pieceBytes = options.gzipLevel === undefined ? PIECE_BYTES : PIECE_BYTES >> 2;
  }

  /** `{a="x",b="y"}` with the constant labels first, as UTF-8 bytes for {@link sample}. */
  labels(names: readonly string[], values: readonly string[]): Uint8Array {
    return Buffer.from(withConstLabels(this.#constLabels, names, values), 'utf8');
  }

  /** Adds a family; returns its column for {@link sample}. Families come out in the order added. */
  family(family: MetricFamily): number {
    this.#columns.push({
      family,
      name: Buffer.from(family.name, 'latin1'),
      series: 0,
      plainBytes: 0,
      piece: NO_PIECE,
      used: 0,
      nextPieceBytes: FIRST_PIECE_BYTES,
      chunks: [],
      gzip: undefined,
      gzipped: [],
    });
    return this.#columns.length - 1;
  }

  /** Writes one sample of the family in `column`; `labels` comes from {@link labels}. */
  sample(column: number, labels: Uint8Array, value: number): void {
    const c = this.#columns[column] as Column;
    c.series++;
    this.#series++;
    const name = c.name;
    const room = name.length + labels.length + VALUE_ROOM;
    if (c.used + room > c.piece.length) {
      this.#flush(c);
      c.piece = this.#newPiece(c, room);
    }
    const piece = c.piece;
    let o = c.used;
    piece.set(name, o);
    o += name.length;
    piece.set(labels, o);
    o += labels.length;
    piece[o++] = SPACE;
    o = writeValue(piece, o, value);
    piece[o++] = NEWLINE;
    c.used = o;
  }

  get seriesCount(): number {
    return this.#series;
  }

  /** Bytes handed to the gzip streams and not compressed yet. */
  get backlog(): number {
    let bytes = 0;
    for (const c of this.#columns) bytes += c.gzip?.writableLength ?? 0;
    return bytes;
  }

  /** Resolves once the compression backlog is at most `bytes` (at once without compression). */
  async drained(bytes: number): Promise<void> {
    for (;;) {
      let total = 0;
      let most = 0;
      let slowest: Gzip | undefined;
      for (const c of this.#columns) {
        const waiting = c.gzip?.writableLength ?? 0;
        total += waiting;
        if (waiting > most) {
          most = waiting;
          slowest = c.gzip;
        }
      }
      if (total <= bytes || slowest === undefined) return;
      await once(slowest, 'drain');
    }
  }

  /** The families, plain or compressed; waits for the compression to end. */
  async finish(): Promise<Rendered> {
    const ended = this.#columns.map(async (c): Promise<FamilyChunks> => {
      // A family that never filled its first piece is kept as text: no gzip stream (and its 256 KiB
      // of zlib memory) for a few samples; the exposition compresses such text once, on first use.
      this.#flush(c, true);
      if (c.gzip === undefined) return { family: c.family, chunks: c.chunks, series: c.series };
      const gzip = c.gzip;
      await new Promise<void>((resolve, reject) => {
        gzip.once('end', resolve);
        gzip.once('error', reject);
        gzip.end();
      });
      // One piece per family: a scrape then writes a few large buffers instead of hundreds of 64 KiB ones
      // (and the last, partly filled output buffer of each stream is not kept whole).
      const pieces = c.gzipped.length > 1 ? [Buffer.concat(c.gzipped)] : c.gzipped;
      return { family: c.family, chunks: [], gzip: { pieces, plainBytes: c.plainBytes }, series: c.series };
    });
    const rendered = await Promise.all(ended);
    this.#columns.length = 0;
    return rendered;
  }

  /** The families, plain; only without compression. */
  finishPlain(): Rendered {
    if (this.#gzipLevel !== undefined) throw new Error('finishPlain() of a compressing writer');
    const rendered = this.#columns.map((c) => {
      this.#flush(c);
      return { family: c.family, chunks: c.chunks, series: c.series };
    });
    this.#columns.length = 0;
    return rendered;
  }

  /** Stops the gzip streams of an abandoned rendering. */
  abandon(): void {
    for (const c of this.#columns) c.gzip?.destroy();
    this.#columns.length = 0;
  }

  /** A piece with room for `room` bytes: a spare one once the family writes full-size pieces. */
  #newPiece(c: Column, room: number): Buffer {
    const size = Math.min(c.nextPieceBytes, this.#pieceBytes);
    c.nextPieceBytes = size * 2;
    if (room > size) return Buffer.allocUnsafe(room);
    return (size === this.#pieceBytes ? this.#spare.pop() : undefined) ?? Buffer.allocUnsafe(size);
  }

  /**
   * Hands the piece written so far on: to the family's gzip stream (started with the first full piece),
   * or kept as text without compression, or at the `final` flush of a family that never filled a piece.
   */
  #flush(c: Column, final = false): void {
    if (c.used === 0) return;
    const piece = c.piece;
    const used = c.used;
    c.plainBytes += used;
    c.piece = NO_PIECE;
    c.used = 0;
    if (c.gzip === undefined && (this.#gzipLevel === undefined || final)) {
      // Kept as text: trimmed to what was written when most of the piece is empty.
      c.chunks.push(used < piece.length >> 1 ? Buffer.from(piece.subarray(0, used)) : piece.subarray(0, used));
      return;
    }
    if (c.gzip === undefined) {
      const gzipped = c.gzipped;
      c.gzip = createGzip({ level: this.#gzipLevel, chunkSize: 64 * 1024 });
      c.gzip.on('data', (out: Buffer) => gzipped.push(out));
    }
    const written = piece.subarray(0, used);
    // zlib calls back once it has read the whole chunk: the piece is free to be written again.
    c.gzip.write(written, (error) => {
      if (error == null && piece.length === this.#pieceBytes && this.#spare.length < MAX_SPARE_PIECES) this.#spare.push(piece);
    });
  }
}

/** The HELP and TYPE lines of a family. */
export function familyHeader(family: MetricFamily): Buffer {
  return Buffer.from(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`, 'utf8');
}
