/**
 * Checks the Prometheus and Alertmanager files shipped for users: prometheus.yml, prometheus/*.yml
 * (alerting and recording rules), prometheus/tests/*.yml (promtool unit tests) and alertmanager.yml.
 *
 * Everything runs on both toolchains users have: Prometheus 2 (promtool and amtool on PATH, Debian:
 * apt-get install prometheus prometheus-alertmanager, or their paths in PROMTOOL / AMTOOL) and
 * Prometheus 3 (the folder in PROMETHEUS3_BIN: run ../shared/tools/prometheus3, which prints it).
 * Also runs the real Alertmanager of both versions over alertmanager.yml to check its inhibitions.
 */

import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import t, { type Test } from 'tap';
import { parse as parseYaml } from 'yaml';
import { defaultConfig } from '../../mixin/config.js';
import { ALL_FAMILIES } from '../../src/exposition/catalog.js';
import { loadDashboards, panelQueries, substituteVariables } from '../helpers/dashboards.js';
import { dropLabelFromJoins, pinJobName, renameJobs, shortenRules } from '../helpers/rules.js';
import { fetchJson, type PrometheusToolchain, prometheusToolchains, startDaemon, waitFor } from '../helpers/servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNBOOK_BASE = defaultConfig.runbookBaseUrl;
const ALERTING_DOC = 'docs/alerting.md';

type Toolchain = PrometheusToolchain;
const TOOLCHAINS = prometheusToolchains();
/** The default toolchain, for the checks that do not depend on the version. */
const PROMTOOL = TOOLCHAINS[0]?.promtool ?? 'promtool';
const AMTOOL = TOOLCHAINS[0]?.amtool ?? 'amtool';
const SEVERITIES = new Set(['critical', 'warning', 'info']);

// ---------------------------------------------------------------------------------------------
// Checkers (exercised on the real files and on deliberately broken input below)

interface ToolResult {
  readonly ok: boolean;
  readonly code: number | string;
  readonly output: string;
}

/** Runs a CLI; ok only when it exits 0 and prints no "FAILED". */
function runTool(cmd: string, args: readonly string[], cwd: string = ROOT, env: Record<string, string> = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const code: number | string = error === null ? 0 : ((error as { code?: number | string }).code ?? 'error');
      resolve({ ok: code === 0 && !/FAILED/.test(output), code, output });
    });
  });
}

const checkConfig = (file: string, cwd?: string, promtool = PROMTOOL) => runTool(promtool, ['check', 'config', file], cwd);
const checkRules = (file: string, cwd?: string, promtool = PROMTOOL) => runTool(promtool, ['check', 'rules', file], cwd);
const testRules = (file: string, cwd?: string, promtool = PROMTOOL) => runTool(promtool, ['test', 'rules', file], cwd);
const checkAlertmanager = (file: string, cwd?: string, amtool = AMTOOL) => runTool(amtool, ['check-config', file], cwd);

/** Metric names selected by a PromQL expression; throws when the expression does not parse. */
export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(ref.from);
      if (ref.name === 'Identifier' && ref.node.parent?.name === 'VectorSelector') {
        names.add(expr.slice(ref.from, ref.to));
      }
      if (ref.name === 'LabelName' && expr.slice(ref.from, ref.to) === '__name__') {
        throw new Error(`select metrics by name, not by {__name__=...}: ${expr}`);
      }
    },
  });
  if (errors.length > 0) {
    throw new Error(`PromQL parse error at offset ${errors.join(', ')} in: ${expr}`);
  }
  return [...names];
}

/** Label names used in by(), without(), on(), ignoring(), group_left() and group_right(). */
function groupingLabelsIn(expr: string): string[] {
  const labels = new Set<string>();
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name === 'LabelName' && ref.node.parent?.name === 'GroupingLabels') {
        labels.add(expr.slice(ref.from, ref.to));
      }
    },
  });
  return [...labels];
}

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

function rulesOf(yamlText: string): Rule[] {
  const doc = parseYaml(yamlText) as { groups?: { rules?: Rule[] }[] } | null;
  return (doc?.groups ?? []).flatMap((g) => g.rules ?? []);
}

/** Series Prometheus itself writes for every target (scrape_timeout_seconds with extra-scrape-metrics). */
const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_timeout_seconds']);

/** Metric names in the expressions that are neither in the catalog, Prometheus's own, nor a recording rule of ours. */
export function unknownMetrics(rules: readonly Rule[], known: ReadonlySet<string>): string[] {
  const recorded = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));
  const unknown = new Set<string>();
  for (const rule of rules) {
    for (const name of metricNamesIn(rule.expr)) {
      if (!known.has(name) && !PROMETHEUS_SERIES.has(name) && !recorded.has(name)) unknown.add(name);
    }
  }
  return [...unknown];
}

/** The catalog's families. */
const CATALOG = new Set(ALL_FAMILIES.map((f) => f.name));

async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(path.join(ROOT, dir)))
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

async function allRules(): Promise<Rule[]> {
  const files = await yamlFiles('prometheus');
  const texts = await Promise.all(files.map((f) => readFile(path.join(ROOT, f), 'utf8')));
  return texts.flatMap(rulesOf);
}

/** Runs `fn` over `items` two at a time (CI has two cores), results in order. */
async function inPairs<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 2) out.push(...(await Promise.all(items.slice(i, i + 2).map(fn))));
  return out;
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'librenms-rules-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The promtool unit tests of each documented topology (docs/alerting.md, "Topologies"). */
const TOPOLOGY_TESTS = [
  'exporter.test.yml', // one exporter, one LibreNMS, a job not called librenms
  'topology-instances.test.yml', // one exporter, several LibreNMS
  'topology-groups.test.yml', // several /metrics?group= jobs on one exporter
  'topology-probe.test.yml', // a /probe job, instance = device
  'topology-metrics-and-probe.test.yml', // /metrics and /probe of one exporter in one Prometheus
  'mutes.test.yml', // what LibreNMS mutes
] as const;

interface InhibitCase {
  readonly labels: Record<string, string>;
  /** undefined for a source alert (not checked); else whether Alertmanager must mark it inhibited. */
  readonly inhibited?: boolean;
  readonly why?: string;
}

/**
 * Alerts as the shipped rules label them, sent to a real Alertmanager running the shipped
 * alertmanager.yml; each scenario has its own `site` so that they do not inhibit each other.
 */
const INHIBIT_CASES: readonly InhibitCase[] = [
  // Two LibreNMS behind one exporter: eu is down.
  { labels: { site: 'two', alertname: 'LibreNMSDown', severity: 'critical', librenms_instance: 'eu' } },
  {
    labels: { site: 'two', alertname: 'LibreNMSDeviceDown', severity: 'critical', librenms_instance: 'eu', hostname: '10.0.0.1' },
    inhibited: true,
    why: 'a device of the LibreNMS that is down',
  },
  {
    labels: {
      site: 'two',
      alertname: 'LibreNMSPortDown',
      severity: 'warning',
      librenms_instance: 'eu',
      hostname: '10.0.0.1',
      ifName: 'ge-0/0/1',
      ifIndex: '1',
    },
    inhibited: true,
    why: 'a port of the LibreNMS that is down',
  },
  {
    labels: { site: 'two', alertname: 'LibreNMSDeviceDown', severity: 'critical', librenms_instance: 'asia', hostname: '10.0.0.1' },
    inhibited: false,
    why: 'the same hostname in the other LibreNMS',
  },
  {
    labels: {
      site: 'two',
      alertname: 'LibreNMSServiceCritical',
      severity: 'warning',
      librenms_instance: 'eu',
      hostname: '10.0.0.1',
      service_id: '1',
      service_type: 'http',
    },
    inhibited: true,
    why: 'a service check of the LibreNMS that is down',
  },
  // Two LibreNMS: the asia poller stopped.
  { labels: { site: 'two-b', alertname: 'LibreNMSPollerStale', severity: 'critical', librenms_instance: 'asia' } },
  {
    labels: { site: 'two-b', alertname: 'LibreNMSDeviceStale', severity: 'warning', librenms_instance: 'asia', hostname: '10.0.0.2' },
    inhibited: true,
    why: 'a stale device of the LibreNMS whose poller stopped',
  },
  {
    labels: { site: 'two-b', alertname: 'LibreNMSDeviceStale', severity: 'warning', librenms_instance: 'eu', hostname: '10.0.0.2' },
    inhibited: false,
    why: 'a stale device of the other LibreNMS',
  },
  {
    labels: { site: 'two-b', alertname: 'LibreNMSPollerNotReporting', severity: 'critical', librenms_instance: 'asia', poller: 'poller-1' },
    inhibited: true,
    why: 'the one poller of the LibreNMS whose polling stopped: the same outage',
  },
  {
    labels: { site: 'two-b', alertname: 'LibreNMSPollerNotReporting', severity: 'critical', librenms_instance: 'eu', poller: 'poller-1' },
    inhibited: false,
    why: 'a poller of the other LibreNMS',
  },
  {
    labels: { site: 'two', alertname: 'LibreNMSExporterDown', severity: 'critical', instance: 'localhost:9878' },
    inhibited: false,
    why: 'the exporter is not explained by a LibreNMS outage',
  },
  // One LibreNMS (no librenms_instance): a device down takes its ports and sensors with it.
  { labels: { site: 'one', alertname: 'LibreNMSDeviceDown', severity: 'critical', hostname: '10.0.0.1' } },
  {
    labels: { site: 'one', alertname: 'LibreNMSPortDown', severity: 'warning', hostname: '10.0.0.1', ifName: 'ether1', ifIndex: '1' },
    inhibited: true,
    why: 'a port of the down device',
  },
  {
    labels: {
      site: 'one',
      alertname: 'LibreNMSSensorOutOfRange',
      severity: 'warning',
      hostname: '10.0.0.1',
      sensor_class: 'dbm',
      sensor_index: '1',
      sensor_descr: 'Rx',
    },
    inhibited: true,
    why: 'a sensor of the down device',
  },
  {
    labels: { site: 'one', alertname: 'LibreNMSPortDown', severity: 'warning', hostname: '10.0.0.2', ifName: 'ether1', ifIndex: '1' },
    inhibited: false,
    why: 'a port of another device',
  },
  {
    labels: { site: 'one', alertname: 'LibreNMSBgpSessionDown', severity: 'critical', hostname: '10.0.0.1', peer_address: '10.9.9.1', remote_as: '65002' },
    inhibited: true,
    why: 'a BGP session of the down device',
  },
  {
    labels: { site: 'one', alertname: 'LibreNMSStorageNearlyFull', severity: 'warning', hostname: '10.0.0.1', storage_id: '3', storage_type: 'dsk' },
    inhibited: true,
    why: 'a storage of the down device',
  },
  {
    labels: { site: 'one', alertname: 'LibreNMSBgpSessionDown', severity: 'critical', hostname: '10.0.0.2', peer_address: '10.9.9.1', remote_as: '65002' },
    inhibited: false,
    why: 'a BGP session of another device',
  },
  {
    labels: { site: 'one', alertname: 'LibreNMSScrapeFailed', severity: 'warning', job: 'librenms-edge', instance: 'localhost:9878' },
    inhibited: false,
    why: 'a failing scrape while the exporter is up',
  },
  // The exporter down: its failing scrapes are the same cause; another exporter's are not.
  { labels: { site: 'three', alertname: 'LibreNMSExporterDown', severity: 'critical', instance: 'localhost:9878' } },
  {
    labels: { site: 'three', alertname: 'LibreNMSScrapeFailed', severity: 'warning', job: 'librenms-edge', instance: 'localhost:9878' },
    inhibited: true,
    why: 'a scrape of the exporter that is down',
  },
  {
    labels: { site: 'three', alertname: 'LibreNMSScrapeFailed', severity: 'warning', job: 'librenms-edge', instance: 'other:9878' },
    inhibited: false,
    why: 'a scrape of another exporter',
  },
  // Another site's LibreNMSDown (one LibreNMS each, no librenms_instance) mutes nothing here.
  { labels: { site: 'four', alertname: 'LibreNMSDown', severity: 'critical' } },
  { labels: { site: 'five', alertname: 'LibreNMSDeviceDown', severity: 'critical', hostname: '10.0.0.1' }, inhibited: false, why: 'a device of another site' },
  // A site outage: three devices down at once (grouping, checked below: one notification, not three).
  { labels: { site: 'outage', alertname: 'LibreNMSDeviceDown', severity: 'critical', hostname: '10.9.0.1' } },
  { labels: { site: 'outage', alertname: 'LibreNMSDeviceDown', severity: 'critical', hostname: '10.9.0.2' } },
  { labels: { site: 'outage', alertname: 'LibreNMSDeviceDown', severity: 'critical', hostname: '10.9.0.3' } },
];

interface AmGroup {
  labels: Record<string, string>;
  alerts: { labels: Record<string, string> }[];
}

interface AmAlertStatus {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

async function checkInhibitions(t: Test, tool: Toolchain): Promise<void> {
  await withTempDir(async (dir) => {
    // The shipped file as is, with the placeholder receivers pointed at a port nothing listens on.
    const shipped = await readFile(path.join(ROOT, 'alertmanager.yml'), 'utf8');
    await writeFile(
      path.join(dir, 'alertmanager.yml'),
      shipped.replaceAll('http://127.0.0.1:5001/', 'http://127.0.0.1:9/').replaceAll('http://127.0.0.1:5002/', 'http://127.0.0.1:9/'),
    );
    const am = await startDaemon({
      name: `alertmanager (${tool.name})`,
      command: tool.alertmanager,
      args: (port) => [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      readyPath: '/-/ready',
      readyTimeoutMs: 20_000,
      cwd: dir,
    });
    try {
      const now = Date.now();
      const body = INHIBIT_CASES.map((c) => ({
        labels: c.labels,
        annotations: { summary: c.labels['alertname'] ?? '' },
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      }));
      const posted = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      t.equal(posted.status, 200, 'Alertmanager accepts the alerts');
      const key = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort());
      // Inhibition is evaluated as the alerts arrive; wait until every target shows its expected state.
      const checked = INHIBIT_CASES.filter((c) => c.inhibited !== undefined);
      let last: AmAlertStatus[] = [];
      await waitFor(
        async () => {
          last = await fetchJson<AmAlertStatus[]>(`${am.url}/api/v2/alerts`);
          const byKey = new Map(last.map((a) => [key(a.labels), a]));
          return checked.every((c) => (byKey.get(key(c.labels))?.status.inhibitedBy.length ?? -1) > 0 === c.inhibited) ? true : undefined;
        },
        { timeoutMs: 15_000, what: 'the expected inhibitions', describe: () => JSON.stringify(last.map((a) => [a.labels, a.status])) },
      ).catch(() => undefined);
      const byKey = new Map(last.map((a) => [key(a.labels), a]));
      // Issue 24: Alertmanager groups a site outage into one notification per alert name, not one per device.
      const groups = await fetchJson<AmGroup[]>(`${am.url}/api/v2/alerts/groups`);
      const outage = groups.filter((g) => g.alerts.some((a) => a.labels['site'] === 'outage'));
      t.equal(outage.length, 1, 'the three devices down in one site are one group (one page)', { groups: outage.map((g) => g.labels) });
      t.equal(outage[0]?.alerts.length, 3, 'holding the three devices');
      t.notOk('hostname' in (outage[0]?.labels ?? {}), 'grouped without hostname');
      for (const c of checked) {
        const got = byKey.get(key(c.labels));
        t.ok(got, `${c.labels['alertname']} (${c.why}) reached Alertmanager`);
        t.equal((got?.status.inhibitedBy.length ?? 0) > 0, c.inhibited, `${c.labels['alertname']}: ${c.inhibited ? 'inhibited' : 'not inhibited'}: ${c.why}`, {
          status: got?.status,
        });
      }
    } finally {
      await am.stop();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The shipped files

t.test('prometheus.yml: librenms job at localhost:9878, 60 s interval, Alertmanager at localhost:9093, HA replica label dropped', async (t) => {
  const cfg = parseYaml(await readFile(path.join(ROOT, 'prometheus.yml'), 'utf8')) as {
    global?: { scrape_interval?: string; evaluation_interval?: string };
    rule_files?: string[];
    alerting?: {
      alertmanagers?: { static_configs?: { targets?: string[] }[] }[];
      alert_relabel_configs?: { action?: string; regex?: string }[];
    };
    scrape_configs?: { job_name: string; scrape_interval?: string; scrape_timeout?: string; static_configs?: { targets?: string[] }[] }[];
  };
  const job = cfg.scrape_configs?.find((j) => j.job_name === 'librenms');
  t.ok(job, 'has a job named librenms (any name works; this is the documented default)');
  t.same(job?.static_configs?.[0]?.targets, ['localhost:9878']);
  t.equal(job?.scrape_interval ?? cfg.global?.scrape_interval, '60s');
  const seconds = (d: string | undefined) => (d === undefined ? NaN : Number.parseInt(d, 10) * (d.endsWith('m') ? 60 : 1));
  const timeout = seconds(job?.scrape_timeout);
  t.ok(timeout > 10 && timeout < 60, `scrape_timeout ${job?.scrape_timeout} leaves the exporter time for a refresh and stays below the interval`);
  t.same(cfg.rule_files, ['prometheus/*.yml']);
  t.same(cfg.alerting?.alertmanagers?.[0]?.static_configs?.[0]?.targets, ['localhost:9093']);
  // An HA pair differs only in the replica external label: dropped, the two copies of an alert are
  // identical and Alertmanager notifies once.
  for (const file of ['prometheus.yml', 'docker/prometheus.compose.yml']) {
    const c = parseYaml(await readFile(path.join(ROOT, file), 'utf8')) as typeof cfg;
    t.same(c.alerting?.alert_relabel_configs, [{ action: 'labeldrop', regex: 'replica' }], `${file}: drops the replica label from alerts`);
  }
});

for (const tool of TOOLCHAINS) {
  t.test(`${tool.name}: the shipped configuration, rules, unit tests and Alertmanager configuration`, async (t) => {
    if (tool.missing !== undefined) {
      t.fail(tool.missing);
      return;
    }
    t.test('promtool check config prometheus.yml and docker/prometheus.compose.yml (also checks the rule files)', async (t) => {
      const r = await checkConfig('prometheus.yml', ROOT, tool.promtool);
      t.ok(r.ok, r.output);
      t.match(r.output, /alerts\.yml/, 'loads prometheus/alerts.yml');
      t.match(r.output, /recording\.yml/, 'loads prometheus/recording.yml');
      t.notMatch(r.output, /tests\//, 'does not load the unit test files as rules');
      // The compose file names hosts that only exist inside Docker: check it from a copy next to prometheus/.
      await withTempDir(async (dir) => {
        await writeFile(path.join(dir, 'prometheus.yml'), await readFile(path.join(ROOT, 'docker/prometheus.compose.yml'), 'utf8'));
        await cp(path.join(ROOT, 'prometheus'), path.join(dir, 'prometheus'), { recursive: true });
        const c = await checkConfig('prometheus.yml', dir, tool.promtool);
        t.ok(c.ok, c.output);
      });
    });

    t.test('promtool check rules on every rules file', async (t) => {
      const files = await yamlFiles('prometheus');
      t.ok(files.includes('prometheus/alerts.yml') && files.includes('prometheus/recording.yml'), files.join(', '));
      for (const f of files) {
        const r = await checkRules(f, ROOT, tool.promtool);
        t.ok(r.ok, `${f}\n${r.output}`);
      }
    });

    t.test('promtool test rules on every unit test file', async (t) => {
      const files = await yamlFiles('prometheus/tests');
      for (const topology of TOPOLOGY_TESTS) t.ok(files.includes(`prometheus/tests/${topology}`), `has ${topology}`);
      const results = await inPairs(files, (f) => testRules(f, ROOT, tool.promtool));
      files.forEach((f, i) => {
        const r = results[i];
        t.ok(r?.ok, `${f}\n${r?.output}`);
        t.match(r?.output ?? '', /SUCCESS/, f);
      });
    });

    t.test('amtool check-config alertmanager.yml', async (t) => {
      const r = await checkAlertmanager('alertmanager.yml', ROOT, tool.amtool);
      t.ok(r.ok, r.output);
    });

    t.test('the unit tests fail when the joins drop librenms_instance or a job name is pinned, and the topology tests pass with other job names', async (t) => {
      await withTempDir(async (dir) => {
        const alerts = await readFile(path.join(ROOT, 'prometheus/alerts.yml'), 'utf8');
        const recording = await readFile(path.join(ROOT, 'prometheus/recording.yml'), 'utf8');
        await cp(path.join(ROOT, 'prometheus/tests'), path.join(dir, 'tests'), { recursive: true });
        const run = async (a: string, r: string, file: string): Promise<ToolResult> => {
          await writeFile(path.join(dir, 'alerts.yml'), a);
          await writeFile(path.join(dir, 'recording.yml'), r);
          return testRules(`tests/${file}`, dir, tool.promtool);
        };

        const noInstance = await run(
          dropLabelFromJoins(alerts, 'librenms_instance'),
          dropLabelFromJoins(recording, 'librenms_instance'),
          'topology-instances.test.yml',
        );
        t.notOk(noInstance.ok, 'topology-instances.test.yml fails when on()/by() leave out librenms_instance');

        const pinned = await run(pinJobName(alerts, 'librenms'), pinJobName(recording, 'librenms'), 'exporter.test.yml');
        t.notOk(pinned.ok, 'exporter.test.yml fails when the rules select up{job="librenms"}');
        for (const topology of ['topology-groups.test.yml', 'topology-probe.test.yml']) {
          const r = await run(pinJobName(alerts, 'librenms'), pinJobName(recording, 'librenms'), topology);
          t.notOk(r.ok, `${topology} fails when the rules select up{job="librenms"}`);
        }

        for (const f of TOPOLOGY_TESTS) {
          const text = await readFile(path.join(dir, 'tests', f), 'utf8');
          await writeFile(
            path.join(dir, 'tests', f),
            renameJobs(text, (job) => `renamed-${job}-x`),
          );
        }
        await writeFile(path.join(dir, 'alerts.yml'), alerts);
        await writeFile(path.join(dir, 'recording.yml'), recording);
        const renamed = [...TOPOLOGY_TESTS];
        const results = await inPairs(renamed, (f) => testRules(`tests/${f}`, dir, tool.promtool));
        renamed.forEach((f, i) => {
          t.ok(results[i]?.ok, `${f} passes with every job renamed\n${results[i]?.output}`);
        });
      });
    });

    t.test('the traffic report: a plain increase() instead of the per-poll volumes fails its unit test', async (t) => {
      // Control for traffic-report.test.yml: the same hour read with increase() of the raw counter is
      // off by more than 1% (it starts from a sample that already holds a poll, and extrapolates).
      await withTempDir(async (dir) => {
        await writeFile(path.join(dir, 'recording.yml'), await readFile(path.join(ROOT, 'prometheus/recording.yml'), 'utf8'));
        const text = await readFile(path.join(ROOT, 'prometheus/tests/traffic-report.test.yml'), 'utf8');
        const plain = text.replace(
          /sum_over_time\(port:librenms_port_bytes:increase_poll\{([^}]*), direction="receive"\}\[3600s\]\)/g,
          'increase(librenms_port_receive_bytes_total{$1}[3600s])',
        );
        t.not(plain, text, 'the volume queries were replaced');
        await cp(path.join(ROOT, 'prometheus/tests'), path.join(dir, 'tests'), { recursive: true });
        await writeFile(path.join(dir, 'tests', 'plain.test.yml'), plain);
        const r = await testRules('tests/plain.test.yml', dir, tool.promtool);
        t.notOk(r.ok, 'promtool test rules fails with a plain increase()');
        t.match(r.output, /abs\(/, 'the within-1% check is among the failures');
      });
    });

    t.test('Alertmanager inhibits exactly what an outage explains', async (t) => {
      await checkInhibitions(t, tool);
    });
  });
}

t.test('every metric in a rule expression is in the catalog, up, or one of our recording rules', async (t) => {
  const rules = await allRules();
  t.ok(rules.length > 10, `${rules.length} rules`);
  t.same(unknownMetrics(rules, CATALOG), []);
  for (const rule of rules) {
    if (rule.record !== undefined) {
      t.match(rule.record, /^[a-z_]+:librenms_[a-z_0-9]+:[a-z_0-9]+$/, `recording rule ${rule.record} is named level:metric:operations`);
    }
  }
  // on()/group_left()/by() labels must exist on the series, or the join silently matches nothing.
  // `exporter`: the label a /probe job keeps for the address of its exporter (docs/prometheus.md).
  const labels = new Set(['job', 'instance', 'librenms_instance', 'direction', 'kind', 'exporter', ...ALL_FAMILIES.flatMap((f) => f.labels)]);
  const unknownLabels = rules.flatMap((r) => groupingLabelsIn(r.expr)).filter((l) => !labels.has(l));
  t.same([...new Set(unknownLabels)], [], 'grouping labels exist in the catalog');
});

t.test(`every alert has severity, summary, description and a runbook anchor documented in ${ALERTING_DOC}`, async (t) => {
  const alerts = (await allRules()).filter((r) => r.alert !== undefined);
  const docs = await readFile(path.join(ROOT, ALERTING_DOC), 'utf8');
  t.ok(alerts.length >= 8, alerts.map((a) => a.alert).join(', '));
  for (const a of alerts) {
    const name = a.alert ?? '';
    t.ok(SEVERITIES.has(a.labels?.['severity'] ?? ''), `${name}: severity ${a.labels?.['severity']}`);
    t.ok(a.annotations?.['summary'], `${name}: summary`);
    t.ok(a.annotations?.['description'], `${name}: description`);
    const anchor = `alert-${name.toLowerCase()}`;
    t.equal(a.annotations?.['runbook_url'], `${RUNBOOK_BASE}${name.toLowerCase()}`, `${name}: runbook_url`);
    t.ok(docs.includes(`<a id="${anchor}"></a>`), `${ALERTING_DOC} has <a id="${anchor}"></a>`);
    t.ok(a.for !== undefined, `${name}: has a for duration`);
  }
});

t.test('every alert is covered by the unit tests: firing with exact annotations, and silent', async (t) => {
  interface AlertTest {
    alertname: string;
    exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
  }
  const files = await yamlFiles('prometheus/tests');
  const cases: AlertTest[] = [];
  for (const f of files) {
    const doc = parseYaml(await readFile(path.join(ROOT, f), 'utf8')) as { tests?: { alert_rule_test?: AlertTest[] }[] };
    for (const test of doc.tests ?? []) cases.push(...(test.alert_rule_test ?? []));
  }
  const alerts = (await allRules()).flatMap((r) => (r.alert === undefined ? [] : [r.alert]));
  for (const name of alerts) {
    const mine = cases.filter((c) => c.alertname === name);
    const firing = mine.flatMap((c) => c.exp_alerts ?? []);
    t.ok(firing.length > 0, `${name}: a test expects it to fire`);
    t.ok(
      firing.every((e) => e.exp_annotations?.['summary'] && e.exp_annotations['description'] && e.exp_annotations['runbook_url']),
      `${name}: firing expectations check summary, description and runbook_url`,
    );
    t.ok(
      mine.some((c) => (c.exp_alerts ?? []).length === 0),
      `${name}: a test expects it to stay silent`,
    );
  }
});

t.test("the traffic report's unit test checks the dashboard's own queries", async (t) => {
  // Every query of the report, with its variables set to All and the range to the test's hour, is in
  // prometheus/tests/traffic-report.test.yml: the volumes and percentiles the test checks are the ones
  // the dashboard shows.
  const report = loadDashboards().find((d) => d.file === 'librenms-traffic-report.json');
  t.ok(report, 'grafana/dashboards/librenms-traffic-report.json');
  const doc = parseYaml(await readFile(path.join(ROOT, 'prometheus/tests/traffic-report.test.yml'), 'utf8')) as {
    tests?: { promql_expr_test?: { expr: string }[] }[];
  };
  const tested = (doc.tests ?? []).flatMap((x) => (x.promql_expr_test ?? []).map((e) => e.expr));
  const queries = new Set(
    panelQueries(report?.json ?? ({ panels: [] } as never)).map((q) =>
      substituteVariables(q.expr, { hostname: '.*', ifName: '.*', job: '.*', instance: '.*', librenms_instance: '.*', top: '50', __range_s: '3600' }),
    ),
  );
  t.ok(queries.size >= 9, `${queries.size} distinct queries`);
  for (const q of queries)
    t.ok(
      tested.some((e) => e.includes(q)),
      `tested: ${q.split('\n')[1]?.trim() ?? q}`,
      { q },
    );
});

t.test("the overview's oldest poll: its unit test checks the dashboard's own query (issue 24, item 9)", async (t) => {
  const overview = loadDashboards().find((d) => d.file === 'librenms-overview.json');
  const q = panelQueries(overview?.json ?? ({ panels: [] } as never)).find((x) => x.panelTitle === 'Oldest LibreNMS poll');
  t.ok(q, 'the overview has the panel');
  const expr = substituteVariables(q?.expr ?? '', { hostname: '.*', ifName: '.*', job: '.*', instance: '.*', librenms_instance: '.*' });
  t.ok((await readFile(path.join(ROOT, 'prometheus/tests/oncall.test.yml'), 'utf8')).includes(expr), 'oncall.test.yml evaluates that query', { expr });
});

t.test("the dashboards' health panels: their unit test checks the dashboards' own queries (issue 23)", async (t) => {
  // Beside the end-to-end test's lab (one device's items), health.test.yml evaluates each query as
  // Grafana sends it, with two jobs holding the same device and the alert thresholds crossed.
  const doc = parseYaml(await readFile(path.join(ROOT, 'prometheus/tests/health.test.yml'), 'utf8')) as {
    tests?: { promql_expr_test?: { expr: string }[] }[];
  };
  const tested = (doc.tests ?? []).flatMap((x) => (x.promql_expr_test ?? []).map((e) => e.expr));
  const queries = loadDashboards().flatMap((d) =>
    panelQueries(d.json)
      .filter((q) => /\blibrenms_(processor|mempool|storage)_/.test(q.expr))
      .map((q) => ({
        where: `${d.file} "${q.panelTitle}" ${q.refId}`,
        expr: substituteVariables(q.expr, { hostname: 'r1', ifName: '.*', job: '.*', instance: '.*', librenms_instance: '.*' }),
      })),
  );
  t.ok(queries.length >= 4, `${queries.length} health queries (CPU, memory, storage, storage nearly full)`);
  for (const q of queries) t.ok(tested.includes(q.expr), `health.test.yml evaluates ${q.where}`, { expr: q.expr });
});

// ---------------------------------------------------------------------------------------------
// The checkers can fail

t.test('the checkers report broken input', async (t) => {
  await withTempDir(async (dir) => {
    await writeFile(
      path.join(dir, 'broken.yml'),
      'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: rate(librenms_port_receive_bytes_total[10m]\n',
    );
    const rules = await checkRules('broken.yml', dir);
    t.notOk(rules.ok, 'promtool check rules fails on an unbalanced parenthesis');
    t.match(rules.output, /FAILED/);

    await writeFile(path.join(dir, 'prometheus.yml'), "global:\n  scrape_interval: 60s\nrule_files: ['broken.yml']\n");
    t.notOk((await checkConfig('prometheus.yml', dir)).ok, 'promtool check config fails when a rule file is broken');

    // A unit test that expects the wrong thing must fail.
    const alerts = await readFile(path.join(ROOT, 'prometheus/alerts.yml'), 'utf8');
    const recording = await readFile(path.join(ROOT, 'prometheus/recording.yml'), 'utf8');
    await writeFile(path.join(dir, 'alerts.yml'), alerts);
    await writeFile(path.join(dir, 'recording.yml'), recording);
    await writeFile(
      path.join(dir, 'wrong.test.yml'),
      [
        'rule_files: [recording.yml, alerts.yml]',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        `      - series: 'up{job="librenms",instance="localhost:9878"}'`,
        "        values: '1x4 0x20'",
        `      - series: 'librenms_exporter_build_info{job="librenms",instance="localhost:9878",version="1.0.0"}'`,
        "        values: '1x4 stale'",
        '    alert_rule_test:',
        '      - eval_time: 15m',
        '        alertname: LibreNMSExporterDown',
        '        exp_alerts: []',
        '',
      ].join('\n'),
    );
    const wrong = await testRules('wrong.test.yml', dir);
    t.notOk(wrong.ok, 'promtool test rules fails when the exporter-down alert is expected to stay silent');

    await writeFile(path.join(dir, 'am.yml'), 'route:\n  receiver: missing\nreceivers:\n  - name: other\n');
    t.notOk((await checkAlertmanager('am.yml', dir)).ok, 'amtool fails on a route to an undefined receiver');
  });

  t.same(unknownMetrics([{ alert: 'X', expr: 'librenms_port_in_octets_total > 0' }], CATALOG), ['librenms_port_in_octets_total']);
  t.same(
    unknownMetrics(
      [
        { record: 'port:librenms_x:rate10m', expr: 'rate(librenms_port_receive_bytes_total[10m])' },
        { alert: 'Y', expr: 'port:librenms_x:rate10m > up' },
      ],
      CATALOG,
    ),
    [],
  );
  t.throws(() => metricNamesIn('rate(librenms_up[5m]'), /parse error/);
  t.same(metricNamesIn('sum by (hostname) (rate(librenms_port_receive_bytes_total[10m])) * on(hostname) group_left(display) librenms_device_info').sort(), [
    'librenms_device_info',
    'librenms_port_receive_bytes_total',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Test-only variant for the end-to-end test

t.test('shortenRules replaces every for: and the short rules still fire', async (t) => {
  const alerts = await readFile(path.join(ROOT, 'prometheus/alerts.yml'), 'utf8');
  const short = shortenRules(alerts, '1m');
  const before = rulesOf(alerts);
  const after = rulesOf(short);
  t.equal(after.length, before.length, 'same rules');
  t.ok(
    after.every((r) => r.alert === undefined || r.for === '1m'),
    'every alert has for: 1m',
  );
  t.same(
    after.map((r) => r.expr),
    before.map((r) => r.expr),
    'expressions unchanged',
  );
  t.match(short, /# Outage handling/, 'comments kept');
  t.throws(() => shortenRules(alerts, 'soon'), /not a Prometheus duration/);
  t.throws(() => shortenRules('foo: [', '1m'), /invalid YAML/);

  await withTempDir(async (dir) => {
    await writeFile(path.join(dir, 'alerts.yml'), short);
    await writeFile(path.join(dir, 'recording.yml'), await readFile(path.join(ROOT, 'prometheus/recording.yml'), 'utf8'));
    const check = await checkRules('alerts.yml', dir);
    t.ok(check.ok, check.output);

    const id = 'job="librenms",instance="localhost:9878",hostname="192.168.56.10"';
    const port = `${id},ifName="ether1",ifIndex="1"`;
    const test = [
      'rule_files: [recording.yml, alerts.yml]',
      'evaluation_interval: 1m',
      'tests:',
      '  - interval: 1m',
      '    input_series:',
      `      - series: 'librenms_up{job="librenms",instance="localhost:9878"}'`,
      "        values: '1x20'",
      `      - series: 'librenms_device_up{${id}}'`,
      "        values: '1x20'",
      `      - series: 'librenms_device_info{${id},sysName="MikroTik",display="MikroTik-Lab-Router",os="routeros"}'`,
      "        values: '1x20'",
      `      - series: 'librenms_port_info{${port},ifDescr="ether1",ifAlias="Host-Only network",ifType="ethernetCsmacd",port_id="1"}'`,
      "        values: '1x20'",
      `      - series: 'librenms_port_admin_status{${port}}'`,
      "        values: '1x20'",
      `      - series: 'librenms_port_up{${port}}'`,
      "        values: '1x4 0x15'",
      '    alert_rule_test:',
      '      - eval_time: 7m',
      '        alertname: LibreNMSPortDown',
      '        exp_alerts:',
      '          - exp_labels:',
      '              severity: warning',
      '              hostname: 192.168.56.10',
      '              ifName: ether1',
      '              ifIndex: "1"',
      '            exp_annotations:',
      '              summary: "Port ether1 (Host-Only network) on MikroTik-Lab-Router is down"',
      '              description: "Port ether1 (Host-Only network) on MikroTik-Lab-Router (192.168.56.10) is administratively up but operationally down for 10 minutes; it was up before."',
      '              display: MikroTik-Lab-Router',
      '              ifAlias: Host-Only network',
      `              runbook_url: "${RUNBOOK_BASE}librenmsportdown"`,
      '',
    ].join('\n');
    await writeFile(path.join(dir, 'short.test.yml'), test);
    const r = await testRules('short.test.yml', dir);
    t.ok(r.ok, `PortDown fires 2 minutes after the port went down with for: 1m\n${r.output}`);
  });
});
