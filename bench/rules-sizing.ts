/**
 * `npm run bench:rules`: what the shipped recording and alerting rules and the dashboards cost a real
 * Prometheus, measured (never asserted) for docs/big-installs.md ("Rules and dashboards at scale").
 *
 * The LibreNMS double serves a synthetic install (SIZING_DEVICES × SIZING_PORTS ports, polled every
 * SIZING_POLL seconds), the exporter reads it, and one Prometheus per rule set scrapes it every 60 s and
 * evaluates every 60 s, as in production, for SIZING_MINUTES. Then it reads from each Prometheus: head
 * series (with and without the rules' series), samples appended per minute, every rule group's
 * evaluation time, and the bytes of the traffic report's default view and of its every-port view.
 *
 * Environment: PROMETHEUS (default: PROMETHEUS3_BIN/prometheus, else `prometheus` on PATH, Prometheus 2),
 * SIZING_DEVICES=311 SIZING_PORTS=16 (4,976 ports), SIZING_MINUTES=12, SIZING_POLL=300, SIZING_BEFORE=<git
 * ref> (also measures the rules and dashboards of that commit, side by side). Writes
 * bench/results/rules-sizing-<time>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { rebaseClock } from '../librenms-double/state.js';
import { defaultConfig } from '../mixin/config.js';
import { dashboard as trafficReport } from '../mixin/dashboards/traffic-report.js';
import { type PanelQuery, panelQueries, substituteVariables } from '../test/helpers/dashboards.js';
import { startExporter } from '../test/helpers/exporter.js';
import { writeGenerated } from '../test/helpers/mixin.js';
import { type Daemon, startDaemon } from '../test/helpers/servers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const env = process.env;
const DEVICES = Number(env['SIZING_DEVICES'] ?? 311);
const PORTS = Number(env['SIZING_PORTS'] ?? 16);
const MINUTES = Number(env['SIZING_MINUTES'] ?? 12);
const POLL = Number(env['SIZING_POLL'] ?? 300);
const BEFORE = env['SIZING_BEFORE'];
const PROMETHEUS = env['PROMETHEUS'] ?? (env['PROMETHEUS3_BIN'] ? join(env['PROMETHEUS3_BIN'], 'prometheus') : 'prometheus');

interface Variant {
  readonly name: string;
  readonly dir: string;
  /** The traffic report's per-port queries as that variant ships them. */
  readonly reportQueries: readonly PanelQuery[];
}

async function promQuery(url: string, expr: string): Promise<{ bytes: number; result: { metric: Record<string, string>; value: [number, string] }[] }> {
  const response = await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
  const text = await response.text();
  const body = JSON.parse(text) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return { bytes: Buffer.byteLength(text), result: body.data?.result ?? [] };
}

/** Prometheus's own metrics (it does not scrape itself here), summed per name and label filter. */
async function selfMetrics(url: string): Promise<{ headSeries: number; samplesAppended: number; groups: Record<string, number> }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let headSeries = Number.NaN;
  let samplesAppended = 0;
  const groups: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('prometheus_tsdb_head_series ')) headSeries = value;
    else if (line.startsWith('prometheus_tsdb_head_samples_appended_total')) samplesAppended += value;
    else if (line.startsWith('prometheus_rule_group_last_duration_seconds{')) {
      const group = /rule_group="[^"]*;([^"]+)"/.exec(line)?.[1] ?? '?';
      groups[group] = value;
    }
  }
  return { headSeries, samplesAppended, groups };
}

async function scalar(url: string, expr: string): Promise<number> {
  const r = await promQuery(url, expr);
  return Number(r.result[0]?.value[1] ?? Number.NaN);
}

function variants(work: string): Variant[] {
  const out: Variant[] = [];
  const current = join(work, 'current');
  out.push({
    name: 'this commit',
    dir: current,
    reportQueries: panelQueries(trafficReport(defaultConfig) as never),
  });
  if (BEFORE !== undefined) {
    const dir = join(work, 'before');
    mkdirSync(join(dir, 'prometheus'), { recursive: true });
    for (const f of ['recording.yml', 'alerts.yml']) {
      writeFileSync(join(dir, 'prometheus', f), execFileSync('git', ['show', `${BEFORE}:prometheus/${f}`], { cwd: ROOT }));
    }
    const report = JSON.parse(execFileSync('git', ['show', `${BEFORE}:grafana/dashboards/librenms-traffic-report.json`], { cwd: ROOT }).toString());
    out.push({ name: `before (${BEFORE})`, dir, reportQueries: panelQueries(report) });
  }
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rules-sizing-'));
  const state = syntheticState({ devices: DEVICES, portsPerDevice: PORTS });
  rebaseClock(state, Math.floor(Date.now() / 1000) - POLL);
  const double = await startLibreNmsDouble({ state });
  const poller = setInterval(() => {
    const now = Math.floor(Date.now() / 1000);
    if (now > double.state.clock) double.poll(now - double.state.clock);
  }, POLL * 1000);
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LOG_LEVEL: 'warn' });
  const list = variants(work);
  await writeGenerated(list[0]?.dir ?? work, defaultConfig);
  const servers: { variant: Variant; prom: Daemon }[] = [];
  try {
    for (const variant of list) {
      const dataDir = join(variant.dir, 'data');
      writeFileSync(
        join(variant.dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 60s, scrape_timeout: 50s, evaluation_interval: 60s }',
          'rule_files: [prometheus/recording.yml, prometheus/alerts.yml]',
          'scrape_configs:',
          '  - job_name: librenms',
          `    static_configs: [{ targets: ['${exporter.url.replace('http://', '')}'] }]`,
          '',
        ].join('\n'),
      );
      const prom = await startDaemon({
        name: `prometheus (${variant.name})`,
        command: PROMETHEUS,
        args: (port) => [
          `--config.file=${join(variant.dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        readyPath: '/-/ready',
        readyTimeoutMs: 60_000,
        cwd: variant.dir,
      });
      servers.push({ variant, prom });
    }
    console.error(`${DEVICES * PORTS} ports; measuring for ${MINUTES} minutes with ${PROMETHEUS} ...`);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(Math.max(0, MINUTES - 5) * 60_000);
    // The last 5 minutes: samples appended, and each rule group's evaluation time once a minute.
    const first = await Promise.all(servers.map(({ prom }) => selfMetrics(prom.url)));
    const durations = servers.map(() => ({}) as Record<string, number[]>);
    for (let minute = 0; minute < 5; minute++) {
      await sleep(60_000);
      for (const [i, { prom }] of servers.entries()) {
        for (const [group, seconds] of Object.entries((await selfMetrics(prom.url)).groups))
          (durations[i] ??= {})[group] = [...(durations[i]?.[group] ?? []), seconds];
      }
    }
    const last = await Promise.all(servers.map(({ prom }) => selfMetrics(prom.url)));
    const results: Record<string, unknown>[] = [];
    for (const [index, { variant, prom }] of servers.entries()) {
      const url = prom.url;
      const ports = await scalar(url, 'count(librenms_port_up)');
      const byGroup = Object.fromEntries(
        Object.entries(durations[index] ?? {}).map(([group, list]) => [group, { mean: list.reduce((a, b) => a + b, 0) / list.length, max: Math.max(...list) }]),
      );
      const vars = (top: string) => ({
        hostname: '.*',
        ifName: '.*',
        job: '.*',
        instance: '.*',
        librenms_instance: '.*',
        top,
        __range_s: String(MINUTES * 60),
      });
      const reportBytes = async (top: string) => {
        let bytes = 0;
        let series = 0;
        for (const q of variant.reportQueries.filter((x) => x.panelId === 4 || x.panelId === 5 || x.panelId === 2 || x.panelId === 3 || x.panelId === 9)) {
          const r = await promQuery(url, substituteVariables(q.expr, vars(top)));
          bytes += r.bytes;
          series += r.result.length;
        }
        return { bytes, series };
      };
      const row = {
        variant: variant.name,
        prometheus: PROMETHEUS,
        ports,
        headSeries: last[index]?.headSeries,
        scrapedSeries: await scalar(url, 'sum(scrape_samples_scraped)'),
        recordedSeries: await scalar(url, 'count({__name__=~".+:.+"})'),
        recordedPerPort: (await scalar(url, 'count({__name__=~"port:.+"})')) / ports,
        samplesPerMinute: ((last[index]?.samplesAppended ?? 0) - (first[index]?.samplesAppended ?? 0)) / 5,
        ruleGroupSeconds: byGroup,
        reportDefault: await reportBytes(String(defaultConfig.traffic.defaultTopPorts)),
        reportEveryPort: await reportBytes('1000000'),
      };
      results.push(row);
    }
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, `bench/results/rules-sizing-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  } finally {
    clearInterval(poller);
    for (const { prom } of servers) await prom.stop();
    await exporter.app.close();
    await double.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
