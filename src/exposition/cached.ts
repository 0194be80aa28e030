/**
 * Rendered LibreNMS data as bytes ready to send, plain and gzip, remembered while the rendered parts
 * stay the same objects: a warm scrape neither re-renders nor re-compresses.
 */
import { createGzip } from 'node:zlib';
import { composeFamilies, type Rendered } from './writer.js';

/** Rendered LibreNMS data ready to send. */
export class Exposition {
  readonly chunks: readonly Buffer[];
  readonly byteLength: number;
  #gzip: Promise<Buffer> | undefined;

  constructor(chunks: readonly Buffer[]) {
    this.chunks = chunks;
    this.byteLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** The gzip-compressed bytes, computed off the event loop on first use and then kept. */
  gzip(): Promise<Buffer> {
    this.#gzip ??= new Promise<Buffer>((resolve, reject) => {
      const gzip = createGzip({ level: 6 });
      const out: Buffer[] = [];
      gzip.on('data', (chunk: Buffer) => out.push(chunk));
      gzip.on('end', () => resolve(Buffer.concat(out)));
      gzip.on('error', reject);
      for (const chunk of this.chunks) gzip.write(chunk);
      gzip.end();
    });
    return this.#gzip;
  }
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
      const chunks = composeFamilies(parts);
      this.#exposition = chunks.length === 0 ? undefined : new Exposition(chunks);
    }
    return this.#exposition;
  }
}
