/**
 * Property-based: random LibreNMS payloads (device and port rows with arbitrary JSON values in every
 * field, arbitrary unicode text, rows that are not objects, unknown extra fields) through mapping and
 * rendering. Whatever LibreNMS sends, the output parses strictly, has unique series identities, clean
 * label text and finite values; on a few larger samples, promtool's lints (test/helpers/lint.ts) find nothing.
 */

import fc from 'fast-check';
import t from 'tap';
import { parseExposition } from './helpers/exposition.js';
import { identityProblems } from './helpers/harness.js';
import { lintExposition } from './helpers/lint.js';
import { type Output, payload, run } from './helpers/payloads.js';

const NUM_RUNS = Number(process.env['PROPERTY_RUNS'] ?? 1000);

const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every invariant of one output; throws with a readable reason (fast-check then shrinks the input). */
function check({ devices, ports, bytes }: Output): void {
  const textOut = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on invalid UTF-8
  const parsed = parseExposition(textOut); // throws on anything Prometheus would reject, duplicates included
  const problems = identityProblems(parsed);
  if (problems.length > 0) throw new Error(`identity: ${problems.join('; ')}`);
  const hostnames = new Set<string>();
  for (const s of parsed.samples) {
    if (!Number.isFinite(s.value)) throw new Error(`${s.name} has value ${s.value}`);
    for (const [name, value] of Object.entries(s.labels)) {
      if (UNSAFE.test(value)) throw new Error(`${s.name} label ${name} has unsafe text ${JSON.stringify(value)}`);
      if (value.length > 256) throw new Error(`${s.name} label ${name} is ${value.length} characters long`);
    }
    if (s.name === 'librenms_device_info') hostnames.add(s.labels['hostname'] ?? '');
  }
  for (const s of parsed.samples) {
    const host = s.labels['hostname'];
    if (host === undefined || host === '') throw new Error(`${s.name} without hostname`);
    if (!hostnames.has(host)) throw new Error(`${s.name} of unknown device ${JSON.stringify(host)}`);
  }
  const count = (name: string) => parsed.samples.filter((s) => s.name === name).length;
  if (count('librenms_device_info') !== devices.length) throw new Error(`${devices.length} devices but ${count('librenms_device_info')} info series`);
  if (count('librenms_port_info') !== ports.length) throw new Error(`${ports.length} ports but ${count('librenms_port_info')} info series`);
  if (textOut.includes('never-exported-community')) throw new Error('a credential field reached the output');
}

t.test('any LibreNMS payload gives a valid exposition with unique series', async (t) => {
  let nonEmpty = 0;
  let portsSeen = 0;
  fc.assert(
    fc.property(payload(10, 25), (p) => {
      const out = run(p);
      check(out);
      if (out.ports.length > 0) nonEmpty++;
      portsSeen += out.ports.length;
    }),
    { numRuns: NUM_RUNS },
  );
  // The generator must reach the interesting cases, or the property proves little.
  t.ok(nonEmpty > NUM_RUNS / 4, `${nonEmpty} of ${NUM_RUNS} runs had ports (${portsSeen} ports in all)`);
});

t.test('well-formed rows with arbitrary unicode text: nothing valid is lost', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ hostname: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), sysName: fc.string({ unit: 'binary' }) }), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.array(
        fc.record({
          ifName: fc.string({ unit: 'binary', maxLength: 40 }),
          ifAlias: fc.string({ unit: 'binary', maxLength: 300 }),
          ifIndex: fc.integer({ min: 0, max: 1_000_000 }),
        }),
        { maxLength: 12 },
      ),
      (deviceTexts, portTexts) => {
        const deviceRows = deviceTexts.map((d, i) => ({ device_id: i + 1, status: 1, disabled: 0, ...d }));
        const portRows = portTexts.map((p, i) => ({ port_id: i + 1, device_id: 1, ifOperStatus: 'up', ifInOctets: i, deleted: 0, disabled: 0, ...p }));
        const out = run({ devices: deviceRows, ports: portRows, includeDisabledDevices: false, includeDisabledPorts: false, timeZone: 'UTC', viaJson: true });
        check(out);
        // A device is dropped only when its cleaned hostname is empty or taken by an earlier one.
        const cleaned = new Set<string>();
        let expected = 0;
        for (const d of deviceTexts) {
          const h = clean(d.hostname);
          if (h !== '' && !cleaned.has(h)) expected++;
          cleaned.add(h);
        }
        if (out.devices.length !== expected) throw new Error(`expected ${expected} devices, got ${out.devices.length}`);
        if (out.devices[0]?.deviceId === 1) {
          const identities = new Set(portTexts.map((p) => `${clean(p.ifName)}\u0000${p.ifIndex}`));
          if (out.ports.length !== identities.size) throw new Error(`expected ${identities.size} ports, got ${out.ports.length}`);
        }
      },
    ),
    { numRuns: NUM_RUNS },
  );
  t.pass('held');
});

/** The label cleaning as documented: controls dropped, broken UTF-16 to U+FFFD, 256 characters at most. */
function clean(value: string): string {
  let out = value
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (out.length > 256) {
    out = out.slice(0, 256);
    if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
  }
  return out;
}

t.test("promtool's lints (in process) find nothing on a sample of large random payloads", async (t) => {
  let checked = 0;
  fc.assert(
    fc.property(payload(40, 120), (p) => {
      const out = run(p);
      check(out);
      const lint = lintExposition(out.bytes);
      if (lint.length > 0) throw new Error(`lint: ${lint.join('; ')}`);
      checked++;
    }),
    { numRuns: 5, endOnFailure: true },
  );
  t.equal(checked, 5, 'five payloads through the lints (the real promtool sees them in the stack lane)');
});
