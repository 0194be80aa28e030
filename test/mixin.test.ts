/**
 * The mixin (mixin/): the committed rules and dashboards are what mixin/config.ts generates (a stale
 * file fails here), every setting of the configuration reaches the output, bad settings are refused,
 * and the cost rules of issue 24 hold. The generated rules themselves are tested with promtool in the
 * stack lane (test/stack/prometheus-rules.test.ts), for the shipped configuration and for one with
 * every job renamed and every tunable changed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { defaultConfig, type MixinConfig, type MixinOverrides, withOverrides } from '../mixin/config.js';
import { generate } from '../mixin/render.js';
import { REPO_ROOT } from './helpers/dashboards.js';
import { TUNED_OVERRIDES } from './helpers/mixin.js';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  annotations?: Record<string, string>;
}
const rulesOf = (text: string): Rule[] => ((parseYaml(text) as { groups: { rules: Rule[] }[] }).groups ?? []).flatMap((g) => g.rules);

function runGenerate(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'mixin/generate.ts'), ...args], { cwd: REPO_ROOT }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), output: `${stdout}${stderr}` }),
    );
  });
}

t.test('the committed rules and dashboards are what mixin/config.ts generates (run npm run generate)', async (t) => {
  const files = generate(defaultConfig);
  t.same([...files.keys()].sort(), [
    'grafana/dashboards/librenms-device.json',
    'grafana/dashboards/librenms-interface.json',
    'grafana/dashboards/librenms-overview.json',
    'grafana/dashboards/librenms-traffic-report.json',
    'prometheus/alerts.yml',
    'prometheus/recording.yml',
  ]);
  for (const [file, text] of files) t.ok(text === (await readFile(path.join(REPO_ROOT, file), 'utf8')), `${file} is up to date`);
});

t.test('npm run generate -- --check fails on a stale copy and --out writes elsewhere', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mixin-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const wrote = await runGenerate(['--out', dir]);
  t.equal(wrote.code, 0, wrote.output);
  t.equal((await runGenerate(['--out', dir, '--check'])).code, 0, 'a fresh copy is not stale');
  await writeFile(path.join(dir, 'prometheus/alerts.yml'), '# edited by hand\n');
  const stale = await runGenerate(['--out', dir, '--check']);
  t.equal(stale.code, 1, 'an edited file is stale');
  t.match(stale.output, /stale: prometheus\/alerts\.yml/);
  await writeFile(path.join(dir, 'mine.json'), JSON.stringify({ thresholds: { portBusyRatio: 0.65 } }));
  t.equal((await runGenerate(['--config', path.join(dir, 'mine.json'), '--out', dir])).code, 0);
  t.match(await readFile(path.join(dir, 'prometheus/alerts.yml'), 'utf8'), /vector\(0\.65\)/, 'a JSON file of overrides tunes the output');
});

/** Every leaf setting of an overrides object, as [path, value]. */
function leaves(o: object, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v as object, [...prefix, k]) : [[[...prefix, k], v] as [string[], unknown]],
  );
}
function overrideOf(keys: string[], value: unknown): MixinOverrides {
  return keys.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value) as MixinOverrides;
}

t.test('every setting reaches the generated files (no dead tunable)', async (t) => {
  const base = generate(defaultConfig);
  const settings = leaves(TUNED_OVERRIDES);
  t.ok(settings.length >= 40, `${settings.length} settings changed in the stack lane's configuration`);
  // Every key of the configuration is among them, so the stack lane changes every tunable.
  const configKeys = leaves(defaultConfig as unknown as object).map(([k]) => k.join('.'));
  const changed = new Set(settings.map(([k]) => k.join('.')));
  for (const key of configKeys) t.ok(changed.has(key), `the stack lane's configuration changes ${key}`);
  for (const [keys, value] of settings) {
    const out = generate(withOverrides(overrideOf(keys, value)));
    const differs = [...out].some(([file, text]) => base.get(file) !== text);
    t.ok(differs, `${keys.join('.')} = ${JSON.stringify(value)} changes the output`);
  }
});

t.test('bad settings are refused with the setting named', async (t) => {
  t.throws(() => withOverrides({ thresholds: { portBusy: 0.7 } } as never), /unknown setting thresholds\.portBusy/);
  t.throws(() => withOverrides({ for: { LibreNMSPortDown: 'ten minutes' } }), /not a Prometheus duration/);
  t.throws(() => withOverrides({ keepFiringFor: { LibreNMSNope: '5m' } } as never), /no alert called LibreNMSNope/);
  t.throws(() => withOverrides({ traffic: { billingTimeZone: 'Mars/Olympus' } }), /not an IANA time zone/);
  t.throws(() => withOverrides({ traffic: { gapPolls: 1 } }), /gapPolls must be > 1/);
});

t.test('runbook_url: the docs page of your copy by default, your own base, or none', async (t) => {
  const alerts = (c: MixinConfig) => rulesOf(generate(c).get('prometheus/alerts.yml') ?? '').filter((r) => r.alert !== undefined);
  for (const a of alerts(defaultConfig)) t.equal(a.annotations?.['runbook_url'], `docs/alerting.md#alert-${a.alert?.toLowerCase()}`, `${a.alert}`);
  const docs = await readFile(path.join(REPO_ROOT, 'docs/alerting.md'), 'utf8');
  for (const a of alerts(defaultConfig)) t.ok(docs.includes(`<a id="alert-${a.alert?.toLowerCase()}"></a>`), `docs/alerting.md has the anchor of ${a.alert}`);
  t.ok(
    alerts(withOverrides({ runbookBaseUrl: 'https://wiki.example.net/r#' })).every((a) =>
      a.annotations?.['runbook_url']?.startsWith('https://wiki.example.net/r#'),
    ),
    'a base of your own',
  );
  t.ok(
    alerts(withOverrides({ runbookBaseUrl: '' })).every((a) => a.annotations?.['runbook_url'] === undefined),
    'an empty base drops runbook_url',
  );
});

t.test('labels carry identity, annotations carry text (issue 24, item 6)', async (t) => {
  const alerts = rulesOf(generate(defaultConfig).get('prometheus/alerts.yml') ?? '').filter((r) => r.alert !== undefined);
  for (const a of alerts) {
    const by = [...a.expr.matchAll(/max by \(([^)]*)\)/g)].flatMap((m) => (m[1] ?? '').split(',').map((l) => l.trim()));
    t.notOk(by.includes('ifAlias') || by.includes('display'), `${a.alert}: no ifAlias or display label`);
    t.notMatch(a.expr, /group_left\((ifAlias|display)\)/, `${a.alert}: no text joined into the labels`);
  }
});

t.test('cost (issue 24, item 11): the traffic rules read one sample per port, not a window', async (t) => {
  const recording = rulesOf(generate(defaultConfig).get('prometheus/recording.yml') ?? '');
  for (const r of recording) {
    t.notMatch(
      r.expr,
      /_over_time\(port:librenms_port_(bytes|last_polled_timestamp_seconds):last_poll[^)]*\[/,
      `${r.record}: no range over the per-port copies`,
    );
  }
  const perPort = new Set(recording.filter((r) => r.record?.startsWith('port:')).map((r) => r.record));
  t.notOk(perPort.has('port:librenms_port_utilisation:ratio_rate10m'), 'utilisation is computed where it is read, not recorded per port');
  t.notOk(perPort.has('port:librenms_port_packets:rate10m'), 'packet rates are not recorded per port');
});

t.test('keep_firing_for is set where an input flaps, and the slow, empty and never-scraped targets alert', async (t) => {
  const alerts = rulesOf(generate(defaultConfig).get('prometheus/alerts.yml') ?? '');
  const byName = new Map(alerts.filter((r) => r.alert).map((r) => [r.alert, r]));
  for (const name of ['LibreNMSExporterDown', 'LibreNMSPortFlapping', 'LibreNMSPortBusy', 'LibreNMSPortErrors'])
    t.ok(byName.get(name)?.keep_firing_for, `${name}: keep_firing_for`);
  t.ok(byName.has('LibreNMSScrapeSlow'), 'LibreNMSScrapeSlow');
  t.ok(byName.has('LibreNMSScrapeEmpty'), 'LibreNMSScrapeEmpty');
  const recording = rulesOf(generate(defaultConfig).get('prometheus/recording.yml') ?? '');
  t.match(
    recording.find((r) => r.record === 'job_instance:librenms_scrape_target:info')?.expr ?? '',
    /up\{job=~"librenms/,
    'targets of the named jobs, answered or not',
  );
});
