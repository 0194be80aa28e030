/**
 * Checks the Prometheus and Alertmanager files shipped for users: prometheus.yml, prometheus/*.yml
 * (alerting and recording rules), prometheus/tests/*.yml (promtool unit tests) and alertmanager.yml.
 *
 * Needs promtool and amtool on PATH (Debian: apt-get install prometheus prometheus-alertmanager),
 * or their paths in PROMTOOL / AMTOOL.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { ALL_FAMILIES } from '../src/metrics/catalog.js';
import { shortenRules } from './helpers/rules.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';
const AMTOOL = process.env['AMTOOL'] ?? 'amtool';
const RUNBOOK_BASE = 'https://github.com/librenms-exporter/librenms-exporter/blob/main/README.md#alert-';
const SEVERITIES = new Set(['critical', 'warning', 'info']);

// ---------------------------------------------------------------------------------------------
// Checkers (exercised on the real files and on deliberately broken input below)

interface ToolResult {
  readonly ok: boolean;
  readonly code: number | string;
  readonly output: string;
}

/** Runs a CLI; ok only when it exits 0 and prints no "FAILED". */
function runTool(cmd: string, args: readonly string[], cwd: string = ROOT): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const code: number | string = error === null ? 0 : ((error as { code?: number | string }).code ?? 'error');
      resolve({ ok: code === 0 && !/FAILED/.test(output), code, output });
    });
  });
}

const checkConfig = (file: string, cwd?: string) => runTool(PROMTOOL, ['check', 'config', file], cwd);
const checkRules = (file: string, cwd?: string) => runTool(PROMTOOL, ['check', 'rules', file], cwd);
const testRules = (file: string, cwd?: string) => runTool(PROMTOOL, ['test', 'rules', file], cwd);
const checkAlertmanager = (file: string, cwd?: string) => runTool(AMTOOL, ['check-config', file], cwd);

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

/** Metric names in the expressions that are neither in the catalog, `up`, nor a recording rule of ours. */
export function unknownMetrics(rules: readonly Rule[], known: ReadonlySet<string>): string[] {
  const recorded = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));
  const unknown = new Set<string>();
  for (const rule of rules) {
    for (const name of metricNamesIn(rule.expr)) {
      if (!known.has(name) && name !== 'up' && !recorded.has(name)) unknown.add(name);
    }
  }
  return [...unknown];
}

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

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'librenms-rules-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The shipped files

t.test('promtool check config prometheus.yml (also checks the rule files it loads)', async (t) => {
  const r = await checkConfig('prometheus.yml');
  t.ok(r.ok, r.output);
  t.match(r.output, /alerts\.yml/, 'loads prometheus/alerts.yml');
  t.match(r.output, /recording\.yml/, 'loads prometheus/recording.yml');
  t.notMatch(r.output, /tests\//, 'does not load the unit test files as rules');
});

t.test('prometheus.yml: librenms job at localhost:9878, 60 s interval, Alertmanager at localhost:9093', async (t) => {
  const cfg = parseYaml(await readFile(path.join(ROOT, 'prometheus.yml'), 'utf8')) as {
    global?: { scrape_interval?: string; evaluation_interval?: string };
    rule_files?: string[];
    alerting?: { alertmanagers?: { static_configs?: { targets?: string[] }[] }[] };
    scrape_configs?: { job_name: string; scrape_interval?: string; scrape_timeout?: string; static_configs?: { targets?: string[] }[] }[];
  };
  const job = cfg.scrape_configs?.find((j) => j.job_name === 'librenms');
  t.ok(job, 'has a job named librenms (the alerts select up{job="librenms"})');
  t.same(job?.static_configs?.[0]?.targets, ['localhost:9878']);
  t.equal(job?.scrape_interval ?? cfg.global?.scrape_interval, '60s');
  const seconds = (d: string | undefined) => (d === undefined ? NaN : Number.parseInt(d, 10) * (d.endsWith('m') ? 60 : 1));
  const timeout = seconds(job?.scrape_timeout);
  t.ok(timeout > 10 && timeout < 60, `scrape_timeout ${job?.scrape_timeout} leaves the exporter time for a refresh and stays below the interval`);
  t.same(cfg.rule_files, ['prometheus/*.yml']);
  t.same(cfg.alerting?.alertmanagers?.[0]?.static_configs?.[0]?.targets, ['localhost:9093']);
});

t.test('promtool check rules on every rules file', async (t) => {
  const files = await yamlFiles('prometheus');
  t.ok(files.includes('prometheus/alerts.yml') && files.includes('prometheus/recording.yml'), files.join(', '));
  for (const f of files) {
    const r = await checkRules(f);
    t.ok(r.ok, `${f}\n${r.output}`);
  }
});

t.test('promtool test rules on every unit test file', async (t) => {
  const files = await yamlFiles('prometheus/tests');
  t.ok(files.length >= 3, files.join(', '));
  for (const f of files) {
    const r = await testRules(f);
    t.ok(r.ok, `${f}\n${r.output}`);
    t.match(r.output, /SUCCESS/, f);
  }
});

t.test('amtool check-config alertmanager.yml', async (t) => {
  const r = await checkAlertmanager('alertmanager.yml');
  t.ok(r.ok, r.output);
});

t.test('every metric in a rule expression is in the catalog, up, or one of our recording rules', async (t) => {
  const rules = await allRules();
  t.ok(rules.length > 10, `${rules.length} rules`);
  t.same(unknownMetrics(rules, CATALOG), []);
  for (const rule of rules) {
    if (rule.record !== undefined) t.match(rule.record, /^librenms:[a-z_0-9:]+$/, `recording rule ${rule.record} is named librenms:...`);
  }
  // on()/group_left()/by() labels must exist on the series, or the join silently matches nothing.
  const labels = new Set(['job', 'instance', 'direction', ...ALL_FAMILIES.flatMap((f) => f.labels)]);
  const unknownLabels = rules.flatMap((r) => groupingLabelsIn(r.expr)).filter((l) => !labels.has(l));
  t.same([...new Set(unknownLabels)], [], 'grouping labels exist in the catalog');
});

t.test('every alert has severity, summary, description and a runbook anchor documented in README.md', async (t) => {
  const alerts = (await allRules()).filter((r) => r.alert !== undefined);
  const docs = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  t.ok(alerts.length >= 8, alerts.map((a) => a.alert).join(', '));
  for (const a of alerts) {
    const name = a.alert ?? '';
    t.ok(SEVERITIES.has(a.labels?.['severity'] ?? ''), `${name}: severity ${a.labels?.['severity']}`);
    t.ok(a.annotations?.['summary'], `${name}: summary`);
    t.ok(a.annotations?.['description'], `${name}: description`);
    const anchor = `alert-${name.toLowerCase()}`;
    t.equal(a.annotations?.['runbook_url'], `${RUNBOOK_BASE}${name.toLowerCase()}`, `${name}: runbook_url`);
    t.ok(docs.includes(`<a id="${anchor}"></a>`), `README.md has <a id="${anchor}"></a>`);
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
    t.ok(mine.some((c) => (c.exp_alerts ?? []).length === 0), `${name}: a test expects it to stay silent`);
  }
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
        "        values: '0x20'",
        '    alert_rule_test:',
        '      - eval_time: 15m',
        '        alertname: LibreNMSExporterDown',
        '        exp_alerts: []',
        '',
      ].join('\n'),
    );
    const wrong = await testRules('wrong.test.yml', dir);
    t.notOk(wrong.ok, 'promtool test rules fails when the exporter-down alert is expected to stay silent');

    await writeFile(path.join(dir, 'am.yml'), "route:\n  receiver: missing\nreceivers:\n  - name: other\n");
    t.notOk((await checkAlertmanager('am.yml', dir)).ok, 'amtool fails on a route to an undefined receiver');
  });

  t.same(unknownMetrics([{ alert: 'X', expr: 'librenms_port_in_octets_total > 0' }], CATALOG), ['librenms_port_in_octets_total']);
  t.same(unknownMetrics([{ record: 'librenms:x:rate10m', expr: 'rate(librenms_port_receive_bytes_total[10m])' }, { alert: 'Y', expr: 'librenms:x:rate10m > up' }], CATALOG), []);
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
  t.ok(after.every((r) => r.alert === undefined || r.for === '1m'), 'every alert has for: 1m');
  t.same(after.map((r) => r.expr), before.map((r) => r.expr), 'expressions unchanged');
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
      '              job: librenms',
      '              instance: localhost:9878',
      '              hostname: 192.168.56.10',
      '              ifName: ether1',
      '              ifIndex: "1"',
      '              ifAlias: Host-Only network',
      '              display: MikroTik-Lab-Router',
      '            exp_annotations:',
      '              summary: "Port ether1 (Host-Only network) on MikroTik-Lab-Router is down"',
      '              description: "Port ether1 (Host-Only network) on MikroTik-Lab-Router (192.168.56.10) is administratively up but operationally down for 10 minutes; it was up within the last day."',
      `              runbook_url: "${RUNBOOK_BASE}librenmsportdown"`,
      '',
    ].join('\n');
    await writeFile(path.join(dir, 'short.test.yml'), test);
    const r = await testRules('short.test.yml', dir);
    t.ok(r.ok, `PortDown fires 2 minutes after the port went down with for: 1m\n${r.output}`);
  });
});
