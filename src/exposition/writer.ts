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

/** Samples of one family, without its HELP/TYPE header (written when families are composed). */
export interface FamilyChunks {
  readonly family: MetricFamily;
  readonly chunks: Buffer[];
  readonly series: number;
}

/** The rendered output of one collector run: families in the order written. */
export type Rendered = readonly FamilyChunks[];

/**
 * Accumulates exposition samples into Buffers of about 1 MiB, per family, so that the output of
 * several collectors or LibreNMS instances can be merged with each family's samples kept together.
 */
export class ExpositionWriter {
  readonly #families: { family: MetricFamily; chunks: Buffer[]; series: number }[] = [];
  readonly #constLabels: string;
  #current = '';
  #series = 0;

  /** @param constLabels label pairs put first in every label set, e.g. `librenms_instance="eu"` */
  constructor(constLabels: Readonly<Record<string, string>> = {}) {
    this.#constLabels = Object.entries(constLabels)
      .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
      .join(',');
  }

  /** `{a="x",b="y"}` with the constant labels first. */
  labels(names: readonly string[], values: readonly string[]): string {
    if (this.#constLabels === '') return names.length === 0 ? '' : labelSet(names, values);
    return names.length === 0 ? `{${this.#constLabels}}` : `{${this.#constLabels},${labelSet(names, values).slice(1)}`;
  }

  /** Starts a family; the following samples belong to it. */
  family(family: MetricFamily): void {
    this.#flush();
    this.#families.push({ family, chunks: [], series: 0 });
  }

  /** Writes one sample; `labels` comes from {@link labels}. */
  sample(name: string, labels: string, value: number): void {
    this.#series++;
    const current = this.#families[this.#families.length - 1];
    if (current !== undefined) current.series++;
    this.#current += `${name}${labels} ${formatValue(value)}\n`;
    if (this.#current.length >= CHUNK_CHARS) this.#flush();
  }

  get seriesCount(): number {
    return this.#series;
  }

  /** The families written so far; the writer is empty afterwards. */
  finish(): Rendered {
    this.#flush();
    return this.#families.splice(0);
  }

  #flush(): void {
    if (this.#current === '') return;
    const current = this.#families[this.#families.length - 1];
    if (current === undefined) throw new Error('sample written before its family');
    current.chunks.push(Buffer.from(this.#current, 'utf8'));
    this.#current = '';
  }
}

/** The HELP and TYPE lines of a family. */
export function familyHeader(family: MetricFamily): Buffer {
  return Buffer.from(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`, 'utf8');
}

/**
 * Merges rendered outputs (several collectors, several LibreNMS instances) into exposition chunks:
 * each family's header once, then its samples from every output, so families stay contiguous.
 */
export function composeFamilies(outputs: readonly Rendered[]): Buffer[] {
  const byName = new Map<string, { family: MetricFamily; chunks: Buffer[] }>();
  for (const output of outputs) {
    for (const part of output) {
      if (part.series === 0) continue;
      let entry = byName.get(part.family.name);
      if (entry === undefined) {
        entry = { family: part.family, chunks: [] };
        byName.set(part.family.name, entry);
      }
      entry.chunks.push(...part.chunks);
    }
  }
  const result: Buffer[] = [];
  for (const { family, chunks } of byName.values()) result.push(familyHeader(family), ...chunks);
  return result;
}

/**
 * Writes one family over `items`, one sample each for which `value` is defined.
 */
export function writeFamily<T>(
  writer: ExpositionWriter,
  family: MetricFamily,
  items: readonly T[],
  labels: readonly string[],
  value: (item: T) => number | undefined,
): void {
  writer.family(family);
  for (let i = 0; i < items.length; i++) {
    const v = value(items[i] as T);
    if (v === undefined) continue;
    writer.sample(family.name, labels[i] ?? '{}', v);
  }
}

/** The exposition text of one rendered output (tests, the doctor). */
export function renderedText(rendered: Rendered): string {
  return Buffer.concat(composeFamilies([rendered])).toString('utf8');
}
