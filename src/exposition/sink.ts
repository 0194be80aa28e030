/**
 * What a collector writes into: samples of catalog families, by name. The refresh makes one sink per
 * collector run and finishes it; the collector never sees bytes, compression or memory.
 */
import { family as catalogFamily, type FamilyName, type MetricFamily } from './catalog.js';
import { ExpositionWriter, type Rendered } from './writer.js';

/**
 * The gzip level of the exposition. Measured on the benchmark's large install (165 MB of text):
 * level 1 compresses it to 15.6 MB in 0.55 s of CPU, level 6 to 9.6 MB in 1.9 s; level 1 keeps the
 * refresh within its CPU budget, and sending 6 MB more over a LAN costs less than 1.3 s of CPU.
 */
export const EXPOSITION_GZIP_LEVEL = 1;

/** Compression waiting past this many bytes makes {@link SampleSink.ready} wait until it is down to half. */
const MAX_GZIP_BACKLOG_BYTES = 8 * 1024 * 1024;

/** A family a sink writes, as {@link SampleSink.family} gave it. */
export type FamilyRef = number & { readonly __family: unique symbol };
/** An encoded label set, as {@link SampleSink.labels} gave it: reusable across the families of one sink. */
export type LabelSet = Uint8Array & { readonly __labels: unique symbol };

export interface SampleSink {
  /** A family of the catalog; families come out in the order first asked for. */
  family(name: FamilyName): FamilyRef;
  /** A label set (the sink puts its constant labels first); encode it once per item, use it for every family. */
  labels(names: readonly string[], values: readonly string[]): LabelSet;
  /** Writes one sample. */
  sample(family: FamilyRef, labels: LabelSet, value: number): void;
  /**
   * A promise to wait for before writing more, when the sink is behind (its compression); undefined
   * when it is not. A collector that streams a long read waits on it between pieces of the read.
   */
  ready(): Promise<void> | undefined;
  /** Forgets every sample written so far (a read that starts over); family refs stay valid. */
  restart(): void;
}

/** Writes one sample per item for which `value` is defined (a small collector's families). */
export function sampleEach<T>(
  sink: SampleSink,
  name: FamilyName,
  items: readonly T[],
  labels: (item: T) => LabelSet,
  value: (item: T) => number | undefined,
): void {
  const ref = sink.family(name);
  for (const item of items) {
    const v = value(item);
    if (v !== undefined) sink.sample(ref, labels(item), v);
  }
}

/**
 * Each item's label set, encoded once: the lookup `sampleEach` takes for every family of the items.
 * Only items of `items` may be looked up.
 */
export function labelsEach<T>(sink: SampleSink, items: readonly T[], names: readonly string[], values: (item: T) => readonly string[]): (item: T) => LabelSet {
  const sets = new Map(items.map((item) => [item, sink.labels(names, values(item))]));
  return (item) => sets.get(item) as LabelSet;
}

/** The sink of one collector run: an {@link ExpositionWriter}, compressing (the refresh's) or plain. */
export class WriterSink implements SampleSink {
  readonly #constLabels: Readonly<Record<string, string>>;
  readonly #gzipLevel: number | undefined;
  readonly #families: MetricFamily[] = [];
  readonly #refs = new Map<string, FamilyRef>();
  #writer: ExpositionWriter;

  /** @param compress compress each family as it is written (what a refresh keeps) */
  constructor(constLabels: Readonly<Record<string, string>> = {}, options: { compress?: boolean } = {}) {
    this.#constLabels = constLabels;
    this.#gzipLevel = options.compress === true ? EXPOSITION_GZIP_LEVEL : undefined;
    this.#writer = this.#newWriter();
  }

  family(name: FamilyName): FamilyRef {
    const known = this.#refs.get(name);
    if (known !== undefined) return known;
    const family = catalogFamily(name);
    this.#families.push(family);
    const ref = this.#writer.family(family) as FamilyRef;
    this.#refs.set(name, ref);
    return ref;
  }

  labels(names: readonly string[], values: readonly string[]): LabelSet {
    return this.#writer.labels(names, values) as LabelSet;
  }

  sample(family: FamilyRef, labels: LabelSet, value: number): void {
    this.#writer.sample(family, labels, value);
  }

  ready(): Promise<void> | undefined {
    const writer = this.#writer;
    return writer.backlog > MAX_GZIP_BACKLOG_BYTES ? writer.drained(MAX_GZIP_BACKLOG_BYTES / 2) : undefined;
  }

  restart(): void {
    this.#writer.abandon();
    this.#writer = this.#newWriter();
    for (const family of this.#families) this.#writer.family(family);
  }

  /** Samples written so far. */
  get series(): number {
    return this.#writer.seriesCount;
  }

  /** The families written, compressed or plain; the sink is empty afterwards. */
  finish(): Promise<Rendered> {
    return this.#writer.finish();
  }

  /** The families written, at once: only for a sink that does not compress. */
  finishPlain(): Rendered {
    return this.#writer.finishPlain();
  }

  /** Stops the compression of a run that failed. */
  abandon(): void {
    this.#writer.abandon();
  }

  #newWriter(): ExpositionWriter {
    return new ExpositionWriter(this.#constLabels, this.#gzipLevel === undefined ? {} : { gzipLevel: this.#gzipLevel });
  }
}
