/**
 * A fast writer of the Prometheus text exposition format (version 0.0.4) for LibreNMS data.
 * prom-client's registry needs seconds and gigabytes for a million series; this writer builds each
 * series' label set once and appends plain strings into ~1 MiB chunks.
 */
import type { MetricFamily } from './catalog.js';

const CHUNK_CHARS = 1 << 20;

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

/** Accumulates exposition text into Buffers of about 1 MiB. */
export class ExpositionWriter {
  readonly #chunks: Buffer[] = [];
  #current = '';
  #bytes = 0;
  #series = 0;

  /** Writes `# HELP` and `# TYPE` for a family. */
  family(family: MetricFamily): void {
    this.#append(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`);
  }

  /** Writes one sample; `labels` is a pre-built label set such as `{hostname="x"}`. */
  sample(name: string, labels: string, value: number): void {
    this.#series++;
    this.#append(`${name}${labels} ${formatValue(value)}\n`);
  }

  get seriesCount(): number {
    return this.#series;
  }

  /** The text written so far, as Buffers; the writer is empty afterwards. */
  finish(): Buffer[] {
    if (this.#current !== '') this.#flush();
    const chunks = this.#chunks.splice(0);
    return chunks;
  }

  get byteLength(): number {
    return this.#bytes + Buffer.byteLength(this.#current);
  }

  #append(text: string): void {
    this.#current += text;
    if (this.#current.length >= CHUNK_CHARS) this.#flush();
  }

  #flush(): void {
    const chunk = Buffer.from(this.#current, 'utf8');
    this.#bytes += chunk.length;
    this.#chunks.push(chunk);
    this.#current = '';
  }
}

/**
 * Writes one family over `items`, one sample each for which `value` is defined.
 * The family header is written only when at least one sample exists.
 */
export function writeFamily<T>(
  writer: ExpositionWriter,
  family: MetricFamily,
  items: readonly T[],
  labels: readonly string[],
  value: (item: T) => number | undefined,
): void {
  let headerWritten = false;
  for (let i = 0; i < items.length; i++) {
    const v = value(items[i] as T);
    if (v === undefined) continue;
    if (!headerWritten) {
      writer.family(family);
      headerWritten = true;
    }
    writer.sample(family.name, labels[i] ?? '{}', v);
  }
}
