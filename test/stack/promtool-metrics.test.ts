/**
 * The real `promtool check metrics` (Debian package prometheus) on our expositions. The unit lane
 * checks in process (test/helpers/lint.ts: the strict parser and promtool's lints); this lane proves
 * the real promtool agrees:
 *  - promtool really runs and lints: it flags deliberately bad expositions, and for each the in-process
 *    lints report at least what promtool reports (same wording);
 *  - on expositions made here, so the test means something run alone: the fast rendering of the
 *    fixtures, the lab served by a real exporter against the LibreNMS double (/metrics and scoped
 *    scrapes), two LibreNMS instances in one exposition, and random payloads of the property test;
 *  - with PROMTOOL_CAPTURE_DIR set (CI sets it for `npm test`, then runs `npm run test:stack`), on every
 *    exposition the unit lane checked in process.
 * No finding is allowed but the accepted one (ACCEPTED_FINDING in test/helpers/promtool.ts).
 *
 * Needs `promtool` on PATH (Debian: apt-get install prometheus), or its path in PROMTOOL.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { request } from 'undici';
import { ALL_FAMILIES } from '../../src/exposition/catalog.js';
import { mapDevices } from '../../src/mapping/devices.js';
import { mapPorts } from '../../src/mapping/ports.js';
import { scrapeWithin, setupPair, startEuAsiaDoubles, startMultiInstanceExporter } from '../helpers/harness.js';
import { CAPTURE_SOURCES, CAPTURE_SUFFIX, lintExposition } from '../helpers/lint.js';
import { payload, run } from '../helpers/payloads.js';
import { ACCEPTED_FINDING, PROMTOOL, promtoolCheckMetrics } from '../helpers/promtool.js';
import { devicesAndPortsText } from '../helpers/render.js';

/** The in-process lints, without saving into PROMTOOL_CAPTURE_DIR (this file reads that directory). */
const lint = (body: string | Buffer): string[] => lintExposition(body, { capture: false });

/** promtool finds nothing (but the accepted finding), and neither do the in-process lints. */
async function clean(t: Test, body: string | Buffer, what: string): Promise<void> {
  const result = await promtoolCheckMetrics(body);
  t.same(result.findings, [], `${what}: promtool finds nothing`);
  t.same(lint(body), [], `${what}: the in-process lints agree`);
}

t.test('promtool is installed', async (t) => {
  const version = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  t.equal(version.status, 0, `${PROMTOOL} --version: ${version.error?.message ?? version.stderr}`);
  t.match(version.stdout + version.stderr, /promtool, version \d+\.\d+/);
});

/** Each a small exposition with one problem, and a finding promtool prints for it. */
const BAD: readonly { what: string; text: string | Buffer; finding: string | RegExp }[] = [
  {
    what: 'counter without _total',
    text: '# HELP a_requests x\n# TYPE a_requests counter\na_requests 1\n',
    finding: 'a_requests counter metrics should have "_total" suffix',
  },
  {
    what: 'gauge with _total',
    text: '# HELP a_total x\n# TYPE a_total gauge\na_total 1\n',
    finding: 'a_total non-counter metrics should not have "_total" suffix',
  },
  { what: 'no HELP', text: '# TYPE a_up gauge\na_up 1\n', finding: 'a_up no help text' },
  {
    what: 'non-base unit',
    text: '# HELP a_latency_milliseconds x\n# TYPE a_latency_milliseconds gauge\na_latency_milliseconds 1\n',
    finding: 'a_latency_milliseconds use base unit "seconds" instead of "milliseconds"',
  },
  {
    what: 'bits, not bytes',
    text: '# HELP a_speed_bits x\n# TYPE a_speed_bits gauge\na_speed_bits 1\n',
    finding: 'a_speed_bits use base unit "bytes" instead of "bits"',
  },
  {
    what: 'abbreviated unit',
    text: '# HELP a_latency_ms x\n# TYPE a_latency_ms gauge\na_latency_ms 1\n',
    finding: 'a_latency_ms metric names should not contain abbreviated units',
  },
  { what: 'type in the name', text: '# HELP a_gauge x\n# TYPE a_gauge gauge\na_gauge 1\n', finding: "a_gauge metric name should not include type 'gauge'" },
  { what: 'colon', text: '# HELP a:b x\n# TYPE a:b gauge\na:b 1\n', finding: "a:b metric names should not contain ':'" },
  {
    what: 'camelCase name',
    text: '# HELP aThing x\n# TYPE aThing gauge\naThing 1\n',
    finding: "aThing metric names should be written in 'snake_case' not 'camelCase'",
  },
  { what: 'camelCase label outside the contract', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{myLabel="1"} 1\n', finding: `a_up ${ACCEPTED_FINDING}` },
  { what: '"le" on a gauge', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{le="1"} 1\n', finding: 'a_up non-histogram metrics should not have "le" label' },
  {
    what: '"quantile" on a gauge',
    text: '# HELP a_up x\n# TYPE a_up gauge\na_up{quantile="1"} 1\n',
    finding: 'a_up non-summary metrics should not have "quantile" label',
  },
  {
    what: '_count on a gauge',
    text: '# HELP a_count x\n# TYPE a_count gauge\na_count 1\n',
    finding: 'a_count non-histogram and non-summary metrics should not have "_count" suffix',
  },
  {
    what: '_sum on a gauge',
    text: '# HELP a_sum x\n# TYPE a_sum gauge\na_sum 1\n',
    finding: 'a_sum non-histogram and non-summary metrics should not have "_sum" suffix',
  },
  {
    what: '_bucket on a gauge',
    text: '# HELP a_bucket x\n# TYPE a_bucket gauge\na_bucket 1\n',
    finding: 'a_bucket non-histogram metrics should not have "_bucket" suffix',
  },
  { what: 'bad escape', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{x="\\t"} 1\n', finding: /error|invalid|escape/i },
  // A lone 0xff byte in a label value (a JS string cannot hold invalid UTF-8).
  {
    what: 'invalid UTF-8',
    text: Buffer.concat([Buffer.from('# HELP a_up x\n# TYPE a_up gauge\na_up{x="'), Buffer.from([0xff]), Buffer.from('"} 1\n')]),
    finding: /error|invalid|UTF/i,
  },
  { what: 'TYPE after samples', text: '# HELP a_up x\na_up 1\n# TYPE a_up gauge\n', finding: /TYPE/ },
  { what: 'bad value', text: '# HELP a_up x\n# TYPE a_up gauge\na_up one\n', finding: /error|float|value/i },
  { what: 'byte order mark', text: Buffer.from('\ufeff# HELP a_up x\n# TYPE a_up gauge\na_up 1\n'), finding: /error|invalid/i },
  { what: 'bad label name', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{1x="1"} 1\n', finding: /error|label/i },
];

t.test('promtool really lints, and the in-process lints report at least what it reports', async (t) => {
  for (const { what, text, finding } of BAD) {
    const result = await promtoolCheckMetrics(text);
    const ours = lint(text);
    t.not(result.findings.length, 0, `${what}: promtool flags it (${result.output.trim()})`);
    t.ok(
      result.findings.some((f) => (typeof finding === 'string' ? f === finding : finding.test(f))),
      `${what}: promtool says ${finding}`,
    );
    t.not(ours.length, 0, `${what}: the in-process lints flag it too`);
    const lintFindings = result.findings.filter((f) => !/^error|parsing error/.test(f));
    if (ours.some((f) => f.startsWith('parse error:'))) continue; // both reject it; the wording of parse errors differs
    t.same(
      lintFindings.filter((f) => !ours.includes(f)),
      [],
      `${what}: nothing promtool reports is missed in process (ours: ${ours.join('; ')})`,
    );
  }
});

/** Rules of the in-process lints beyond what this promtool reports (Prometheus rejects or mishandles these). */
const OURS_ONLY: readonly { what: string; text: string; finding: string | RegExp }[] = [
  { what: 'duplicate series', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{a="1"} 1\na_up{a="1"} 2\n', finding: /duplicate series/ },
  {
    what: 'family split apart',
    text: '# HELP a_up x\n# TYPE a_up gauge\na_up{a="1"} 1\n# HELP b_up x\n# TYPE b_up gauge\nb_up 1\na_up{a="2"} 1\n',
    finding: /not together/,
  },
  { what: 'no TYPE', text: '# HELP a_up x\na_up 1\n', finding: 'a_up no TYPE line' },
  { what: 'lone surrogate', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{x="\ud800"} 1\n', finding: /surrogate/ },
  { what: '"__" label', text: '# HELP a_up x\n# TYPE a_up gauge\na_up{__x="1"} 1\n', finding: 'a_up label name "__x" is reserved (starts with "__")' },
  {
    what: 'histogram without +Inf',
    text: '# HELP a_seconds x\n# TYPE a_seconds histogram\na_seconds_bucket{le="1"} 1\na_seconds_sum 1\na_seconds_count 1\n',
    finding: /without a \+Inf bucket/,
  },
  {
    what: "a type other than the catalog's",
    text: '# HELP librenms_up x\n# TYPE librenms_up counter\nlibrenms_up 1\n',
    finding: 'librenms_up TYPE counter, but the catalog says gauge',
  },
];

t.test('the in-process lints also flag what Prometheus rejects or our catalog forbids', async (t) => {
  for (const { what, text, finding } of OURS_ONLY) {
    const ours = lint(text);
    t.ok(
      ours.some((f) => (typeof finding === 'string' ? f === finding : finding.test(f))),
      `${what}: ${ours.join('; ')}`,
    );
  }
});

// Also checks the catalog against the in-process rule that a unit its help text names ends the name.
t.test('every family of the catalog, one series each: promtool and the in-process lints find nothing', async (t) => {
  const escapeHelp = (help: string) => help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  let text = '';
  for (const f of ALL_FAMILIES) {
    const labels = f.labels.map((l) => `${l}="x"`);
    text += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    if (f.type === 'histogram') {
      const with_ = (extra: string[]) => `{${[...labels, ...extra].join(',')}}`;
      text += `${f.name}_bucket${with_(['le="0.1"'])} 0\n${f.name}_bucket${with_(['le="+Inf"'])} 1\n${f.name}_sum${with_([])} 0.5\n${f.name}_count${with_([])} 1\n`;
    } else {
      text += `${f.name}{${labels.join(',')}} 1\n`;
    }
  }
  t.ok(ALL_FAMILIES.length > 20, `${ALL_FAMILIES.length} families`);
  await clean(t, text, 'the whole catalog');
});

const fixture = (name: string): unknown[] =>
  Object.values(JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>).find(Array.isArray) as unknown[];

t.test('the fast rendering of the fixtures: promtool did run and lint, and finds nothing else', async (t) => {
  const devices = mapDevices(fixture('devices.json'), { includeDisabled: false, timeZone: 'UTC' });
  const ports = mapPorts(fixture('ports.json'), new Map(devices.map((d) => [d.deviceId, d])), { includeDisabled: true });
  const text = devicesAndPortsText(devices, ports);
  const result = await promtoolCheckMetrics(text);
  t.same(result.findings, [], 'no findings but the accepted camelCase label lint');
  t.match(
    result.output,
    /librenms_port_info label names should be written in 'snake_case' not 'camelCase'/,
    'promtool did run and lint (the accepted finding)',
  );
  t.same(lint(text), [], 'the in-process lints agree');
});

t.test('the lab, served by a real exporter against the LibreNMS double', async (t) => {
  const { exporter } = await setupPair(t);
  const scrape = await scrapeWithin(exporter, 10);
  t.equal(scrape.status, 200);
  t.ok(
    scrape.parsed.samples.some((s) => s.name === 'librenms_port_up' && s.labels['ifName'] === 'ether1'),
    'the lab router is there',
  );
  await clean(t, scrape.raw, '/metrics');
  for (const path of ['/probe?target=192.168.56.10', '/metrics?group=Core']) {
    const response = await request(`${exporter.url}${path}`);
    const body = Buffer.from(await response.body.arrayBuffer());
    t.equal(response.statusCode, 200, path);
    await clean(t, body, path);
  }
});

t.test('two LibreNMS instances in one exposition', async (t) => {
  const { eu, asia } = await startEuAsiaDoubles(t);
  const exporter = await startMultiInstanceExporter(t, [
    { name: 'eu', url: eu.url, tokenFileText: eu.token },
    { name: 'asia', url: asia.url, tokenFileText: asia.token },
  ]);
  const { status, text, parsed } = await exporter.scrape();
  t.equal(status, 200);
  t.same(
    [...new Set(parsed.samples.filter((s) => s.name === 'librenms_up').map((s) => s.labels['librenms_instance']))].sort(),
    ['asia', 'eu'],
    'both instances are in the exposition',
  );
  await clean(t, text, 'two instances');
});

t.test("random payloads of the property test's generators", async (t) => {
  const seed = Number(process.env['PROPERTY_SEED'] ?? Date.now() % 2 ** 31);
  const samples = fc.sample(payload(40, 120), { numRuns: 4, seed });
  for (const [i, p] of samples.entries()) {
    const out = run(p);
    await clean(t, out.bytes, `payload ${i + 1} (seed ${seed}, ${out.devices.length} devices, ${out.ports.length} ports)`);
  }
});

const captureDir = process.env['PROMTOOL_CAPTURE_DIR'];

if (captureDir === undefined || captureDir === '') {
  t.comment('PROMTOOL_CAPTURE_DIR not set: only the expositions made here were checked (CI sets it for `npm test` and this lane)');
} else {
  const dir = captureDir;
  t.test('every exposition the unit lane checked in process (PROMTOOL_CAPTURE_DIR)', async (t) => {
    t.ok(existsSync(dir), `${CAPTURE_SUFFIX} files expected in PROMTOOL_CAPTURE_DIR: run \`npm test\` with it set first`);
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(CAPTURE_SUFFIX))
          .sort()
      : [];
    t.ok(files.length > 0, `${files.length} captured expositions`);
    const sourcesFile = join(dir, CAPTURE_SOURCES);
    const sources = new Map(
      (existsSync(sourcesFile) ? readFileSync(sourcesFile, 'utf8') : '')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(' ', 2) as [string, string]),
    );
    const from = new Set<string>();
    // A few promtool processes at a time.
    const queue = [...files];
    const worker = async (): Promise<void> => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const result = await promtoolCheckMetrics(readFileSync(join(dir, file)));
        const source = sources.get(file) ?? 'unknown test';
        from.add(source);
        t.same(result.findings, [], `${file} (from ${source}): promtool finds nothing`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    t.comment(`checked ${files.length} expositions from ${[...from].sort().join(', ')}`);
  });
}
