/**
 * Samples written into a sink, as exposition text: how tests see what a collector or a write
 * function produces, through the same writer and composition the exporter uses.
 */
import type { Collector, CollectorInput, CollectorOutcome } from '../../src/collectors/collector.js';
import { writeDevices } from '../../src/collectors/devices.js';
import { PortWriter } from '../../src/collectors/ports.js';
import { Exposition } from '../../src/exposition/exposition.js';
import { type SampleSink, WriterSink } from '../../src/exposition/sink.js';
import { familyHeader, type Rendered } from '../../src/exposition/writer.js';
import type { DeviceRecord } from '../../src/mapping/devices.js';
import type { PortRecord } from '../../src/mapping/ports.js';

/** The families `write` puts into a plain sink (with `constLabels`). */
export async function rendered(write: (sink: SampleSink) => void, constLabels: Readonly<Record<string, string>> = {}): Promise<Rendered> {
  const sink = new WriterSink(constLabels);
  write(sink);
  return sink.finish();
}

/** The exposition text of rendered outputs, each family once ('' when nothing has a sample). */
export async function textOf(...outputs: readonly Rendered[]): Promise<string> {
  return (await Exposition.of(outputs)?.toText()) ?? '';
}

/** The text of what `write` puts into a sink. */
export async function renderText(write: (sink: SampleSink) => void, constLabels: Readonly<Record<string, string>> = {}): Promise<string> {
  return textOf(await rendered(write, constLabels));
}

/** Runs a collector into a sink: its outcome and the text it wrote (compressed, as a refresh keeps it). */
export async function runCollector(
  collector: Collector,
  input: CollectorInput,
  constLabels: Readonly<Record<string, string>> = {},
): Promise<CollectorOutcome & { text: string; series: number }> {
  const sink = new WriterSink(constLabels, { compress: true });
  const outcome = await collector.collect(input, sink);
  const series = sink.series;
  return { ...outcome, series, text: await textOf(await sink.finish()) };
}

/** The text of plain (uncompressed) rendered outputs, composed as the exporter composes them, at once. */
export function plainText(...outputs: readonly Rendered[]): Buffer {
  const byName = new Map<string, Buffer[]>();
  for (const part of outputs.flat()) {
    if (part.series === 0) continue;
    if (part.gzip !== undefined) throw new Error(`${part.family.name} is compressed: use textOf()`);
    const chunks = byName.get(part.family.name) ?? [familyHeader(part.family)];
    chunks.push(...part.chunks);
    byName.set(part.family.name, chunks);
  }
  return Buffer.concat([...byName.values()].flat());
}

/** What `write` puts into a plain sink, as text, at once. */
export function plainRenderText(write: (sink: SampleSink) => void): string {
  const sink = new WriterSink();
  write(sink);
  return plainText(sink.finishPlain()).toString('utf8');
}

/** The device and port families of mapped records, as the devices and ports collectors write them. */
export function devicesAndPortsText(devices: readonly DeviceRecord[], ports: readonly PortRecord[]): string {
  return plainRenderText((sink) => {
    writeDevices(sink, devices);
    const writer = new PortWriter(sink);
    for (const port of ports) writer.add(port);
  });
}
