/**
 * End to end (issues 4, 5 and 8): the LibreNMS double (workshop lab) → the exporter → a real Prometheus
 * (shipped recording and alerting rules, `for:` shortened) → a real Alertmanager → a webhook receiver.
 *
 * Prometheus has two jobs on the same exporter: `librenms` scrapes /metrics (the whole install), and
 * `librenms-probe` discovers the devices through the exporter's /sd (http_sd_configs) and scrapes
 * /probe?target=<hostname> for each, relabelled as in the README ("Scoped scrapes"). Both hold the same
 * hostnames, as a user running both (or two exporters) has.
 *
 * Checks, through Prometheus's HTTP API:
 *  - the exporter target is up, ether1 of the lab router is up and its byte counters have a positive rate;
 *  - HTTP SD finds one probe target per enabled lab device (not the disabled one), each up with
 *    librenms_up 1, the discovered display label, and only its own device's series;
 *  - every shipped rule evaluates without error, and the recording rules produce ether1's traffic rate;
 *  - every query of every Grafana panel (and the dashboards' variable queries) returns data, with both
 *    jobs holding the same hostnames (a join on hostname alone would fail with many-to-many errors);
 *    the lab carries the field lane's routing tables and pollers (BGP, OSPF, services, LibreNMS pollers)
 *    and every collector of the build is on, the health collector's too (the lab's items);
 *  - every dashboard query answers with no warning or info annotation (Prometheus 3 annotates rate() of
 *    a gauge, and Grafana shows that on the panel), and shows each device and port once although both
 *    jobs hold it;
 *  - the traffic report's queries (grafana/dashboards/librenms-traffic-report.json) return data like every
 *    other dashboard's;
 *  - issue 16, the workshop's use cases through the demo's knob (POST /_demo/port of the double):
 *    ether1 driven past 80% fires LibreNMSPortBusy, and ether1 going down (admin still up) fires
 *    LibreNMSPortDown with the documented labels and annotations, once (not once per job); Alertmanager
 *    delivers both to the example webhook receiver (examples/webhook-receiver/receiver.mjs, which logs
 *    them) through the shipped `port-action` route, and the down alert to the test's webhook;
 *  - an HA pair: a second Prometheus with the same configuration but another `replica` external label
 *    sends the same alert, and Alertmanager holds it once (prometheus.yml drops the replica label).
 *
 * Runs the whole stack on Prometheus 2 (`prometheus` and `prometheus-alertmanager` on PATH, Debian
 * names, or their paths in PROMETHEUS and ALERTMANAGER) and on Prometheus 3 (the folder in
 * PROMETHEUS3_BIN: run ../shared/tools/prometheus3, which prints it). About 40 s per version.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { type LibreNmsDouble, startLibreNmsDouble } from '../../librenms-double/double.js';
import { labState } from '../../librenms-double/fixtures.js';
import { rebaseClock } from '../../librenms-double/state.js';
import { ALERT_NAMES, type MixinConfig, withOverrides } from '../../mixin/config.js';
import { alertGroups, recordingGroups } from '../../mixin/index.js';
import { COLLECTORS } from '../../src/collectors/index.js';
import { addRouting } from '../field/seed-routing.js';
import {
  applyVariableRegex,
  loadDashboards,
  panelQueries,
  REPO_ROOT,
  substituteVariables,
  type TemplateVars,
  variableQuery,
  variableQueryPromql,
  variables,
} from '../helpers/dashboards.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { RENAMED_OVERRIDES, writeGenerated } from '../helpers/mixin.js';
import { replaceInExprs } from '../helpers/rules.js';
import {
  type AlertmanagerAlert,
  type Daemon,
  fetchJson,
  type PrometheusToolchain,
  prometheusToolchains,
  startDaemon,
  startWebhookReceiver,
  type WebhookReceiver,
  waitFor,
} from '../helpers/servers.js';

type Stack = PrometheusToolchain;
const STACKS = prometheusToolchains();

const HOSTNAME = '192.168.56.10';
const DISPLAY = 'MikroTik-Lab-Router';
const IFNAME = 'ether1';
const IFALIAS = 'Host-Only network';
/** The job scraping /metrics, named as the generated rules' metricsJobSelector expects (not "librenms"). */
const JOB = 'nms-all';
/** The job discovering devices through /sd and scraping /probe?target= for each (probeJobSelector). */
const PROBE_JOB = 'nms-devices';
const PORT_SELECTOR = `{job="${JOB}",hostname="${HOSTNAME}",ifName="${IFNAME}"}`;
/** The lab's devices that are not disabled in LibreNMS (old-fw-01.lab is disabled, so not discovered). */
const LAB_DEVICES = ['192.168.56.10', 'ap-lobby-01.lab', 'librenms.lab', 'sw-core-01.lab'] as const;
const DISABLED_DEVICE = 'old-fw-01.lab';

/** Scrape every 2 s (timeout below it), evaluate rules every 1 s, LibreNMS "polls" every 2 s. */
const SCRAPE_INTERVAL = '2s';
/** How often Prometheus asks the exporter's /sd for the device list. */
const SD_REFRESH = '2s';
const SCRAPE_TIMEOUT = '1500ms';
const POLL_EVERY_MS = 2_000;
/** Every alert's `for:` in the test copy of the rules. */
const ALERT_FOR = '5s';
/** ether1's utilisation set through the demo's knob to fire LibreNMSPortBusy (above the shipped 80%). */
const BUSY_UTILISATION = 0.95;
/**
 * The 10-minute rate windows of the recording rules hold two LibreNMS polls of 5 minutes; here LibreNMS
 * "polls" every 2 s, so the test copy averages over 10 s (five polls): ether1 turns busy within seconds
 * instead of after minutes of averaging with its earlier load.
 */
const RATE_WINDOW_RULES = '[10s]';
/**
 * The rules and dashboards of this test, generated from one configuration (mixin/config.ts) as a user
 * would: jobs renamed (RENAMED_OVERRIDES), LibreNMS polling every 2 s and rules evaluated every 1 s (so
 * the port-down memory looks back 6 s, three polls), every `for:` and keep_firing_for 5 s.
 */
const E2E_CONFIG = withOverrides({
  ...RENAMED_OVERRIDES,
  pollIntervalSeconds: POLL_EVERY_MS / 1000,
  evaluationIntervalSeconds: 2,
  for: Object.fromEntries(ALERT_NAMES.map((name) => [name, ALERT_FOR])) as MixinConfig['for'],
  keepFiringFor: Object.fromEntries(ALERT_NAMES.map((name) => [name, ALERT_FOR])),
});

// Bounded waits, generous for a loaded 2-core CI machine; their sum stays below tap's 180 s.
const READY_TIMEOUT_MS = 20_000;
const DATA_TIMEOUT_MS = 40_000;
const ALERT_TIMEOUT_MS = 45_000;
const WEBHOOK_TIMEOUT_MS = 20_000;

/**
 * Rate windows for the dashboards' `$rate_window`. In production it is 10m (two LibreNMS polls of
 * 5 minutes, so every window holds at least one counter step). Here the double polls every 2 s and
 * Prometheus scrapes every 2 s, so 30s holds ~15 polls and ~15 scrapes: the same "at least two polls
 * per window" property, within the test's short history (well under a minute when the queries run).
 * The dashboards' default 10m is run as well: rate() over a window longer than the history still
 * answers once two samples exist, which is what a user sees in the first 10 minutes.
 */
const RATE_WINDOWS = ['30s', '10m'] as const;

// ---------------------------------------------------------------------------------------------------------
// Prometheus API types and helpers

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  /** PromQL annotations (Prometheus 2.4x+: warnings; Prometheus 3: also infos such as "metric might not be a counter"). */
  warnings?: string[];
  infos?: string[];
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}
type QueryData =
  | { resultType: 'vector'; result: Sample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };
interface Target {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}
interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  value: string;
}
interface RuleGroup {
  name: string;
  rules: { name: string; health: string; lastError?: string; type: string }[];
}

class Prom {
  /** Warning and info annotations of every query so far, with the query that drew them. */
  readonly annotations: { expr: string; warnings: string[]; infos: string[] }[] = [];

  constructor(readonly url: string) {}

  private async api<T>(endpoint: string, form?: Record<string, string>): Promise<T> {
    const body = await fetchJson<PromResponse<T>>(`${this.url}/api/v1/${endpoint}`, form === undefined ? {} : { form });
    if (body.status !== 'success') throw new Error(`${endpoint}: ${body.error ?? 'error'}`);
    const warnings = body.warnings ?? [];
    const infos = body.infos ?? [];
    if (warnings.length > 0 || infos.length > 0) this.annotations.push({ expr: form?.['query'] ?? endpoint, warnings, infos });
    return body.data;
  }

  /** Instant query; scalars become one unlabelled sample. */
  async query(expr: string): Promise<Sample[]> {
    const data = await this.api<QueryData>('query', { query: expr });
    if (data.resultType === 'vector') return data.result;
    if (data.resultType === 'scalar') return [{ metric: {}, value: data.result }];
    throw new Error(`unexpected ${data.resultType} result for ${expr}`);
  }

  async queryRange(expr: string, seconds: number, step: number): Promise<RangeSeries[]> {
    const end = Date.now() / 1000;
    const data = await this.api<QueryData>('query_range', {
      query: expr,
      start: String(end - seconds),
      end: String(end),
      step: String(step),
    });
    if (data.resultType !== 'matrix') throw new Error(`unexpected ${data.resultType} result for ${expr}`);
    return data.result;
  }

  /** Value of a query that must return exactly one series, or undefined when it returns none. */
  async value(expr: string): Promise<number | undefined> {
    const result = await this.query(expr);
    if (result.length > 1) throw new Error(`${expr}: ${result.length} series, expected one`);
    const first = result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  }

  targets(): Promise<{ activeTargets: Target[] }> {
    return this.api('targets');
  }

  async alerts(): Promise<PromAlert[]> {
    return (await this.api<{ alerts: PromAlert[] }>('alerts')).alerts;
  }

  async ruleGroups(): Promise<RuleGroup[]> {
    return (await this.api<{ groups: RuleGroup[] }>('rules')).groups;
  }

  async labelValues(label: string, match: string): Promise<string[]> {
    const params = new URLSearchParams({ 'match[]': match });
    const body = await fetchJson<PromResponse<string[]>>(`${this.url}/api/v1/label/${label}/values?${params.toString()}`);
    return body.data;
  }
}

/** Grafana's text for one query_result() sample: `name{a="x",b="y"} value timestampMs`. */
function queryResultLine(sample: Sample): string {
  const { __name__: name = '', ...labels } = sample.metric;
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return `${name}{${pairs.join(',')}} ${sample.value[1]} ${sample.value[0] * 1000}`;
}

const isFiniteValue = (v: string): boolean => Number.isFinite(Number(v));

// ---------------------------------------------------------------------------------------------------------

for (const stack of STACKS) {
  t.test(`${stack.name}: LibreNMS double → exporter → Prometheus (HA pair) → Alertmanager → webhook`, async (t) => {
    if (stack.missing !== undefined) {
      t.fail(stack.missing);
      return;
    }
    await runStack(t, stack);
  });
}

async function runStack(t: Test, stack: Stack): Promise<void> {
  const PROMETHEUS = stack.prometheus;
  const ALERTMANAGER = stack.alertmanager;
  const started = Date.now();
  // Teardown: everything that was started is stopped, in reverse order, even when a step fails.
  const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
  const onCleanup = (name: string, run: () => Promise<void> | void): void => {
    cleanups.push({ name, run });
  };
  t.teardown(async () => {
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (err) {
        // Report but carry on: the other resources must still be released.
        console.error(`e2e teardown: ${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });

  const dir = await mkdtemp(path.join(tmpdir(), 'librenms-exporter-e2e-'));
  onCleanup('temp dir', () => rm(dir, { recursive: true, force: true }));

  // --- LibreNMS double, polling every 2 s with real elapsed seconds --------------------------------------
  const state = labState();
  // Fixture data as of 5 minutes ago; the first poll below brings it to now, so poll_time and
  // last_polled are real epoch seconds and the rules' freshness checks see fresh data.
  rebaseClock(state, Math.floor(Date.now() / 1000) - 300);
  // The field lane's routing tables and LibreNMS pollers on the lab's devices (the lab router has an
  // established and an active BGP session, a full OSPF neighbour, an OSPF interface and service checks;
  // two dispatcher nodes report), so the BGP, OSPF and poller panels have data.
  addRouting(state, state.clock);
  const double: LibreNmsDouble = await startLibreNmsDouble({ state });
  onCleanup('LibreNMS double', () => double.close());
  // ether1 also counts an error each way at every poll (besides the double's random ones), so that the
  // error panels' receive and transmit queries have data whatever the double's dice say.
  const erring = double.state.ports.find((p) => p.device_id === 1 && p.ifName === IFNAME);
  const pollToNow = (): void => {
    const now = Math.floor(Date.now() / 1000);
    if (now <= double.state.clock) return;
    double.poll(now - double.state.clock);
    if (erring !== undefined) for (const column of ['ifInErrors', 'ifOutErrors'] as const) erring[column] = (erring[column] ?? 0n) + 1n;
  };
  pollToNow();
  const poller = setInterval(pollToNow, POLL_EVERY_MS);
  onCleanup('poll timer', () => clearInterval(poller));

  // --- exporter -----------------------------------------------------------------------------------------
  const exporter: TestExporter = await startExporter({
    LIBRENMS_URL: double.url,
    LIBRENMS_TOKEN: double.token,
    CACHE_TTL_SECONDS: '1',
    LOG_LEVEL: 'info',
    // Every collector of this build, those off by default (health, wireless) too: every dashboard row has its data.
    COLLECTORS: COLLECTORS.map((c) => c.name).join(','),
  });
  onCleanup('exporter', () => exporter.close());
  const exporterHostPort = new URL(exporter.url).host;

  // --- webhook receiver and Alertmanager -----------------------------------------------------------------
  const webhook: WebhookReceiver = await startWebhookReceiver();
  onCleanup('webhook receiver', () => webhook.close());
  // The example receiver of the automated response, as a user runs it: node, a port and a log file.
  const actionLog = path.join(dir, 'port-action.log');
  const actionReceiver: Daemon = await startDaemon({
    name: 'example webhook receiver',
    command: process.execPath,
    args: () => [path.join(REPO_ROOT, 'examples/webhook-receiver/receiver.mjs')],
    env: (port) => ({ HOST: '127.0.0.1', PORT: String(port), LOG_FILE: actionLog }),
    readyPath: '/healthz',
    readyTimeoutMs: READY_TIMEOUT_MS,
    cwd: dir,
  });
  onCleanup('example webhook receiver', () => actionReceiver.stop());
  const actionLines = async (): Promise<string[]> => (await readFile(actionLog, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

  // The shipped alertmanager.yml (routes, grouping, inhibitions), its placeholder receivers pointed at
  // the test's webhook, the automated response's at the example receiver, and its waits shortened.
  const shippedAm = await readFile(path.join(REPO_ROOT, 'alertmanager.yml'), 'utf8');
  await writeFile(
    path.join(dir, 'alertmanager.yml'),
    shippedAm
      .replaceAll('http://127.0.0.1:5001/', webhook.url)
      .replaceAll('http://127.0.0.1:5002/', `${actionReceiver.url}/`)
      .replace(/group_wait: \S+/g, 'group_wait: 1s')
      .replace(/group_interval: \S+/g, 'group_interval: 1s'),
  );
  const alertmanager: Daemon = await startDaemon({
    name: 'alertmanager',
    command: ALERTMANAGER,
    args: (port) => [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=', // empty: no gossip clustering (it would open more ports)
      '--log.level=warn',
    ],
    readyPath: '/-/ready',
    readyTimeoutMs: READY_TIMEOUT_MS,
    cwd: dir,
  });
  onCleanup('alertmanager', () => alertmanager.stop());

  // --- Prometheus with the shipped rules (`for:` shortened) ----------------------------------------------
  // Issue 24: the rules and dashboards are generated from one configuration with the jobs renamed and
  // the tunables set for a LibreNMS that polls every 2 s (E2E_CONFIG); only the 10-minute windows of
  // the rate rules, which are in their names, are shortened by hand.
  await writeGenerated(dir, E2E_CONFIG);
  for (const file of ['alerts.yml', 'recording.yml']) {
    const text = await readFile(path.join(dir, 'prometheus', file), 'utf8');
    await writeFile(path.join(dir, file), replaceInExprs(text, '[10m]', RATE_WINDOW_RULES));
  }
  // An HA pair: the same configuration on two servers but for the `replica` external label, which the
  // shipped prometheus.yml drops from alerts (alert_relabel_configs, checked in prometheus-rules.test.ts).
  const prometheusYml = (replica: string): string =>
    [
      'global:',
      `  scrape_interval: ${SCRAPE_INTERVAL}`,
      `  scrape_timeout: ${SCRAPE_TIMEOUT}`,
      '  evaluation_interval: 1s',
      `  external_labels: { replica: ${replica} }`,
      'rule_files:',
      '  - alerts.yml',
      '  - recording.yml',
      'alerting:',
      '  alert_relabel_configs:',
      '    - action: labeldrop',
      '      regex: replica',
      '  alertmanagers:',
      '    - static_configs:',
      `        - targets: ['127.0.0.1:${alertmanager.port}']`,
      'scrape_configs:',
      `  - job_name: ${JOB}`, // any name: the rules do not select jobs by name
      `    scrape_interval: ${SCRAPE_INTERVAL}`,
      `    scrape_timeout: ${SCRAPE_TIMEOUT}`,
      '    static_configs:',
      `      - targets: ['${exporterHostPort}']`,
      // The README's "Scoped scrapes" job: one target per device from /sd, scraped through /probe.
      `  - job_name: ${PROBE_JOB}`,
      '    metrics_path: /probe',
      `    scrape_interval: ${SCRAPE_INTERVAL}`,
      `    scrape_timeout: ${SCRAPE_TIMEOUT}`,
      '    http_sd_configs:',
      `      - url: http://${exporterHostPort}/sd`,
      `        refresh_interval: ${SD_REFRESH}`,
      '    relabel_configs:',
      '      - source_labels: [__address__]',
      '        target_label: __param_target',
      '      - source_labels: [__param_target]',
      '        target_label: instance',
      '      - source_labels: [__meta_librenms_display]',
      '        target_label: librenms_display',
      '      - target_label: __address__',
      `        replacement: ${exporterHostPort}`,
      '',
    ].join('\n');
  const startPrometheus = async (replica: string): Promise<Daemon> => {
    await writeFile(path.join(dir, `prometheus-${replica}.yml`), prometheusYml(replica));
    const daemon = await startDaemon({
      name: `prometheus ${replica}`,
      command: PROMETHEUS,
      args: (port) => [
        `--config.file=${path.join(dir, `prometheus-${replica}.yml`)}`,
        `--storage.tsdb.path=${path.join(dir, `prometheus-data-${replica}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      readyPath: '/-/ready',
      readyTimeoutMs: READY_TIMEOUT_MS,
      cwd: dir,
    });
    onCleanup(`prometheus ${replica}`, () => daemon.stop());
    return daemon;
  };
  const [prometheus, prometheusB] = await Promise.all([startPrometheus('a'), startPrometheus('b')]);
  const prom = new Prom(prometheus.url);
  const promB = new Prom(prometheusB.url);
  const daemonOutput = (): string => `\n--- prometheus ---\n${prometheus.output().slice(-3000)}\n--- alertmanager ---\n${alertmanager.output().slice(-3000)}`;

  // --- 2. target up, ether1 up, traffic rate positive ---------------------------------------------------
  const target = await waitFor(
    async () => {
      const { activeTargets } = await prom.targets();
      return activeTargets.find((x) => x.labels['job'] === JOB && x.health === 'up');
    },
    { timeoutMs: DATA_TIMEOUT_MS, what: 'the exporter target to be up', describe: daemonOutput },
  );
  t.equal(target.labels['instance'], exporterHostPort, 'Prometheus scrapes the exporter at its loopback address');
  t.equal(target.lastError, '', 'the last scrape had no error');

  t.equal(
    await waitFor(() => prom.value(`librenms_up{job="${JOB}"}`), { timeoutMs: DATA_TIMEOUT_MS, what: 'librenms_up' }),
    1,
    `librenms_up{job="${JOB}"} is 1`,
  );
  t.equal(
    await waitFor(() => prom.value(`librenms_port_up${PORT_SELECTOR}`), { timeoutMs: DATA_TIMEOUT_MS, what: 'librenms_port_up of ether1' }),
    1,
    `librenms_port_up${PORT_SELECTOR} is 1`,
  );

  for (const metric of ['librenms_port_receive_bytes_total', 'librenms_port_transmit_bytes_total']) {
    const expr = `rate(${metric}${PORT_SELECTOR}[30s])`;
    const rate = await waitFor(
      async () => {
        const v = await prom.value(expr);
        return v !== undefined && v > 0 ? v : undefined;
      },
      { timeoutMs: DATA_TIMEOUT_MS, what: `${expr} > 0`, describe: () => `double polled up to ${double.state.clock}` },
    );
    t.ok(rate > 0, `${expr} is positive (${rate.toFixed(0)} B/s)`);
  }
  const increase = await prom.value(`increase(librenms_port_receive_bytes_total${PORT_SELECTOR}[30s])`);
  t.ok(increase !== undefined && increase > 0, `increase() of ether1's received bytes is positive (${increase})`);

  // --- issue 8: HTTP SD discovers the lab's devices; /probe scrapes each one --------------------------
  let lastProbeTargets: Target[] = [];
  const probeTargets = await waitFor(
    async () => {
      lastProbeTargets = (await prom.targets()).activeTargets.filter((x) => x.labels['job'] === PROBE_JOB);
      const allUp = lastProbeTargets.length === LAB_DEVICES.length && lastProbeTargets.every((x) => x.health === 'up');
      return allUp ? lastProbeTargets : undefined;
    },
    {
      timeoutMs: DATA_TIMEOUT_MS,
      what: `${LAB_DEVICES.length} ${PROBE_JOB} targets, all up`,
      describe: () => `${JSON.stringify(lastProbeTargets.map((x) => [x.labels, x.health, x.lastError]))}${daemonOutput()}`,
    },
  );
  t.same(
    probeTargets.map((x) => x.labels['instance']).sort(),
    [...LAB_DEVICES],
    'HTTP SD gives one probe target per enabled lab device, instance = LibreNMS hostname',
  );
  t.notOk(
    probeTargets.some((x) => x.labels['instance'] === DISABLED_DEVICE || x.discoveredLabels['__address__'] === DISABLED_DEVICE),
    `${DISABLED_DEVICE} (disabled in LibreNMS) is not discovered`,
  );
  for (const x of probeTargets) {
    const hostname = x.labels['instance'] ?? '';
    t.equal(x.health, 'up', `${PROBE_JOB} ${hostname} is up`);
    t.equal(x.lastError, '', `${PROBE_JOB} ${hostname}: the last scrape had no error`);
    t.equal(x.discoveredLabels['__meta_librenms_hostname'], hostname, `${hostname}: discovered with __meta_librenms_hostname`);
    t.equal(
      x.labels['librenms_display'],
      x.discoveredLabels['__meta_librenms_display'],
      `${hostname}: librenms_display relabelled from __meta_librenms_display`,
    );
    const scrapeUrl = new URL(x.scrapeUrl);
    t.equal(scrapeUrl.host, exporterHostPort, `${hostname}: scraped at the exporter's address`);
    t.equal(scrapeUrl.pathname, '/probe', `${hostname}: scraped at /probe`);
    t.equal(scrapeUrl.searchParams.get('target'), hostname, `${hostname}: with ?target=<hostname>`);
  }
  const routerTarget = probeTargets.find((x) => x.labels['instance'] === HOSTNAME);
  t.equal(routerTarget?.labels['librenms_display'], DISPLAY, `the lab router's probe target carries librenms_display="${DISPLAY}"`);

  const probeUp = await waitFor(
    async () => {
      const samples = await prom.query(`librenms_up{job="${PROBE_JOB}"}`);
      return samples.length === LAB_DEVICES.length && samples.every((s) => s.value[1] === '1') ? samples : undefined;
    },
    { timeoutMs: DATA_TIMEOUT_MS, what: `librenms_up{job="${PROBE_JOB}"} to be 1 for every target` },
  );
  t.same(
    probeUp.map((s) => [s.metric['instance'], s.value[1]]).sort(),
    LAB_DEVICES.map((h) => [h, '1']),
    `librenms_up{job="${PROBE_JOB}"} is 1 for each target`,
  );
  const probePort = `librenms_port_up{job="${PROBE_JOB}",instance="${HOSTNAME}",ifName="${IFNAME}"}`;
  t.equal(await waitFor(() => prom.value(probePort), { timeoutMs: DATA_TIMEOUT_MS, what: probePort }), 1, `${probePort} is 1`);
  // Each probe holds its own device only: every device series of a probe target names that target.
  const probeDevices = await prom.query(`librenms_device_info{job="${PROBE_JOB}"}`);
  t.same(
    probeDevices.map((s) => [s.metric['instance'], s.metric['hostname']]).sort(),
    LAB_DEVICES.map((h) => [h, h]),
    'each probe target exports exactly its own device',
  );
  const foreignPorts = await prom.query(
    `count by (instance, hostname) (librenms_port_info{job="${PROBE_JOB}"} unless on(instance, hostname) librenms_device_info{job="${PROBE_JOB}"})`,
  );
  t.same(foreignPorts, [], "no probe target exports another device's ports");

  // --- the shipped rules evaluate without errors; the recording rules give ether1's traffic -------------
  const recorded = await waitFor(
    async () => {
      const v = await prom.value(`port:librenms_port_bytes:rate10m{job="${JOB}",hostname="${HOSTNAME}",ifName="${IFNAME}",direction="receive"}`);
      return v !== undefined && v > 0 ? v : undefined;
    },
    { timeoutMs: DATA_TIMEOUT_MS, what: 'port:librenms_port_bytes:rate10m of ether1 > 0' },
  );
  t.ok(recorded > 0, `recording rule port:librenms_port_bytes:rate10m gives ether1 receive ${recorded.toFixed(0)} B/s`);
  const utilisation = await prom.value(
    `port:librenms_port_bytes:rate10m{job="${JOB}",hostname="${HOSTNAME}",ifName="${IFNAME}",direction="receive"} / ignoring(direction) group_left() (librenms_port_speed_bytes > 0)`,
  );
  // The double moves ether1 at its load profile × ifSpeed, each poll scaled by a random 0.8-1.2. The
  // recording rules divide by the change of the poll timestamp, so they give the exact average over the
  // polls in the window: within that band of the profile (a plain rate() would not be, see recording.yml).
  const ether1 = double.state.ports.find((p) => p.device_id === 1 && p.ifName === IFNAME);
  const load = ether1 === undefined ? undefined : double.state.portLoad.get(ether1.port_id);
  if (ether1 === undefined || load === undefined) throw new Error('lab fixture: no ether1 with a load profile');
  t.ok(
    utilisation !== undefined && utilisation >= 0.8 * load.in && utilisation <= 1.2 * load.in,
    `ether1 receive utilisation ${utilisation} matches the double's load ${load.in} (±20%)`,
  );
  const bits = await waitFor(
    async () => {
      const v = await prom.value(
        `max_over_time(port:librenms_port_bits:rate_poll{job="${JOB}",hostname="${HOSTNAME}",ifName="${IFNAME}",direction="receive"}[30s])`,
      );
      return v !== undefined && v > 0 ? v : undefined;
    },
    { timeoutMs: DATA_TIMEOUT_MS, what: 'port:librenms_port_bits:rate_poll of ether1 > 0' },
  );
  t.ok(bits > 0, `recording rule port:librenms_port_bits:rate_poll gives ether1 receive ${bits.toFixed(0)} bit/s per poll`);

  const groups = await waitFor(
    async () => {
      const g = await prom.ruleGroups();
      const rules = g.flatMap((x) => x.rules);
      return rules.length > 0 && rules.every((r) => r.health !== 'unknown') ? g : undefined;
    },
    { timeoutMs: DATA_TIMEOUT_MS, what: 'every rule to be evaluated once' },
  );
  t.same(
    groups.map((g) => g.name).sort(),
    [...recordingGroups(E2E_CONFIG), ...alertGroups(E2E_CONFIG)].map((g) => g.name).sort(),
    'Prometheus loaded every generated rule group',
  );
  for (const group of groups) {
    for (const rule of group.rules) {
      t.equal(rule.health, 'ok', `rule ${group.name}/${rule.name} evaluates without error`, { lastError: rule.lastError });
    }
  }

  // No port alert before anything went down. (ether3 and Gi1/0/3 are down but never seen up, ether4 is
  // admin down: none of them may alert.)
  const early = (await prom.alerts()).filter((a) => a.labels['alertname'] === 'LibreNMSPortDown');
  t.same(early, [], 'no LibreNMSPortDown alert (pending or firing) while ether1 is up');

  // The overview lists ports that went down after being up: take one down for the dashboard checks
  // (sw-core-01's port to librenms.lab, described, in the paging scope), and back up after them.
  const otherPort = double.state.ports.find((p) => p.port_id === 7);
  const otherHost = double.state.devices.find((d) => d.device_id === otherPort?.device_id)?.hostname;
  const otherKnob = async (operStatus: 'up' | 'down') => {
    const response = await fetch(`${double.url}/_demo/port`, {
      method: 'POST',
      headers: { 'X-Auth-Token': double.token, 'content-type': 'application/json' },
      body: JSON.stringify({ hostname: otherHost, ifName: otherPort?.ifName, operStatus }),
      signal: AbortSignal.timeout(5_000),
    });
    t.equal(response.status, 200, `the knob takes ${otherHost} ${otherPort?.ifName} ${operStatus}`);
    await response.body?.cancel();
  };
  await otherKnob('down');
  await waitFor(async () => ((await prom.value(`count(port:librenms_port_up:down_after_up{ifName="${otherPort?.ifName}"})`)) ?? 0) > 0 || undefined, {
    timeoutMs: DATA_TIMEOUT_MS,
    what: `${otherHost} ${otherPort?.ifName} recorded as down after being up`,
  });

  // --- 3. every Grafana panel query returns data, once per device or port, with no annotation -----------
  // Both jobs hold the same hostnames here: a panel joining on hostname alone would get "many-to-many
  // matching not allowed" from Prometheus, and prom.query() would throw; a panel that did not aggregate
  // per device or port would show every series twice (once per job).
  const ALL = '.*';
  for (const { file, json } of loadDashboards(path.join(dir, 'grafana/dashboards'))) {
    const baseVars: TemplateVars = {
      hostname: HOSTNAME,
      ifName: IFNAME,
      datasource: 'prometheus',
      job: ALL,
      instance: ALL,
      librenms_instance: ALL,
      device_search: '',
      top: '50',
    };

    // The template variables' own queries: the Device list shows "display / hostname" and passes the
    // hostname; the job list offers both jobs; the target list the exporter and the probed devices; the
    // LibreNMS list nothing (one LibreNMS, no librenms_instance label: "All" alone); the Interface list
    // of the lab router contains ether1.
    const expectedValues: Record<string, { includes: string[] } | { equals: string[] }> = {
      job: { includes: [JOB, PROBE_JOB] },
      instance: { includes: [exporterHostPort, HOSTNAME] },
      librenms_instance: { equals: [] },
      ifName: { includes: [IFNAME] },
    };
    for (const v of variables(json)) {
      if (v.type !== 'query') continue;
      const raw = variableQuery(v);
      const promql = raw === undefined ? undefined : variableQueryPromql(raw);
      if (raw === undefined || promql === undefined) continue;
      const expr = substituteVariables(promql, baseVars);
      if (raw.trim().startsWith('query_result(')) {
        const lines = (await prom.query(expr)).map(queryResultLine);
        const options = lines.map((line) => (v.regex ? applyVariableRegex(v.regex, line) : { text: line, value: line }));
        t.ok(
          options.some((o) => o?.value === HOSTNAME && o.text === `${DISPLAY} / ${HOSTNAME}`),
          `${file}: variable $${v.name} offers "${DISPLAY} / ${HOSTNAME}" (${HOSTNAME})`,
          { expr, lines },
        );
      } else {
        const label = /,\s*([\w.]+)\s*\)$/.exec(raw.trim())?.[1];
        t.ok(label, `${file}: variable $${v.name} is a label_values() query`, { raw });
        const values = label === undefined ? [] : await prom.labelValues(label, expr);
        const want = expectedValues[v.name];
        if (want === undefined) t.fail(`${file}: no expectation for variable $${v.name}`);
        else if ('equals' in want) t.same(values, want.equals, `${file}: variable $${v.name} offers ${JSON.stringify(want.equals)}`, { expr });
        else for (const w of want.includes) t.ok(values.includes(w), `${file}: variable $${v.name} offers ${w}`, { expr, values });
      }
    }

    for (const rateWindow of RATE_WINDOWS) {
      const vars: TemplateVars = { ...baseVars, rate_window: rateWindow };
      for (const q of panelQueries(json)) {
        const expr = substituteVariables(q.expr, vars);
        const name = `${file} panel ${q.panelId} "${q.panelTitle}" ${q.refId} (${q.instant ? 'instant' : 'range'}, rate_window ${rateWindow})`;
        const before = prom.annotations.length;
        const labelSets: Record<string, string>[] = [];
        const hasData = (n: number, numbers: boolean): void => {
          t.ok(n > 0, `${name} returns data`, { expr });
          t.ok(numbers, `${name} has a number, not only NaN`, { expr });
        };
        if (q.instant) {
          const result = await prom.query(expr);
          labelSets.push(...result.map((s) => s.metric));
          hasData(
            result.length,
            result.some((s) => isFiniteValue(s.value[1])),
          );
        } else {
          // Grafana asks a range query; 40 s is about the history Prometheus has by now.
          const result = await prom.queryRange(expr, 40, 2);
          labelSets.push(...result.map((s) => s.metric));
          hasData(
            result.length,
            result.some((s) => s.values.some(([, v]) => isFiniteValue(v))),
          );
        }
        t.same(prom.annotations.slice(before), [], `${name}: no warning or info annotation`);
        // LibreNMS data (devices, ports, sensors, alerts, routing, pollers, health) is shown once, not once per job.
        if (/librenms_(device|port|sensor|alert|bgp|ospf|service|poller|processor|mempool|storage)_|port:|device:/.test(q.expr)) {
          t.notOk(
            labelSets.some((l) => l['job'] !== undefined || l['instance'] !== undefined),
            `${name}: each device or port once (no job or instance label)`,
            { expr },
          );
        }
      }
    }
  }

  // Control: Prometheus 3 does annotate rate() of a gauge, so the "no annotation" checks above can fail.
  if (stack.name === 'Prometheus 3') {
    const before = prom.annotations.length;
    await prom.query(`rate(librenms_port_last_polled_timestamp_seconds${PORT_SELECTOR}[1m])`);
    const drawn = prom.annotations.splice(before);
    t.ok(
      drawn.some((a) => a.infos.some((i) => /might not be a counter/.test(i))),
      'control: rate() of a gauge draws an info annotation',
      { drawn },
    );
  }

  // The dashboards' traffic is per LibreNMS poll like the recording rules: ether1's receive utilisation
  // in the interface dashboard matches the double's load (±20%, see above) for either window.
  const iface = loadDashboards(path.join(dir, 'grafana/dashboards')).find((d) => d.file === 'librenms-interface.json');
  const utilQuery = iface === undefined ? undefined : panelQueries(iface.json).find((q) => q.panelTitle === 'Utilisation' && q.refId === 'A');
  t.ok(utilQuery, 'the interface dashboard has a Utilisation panel');
  for (const rateWindow of RATE_WINDOWS) {
    if (utilQuery === undefined) break;
    const expr = substituteVariables(utilQuery.expr, {
      hostname: HOSTNAME,
      ifName: IFNAME,
      rate_window: rateWindow,
      job: ALL,
      instance: ALL,
      librenms_instance: ALL,
    });
    const result = await prom.query(expr);
    t.equal(result.length, 1, `interface dashboard utilisation (${rateWindow}): one series for ether1 although two jobs hold it`, { expr });
    const v = Number(result[0]?.value[1]);
    t.ok(
      v >= 0.8 * load.in && v <= 1.2 * load.in,
      `interface dashboard: ether1 receive utilisation (${rateWindow}) ${v} matches the double's load ${load.in} (±20%)`,
      { expr },
    );
  }

  await otherKnob('up');
  await waitFor(
    async () =>
      (await prom.alerts()).some((a) => a.labels['alertname'] === 'LibreNMSPortDown' && a.labels['ifName'] === otherPort?.ifName) ? undefined : true,
    { timeoutMs: ALERT_TIMEOUT_MS, what: `no LibreNMSPortDown left for ${otherHost} ${otherPort?.ifName}` },
  );

  // --- 4. issue 16: the demo's knob drives ether1 past 80%: LibreNMSPortBusy reaches the example receiver --
  const knob = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const response = await fetch(`${double.url}/_demo/port`, {
      method: 'POST',
      headers: { 'X-Auth-Token': double.token, 'content-type': 'application/json' },
      body: JSON.stringify({ hostname: HOSTNAME, ifName: IFNAME, ...body }),
      signal: AbortSignal.timeout(5_000),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`POST /_demo/port ${JSON.stringify(body)}: HTTP ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  t.match(
    await knob({ utilisation: BUSY_UTILISATION }),
    { ifName: IFNAME, utilisation: { in: BUSY_UTILISATION, out: BUSY_UTILISATION } },
    'the knob sets ether1 busy',
  );
  const busyAt = Date.now();
  const busy = await waitFor(
    async () =>
      (await prom.alerts()).find(
        (a) =>
          a.labels['alertname'] === 'LibreNMSPortBusy' &&
          a.labels['ifName'] === IFNAME &&
          a.labels['direction'] === 'receive' &&
          a.labels['hostname'] === HOSTNAME &&
          a.state === 'firing',
      ),
    { timeoutMs: ALERT_TIMEOUT_MS, what: 'LibreNMSPortBusy for ether1 to fire in Prometheus', describe: () => daemonOutput() },
  );
  t.pass(`LibreNMSPortBusy fired ${((Date.now() - busyAt) / 1000).toFixed(1)} s after ether1 was set to ${BUSY_UTILISATION * 100}%`);
  t.ok(Number(busy.value) > 0.8, `at ${busy.value} of the port speed, above the shipped threshold`);
  t.match(
    busy.annotations['description'] ?? '',
    /above 80% of the port speed \(the busy threshold\)/,
    'the description reads the threshold from its recording rule',
  );
  const busyLine = await waitFor(
    async () => (await actionLines()).find((l) => / FIRING LibreNMSPortBusy MikroTik-Lab-Router ether1 \(Host-Only network\) receive: /.test(l)),
    {
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      what: 'the example receiver to log LibreNMSPortBusy of ether1',
      describe: () => `${actionReceiver.output().slice(-2000)}${daemonOutput()}`,
    },
  );
  t.match(busyLine, `Port ${IFNAME} (${IFALIAS}) on ${DISPLAY}: receive at`, 'the log line names the device, the port and the summary');
  await knob({ utilisation: load.in });

  // --- 5. ether1 goes down (admin stays up): LibreNMSPortDown fires and reaches both webhooks ------------
  const port = ether1;
  t.equal(port.ifAdminStatus, 'up', 'ether1 is administratively up');
  t.match(await knob({ operStatus: 'down' }), { ifName: IFNAME, operStatus: 'down', adminStatus: 'up' }, 'the knob takes ether1 down');
  pollToNow();
  const downAt = Date.now();

  t.equal(
    await waitFor(async () => ((await prom.value(`librenms_port_up${PORT_SELECTOR}`)) === 0 ? 0 : undefined), {
      timeoutMs: DATA_TIMEOUT_MS,
      what: 'librenms_port_up of ether1 to be 0',
    }),
    0,
    'Prometheus sees ether1 down',
  );

  const firing = await waitFor(
    async () =>
      (await prom.alerts()).find(
        (a) => a.labels['alertname'] === 'LibreNMSPortDown' && a.labels['hostname'] === HOSTNAME && a.labels['ifName'] === IFNAME && a.state === 'firing',
      ),
    {
      timeoutMs: ALERT_TIMEOUT_MS,
      what: 'LibreNMSPortDown for ether1 to fire in Prometheus',
      describe: () => daemonOutput(),
    },
  );
  t.pass(`LibreNMSPortDown fired ${((Date.now() - downAt) / 1000).toFixed(1)} s after ether1 went down`);
  t.same(
    firing.labels,
    {
      alertname: 'LibreNMSPortDown',
      severity: 'warning',
      hostname: HOSTNAME,
      ifName: IFNAME,
      ifIndex: String(port.ifIndex),
    },
    'the alert carries the port identity and severity (no job or instance: both jobs hold the port; no editable text)',
  );
  t.match(firing.annotations, { display: DISPLAY, ifAlias: IFALIAS }, 'the display name and alias are annotations');
  const summary = firing.annotations['summary'] ?? '';
  t.match(summary, DISPLAY, 'summary names the device display name');
  t.match(summary, IFNAME, 'summary names the port');
  t.match(summary, IFALIAS, 'summary names the port alias');
  t.equal(summary, `Port ${IFNAME} (${IFALIAS}) on ${DISPLAY} is down`, 'summary reads as documented');
  t.match(firing.annotations['description'] ?? '', HOSTNAME, 'description names the hostname');
  t.equal(firing.annotations['runbook_url'], `${E2E_CONFIG.runbookBaseUrl}librenmsportdown`, "runbook_url points at the configuration's runbook base");

  // The /metrics and /probe jobs both hold ether1: still one alert.
  const portDown = (await prom.alerts()).filter((a) => a.labels['alertname'] === 'LibreNMSPortDown');
  t.same(
    portDown.map((a) => `${a.labels['hostname']}/${a.labels['ifName']}`),
    [`${HOSTNAME}/${IFNAME}`],
    'only ether1 alerts, and once although two jobs hold it: ports never seen up or admin down do not',
  );

  const delivered = await waitFor(
    async () => {
      for (const payload of webhook.payloads) {
        const alert = payload.alerts.find(
          (a: AlertmanagerAlert) =>
            a.status === 'firing' && a.labels['alertname'] === 'LibreNMSPortDown' && a.labels['hostname'] === HOSTNAME && a.labels['ifName'] === IFNAME,
        );
        if (alert) return { payload, alert };
      }
      return undefined;
    },
    {
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      what: 'Alertmanager to deliver LibreNMSPortDown to the webhook',
      describe: () => `${webhook.payloads.length} payloads: ${JSON.stringify(webhook.payloads.map((p) => p.groupLabels))}${daemonOutput()}`,
    },
  );
  t.equal(delivered.payload.status, 'firing', 'the webhook payload is firing');
  t.equal(delivered.payload.receiver, 'warning', 'delivered through the receiver of the shipped route for severity="warning"');
  t.match(delivered.alert.labels, { severity: 'warning', hostname: HOSTNAME, ifName: IFNAME }, 'delivered with its labels');
  t.match(delivered.alert.annotations, { display: DISPLAY, ifAlias: IFALIAS }, 'and the texts in its annotations');
  t.equal(delivered.alert.labels['replica'], undefined, 'the replica external label is dropped');
  t.equal(delivered.alert.annotations['summary'], summary, 'delivered with the same summary');
  t.same(webhook.invalid, [], 'every webhook body was JSON');
  await waitFor(async () => (await actionLines()).find((l) => / FIRING LibreNMSPortDown MikroTik-Lab-Router ether1 \(Host-Only network\): /.test(l)), {
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    what: 'the example receiver to log LibreNMSPortDown of ether1',
    describe: () => actionReceiver.output().slice(-2000),
  });
  t.pass('the example receiver logged LibreNMSPortDown of ether1 (the port-action route)');

  // --- 6. HA pair: the second Prometheus fires the same alert; Alertmanager holds it once -----------------
  await waitFor(
    async () => (await promB.alerts()).find((a) => a.labels['alertname'] === 'LibreNMSPortDown' && a.labels['ifName'] === IFNAME && a.state === 'firing'),
    { timeoutMs: ALERT_TIMEOUT_MS, what: 'LibreNMSPortDown to fire in the second Prometheus', describe: () => prometheusB.output().slice(-3000) },
  );
  // Both servers send every evaluation; give Alertmanager a few of the second server's sends.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const amAlerts = await fetchJson<{ labels: Record<string, string> }[]>(`${alertmanager.url}/api/v2/alerts`);
  const portDownInAm = amAlerts.filter((a) => a.labels['alertname'] === 'LibreNMSPortDown');
  t.equal(portDownInAm.length, 1, 'Alertmanager holds LibreNMSPortDown once although both HA servers send it', { alerts: portDownInAm });
  t.notOk(
    portDownInAm.some((a) => 'replica' in a.labels),
    'without the replica label',
  );
  t.same(promB.annotations, [], 'the second server drew no annotation either');

  t.comment(`${stack.name}: e2e wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
