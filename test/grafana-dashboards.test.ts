/**
 * Static checks of the Grafana dashboards in grafana/dashboards and the provisioning files in
 * grafana/provisioning: structure, layout, data source references, PromQL syntax, metric names against
 * the catalog, rate windows, links, variables. No Grafana or Prometheus is needed.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dashboard, DashboardLink, GridPos } from '@grafana/schema';
import { parser } from '@prometheus-io/lezer-promql';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { ALL_FAMILIES } from '../src/exposition/catalog.js';
import {
  allPanels,
  applyVariableRegex,
  loadDashboards,
  metricNames,
  PROVISIONING_DIR,
  panelQueries,
  parseDurationSeconds,
  promqlErrors,
  promRegexEscape,
  REPO_ROOT,
  rangeDurationsSeconds,
  substituteVariables,
  type TemplateVars,
  variableQuery,
  variableQueryPromql,
  variables,
  walkJson,
} from './helpers/dashboards.js';
import { outputUnderTest } from './helpers/mixin.js';

const LAB: TemplateVars = {
  hostname: '192.168.56.10',
  ifName: 'ether1',
  rate_window: '10m',
  // The "All" values of the job, target and LibreNMS variables (allValue .*), and an empty search.
  job: '.*',
  instance: '.*',
  librenms_instance: '.*',
  device_search: '',
  // The traffic report's "Ports listed".
  top: '50',
};
/** Filter every panel query puts on every LibreNMS series (the dashboards' job, target and LibreNMS variables). */
const TARGET_FILTER = 'job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"';
/** Labels that identify a device, port or sensor across jobs (a /probe and a /metrics job hold the same series). */
const SHARED_VARIABLES = ['job', 'instance', 'librenms_instance'];
const EXPECTED_UIDS = ['librenms-device', 'librenms-interface', 'librenms-overview', 'librenms-traffic-report'];
const ALLOWED_PANEL_TYPES = new Set(['row', 'timeseries', 'stat', 'table', 'state-timeline']);
const DS_VAR = '${datasource}';
/** LibreNMS polls every 5 minutes: a rate over less than two polls shows zeros and spikes. */
const MIN_RANGE_SECONDS = 600;

/** The committed dashboards and their configuration, or another configuration's (the stack lane sets MIXIN_OUT_DIR). */
const UNDER_TEST = outputUnderTest(REPO_ROOT);
const CONFIG = UNDER_TEST.config;

/** The recording rules of prometheus/recording.yml, which the dashboards may read. */
const RECORDED = (() => {
  const doc = parseYaml(readFileSync(join(UNDER_TEST.dir, 'prometheus', 'recording.yml'), 'utf8')) as { groups?: { rules?: { record?: string }[] }[] };
  return (doc.groups ?? []).flatMap((g) => (g.rules ?? []).flatMap((r) => (r.record === undefined ? [] : [r.record])));
})();

/** Metric names the dashboards may use: the catalog, histogram series of its histograms, `up`, and our recording rules. */
const KNOWN_METRICS = new Set<string>(['up', ...RECORDED]);
for (const f of ALL_FAMILIES) {
  KNOWN_METRICS.add(f.name);
  if (f.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) KNOWN_METRICS.add(f.name + s);
}

const dashboards = loadDashboards(join(UNDER_TEST.dir, 'grafana', 'dashboards'));
const uids = new Set(dashboards.map((d) => d.json.uid ?? ''));
const byUid = (uid: string): Dashboard => {
  const d = dashboards.find((x) => x.json.uid === uid);
  if (!d) throw new Error(`no dashboard ${uid}`);
  return d.json;
};

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function unitsOf(panel: { fieldConfig?: { defaults?: { unit?: string }; overrides?: unknown[] } }): Set<string> {
  const units = new Set<string>();
  const d = panel.fieldConfig?.defaults?.unit;
  if (d) units.add(d);
  walkJson(panel.fieldConfig?.overrides ?? [], (_p, key, value, parent) => {
    if (key === 'value' && typeof value === 'string' && (parent as { id?: unknown }).id === 'unit') units.add(value);
  });
  return units;
}

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Every `on(...)`/`ignoring(...)` clause of a binary operation in `expr`, with its labels. */
function matchingClauses(expr: string): { text: string; kind: 'on' | 'ignoring'; labels: string[] }[] {
  const out: { text: string; kind: 'on' | 'ignoring'; labels: string[] }[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'MatchingModifierClause') return;
      const kind = ref.node.getChild('On') ? 'on' : 'ignoring';
      const grouping = ref.node.getChild('GroupingLabels');
      const labels = grouping ? grouping.getChildren('LabelName').map((l) => expr.slice(l.from, l.to)) : [];
      out.push({ text: expr.slice(ref.from, ref.to), kind, labels });
    },
  });
  return out;
}

const POLL_TIMESTAMP = 'librenms_port_last_polled_timestamp_seconds';

/** Names Prometheus 3 takes for counters: rate()/increase() of anything else draws an info annotation. */
const COUNTER_NAME = /(_total|_sum|_count|_bucket)$/;

/**
 * rate()/increase()/irate() calls in `expr` whose series is not named like a counter: Prometheus 3
 * answers them with the info annotation "metric might not be a counter", which Grafana shows on the panel.
 */
function counterFunctionsOnGauges(expr: string): string[] {
  const bad: string[] = [];
  forEachCounterFunction(expr, (call, _fn, text) => {
    const metric = call.getChild('FunctionCallBody')?.getChild('MatrixSelector')?.getChild('VectorSelector')?.getChild('Identifier');
    if (metric && !COUNTER_NAME.test(text(metric))) bad.push(text(call));
  });
  return bad;
}

/** Calls `visit` with every rate(), increase() or irate() call in `expr`, its function name node and a text getter. */
function forEachCounterFunction(expr: string, visit: (call: SyntaxNode, fn: SyntaxNode, text: (n: SyntaxNode) => string) => void): void {
  const text = (n: SyntaxNode): string => expr.slice(n.from, n.to);
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'FunctionCall') return;
      const fn = ref.node.getChild('FunctionIdentifier');
      if (fn && /^(rate|increase|irate)$/.test(text(fn))) visit(ref.node, fn, text);
    },
  });
}

/**
 * Increases of LibreNMS port counters in `expr` (variables substituted) that are not divided by the
 * change of the port's poll timestamp over the same selector and window, the form of
 * prometheus/recording.yml: `increase(counter{sel}[w]) / (delta(librenms_port_last_polled_timestamp_seconds{sel}[w]) > 0)`,
 * possibly with sums or comparisons of such increases on the left. A plain rate() of a port counter
 * is reported too. Empty when every counter rate is per poll.
 */
function ratesNotPerPoll(expr: string): string[] {
  const bad: string[] = [];
  forEachCounterFunction(expr, (call, fn, text) => {
    const matrix = call.getChild('FunctionCallBody')?.getChild('MatrixSelector');
    const selector = matrix?.getChild('VectorSelector');
    const metric = selector?.getChild('Identifier');
    const window = matrix?.getChild('DurationExpr');
    if (!matrix || !selector || !metric || !window) return;
    const name = text(metric);
    if (!/^librenms_port_\w+_total$/.test(name)) return;
    if (text(fn) !== 'increase') {
      bad.push(text(call));
      return;
    }
    const matchers = selector.getChild('LabelMatchers');
    const wanted = `(delta(${POLL_TIMESTAMP}${matchers ? text(matchers) : ''}[${text(window)}]) > 0)`;
    let divided = false;
    for (let up: SyntaxNode | null = call.parent; up !== null && !divided; up = up.parent) {
      if (up.name !== 'BinaryExpr' || !up.getChild('Div')) continue;
      const left = up.firstChild;
      const right = up.lastChild;
      divided = left !== null && right !== null && left.from <= call.from && call.to <= left.to && text(right) === wanted;
    }
    if (!divided) bad.push(text(call));
  });
  return bad;
}

t.test('the four dashboards are there', async (t) => {
  t.same([...uids].sort(), EXPECTED_UIDS);
  t.same(
    dashboards.map((d) => d.file),
    ['librenms-device.json', 'librenms-interface.json', 'librenms-overview.json', 'librenms-traffic-report.json'],
  );
});

for (const { file, json: dash } of dashboards) {
  t.test(file, async (t) => {
    t.test('top-level fields', async (t) => {
      t.type(dash.uid, 'string');
      t.match(dash.uid ?? '', /^[a-z0-9-]{1,40}$/, 'stable, short uid');
      t.type(dash.title, 'string');
      t.ok(dash.schemaVersion >= 39, `schemaVersion ${dash.schemaVersion} >= 39`);
      t.ok(Array.isArray(dash.panels) && dash.panels.length > 0, 'has panels');
      for (const tag of ['librenms', 'network']) t.ok(dash.tags?.includes(tag), `tag ${tag}`);
    });

    t.test('panels: types, unique ids, grid positions', async (t) => {
      const panels = allPanels(dash);
      const ids = panels.map((p) => p.id);
      t.equal(new Set(ids).size, ids.length, `unique panel ids: ${ids.join(',')}`);
      for (const p of panels) {
        t.ok(ALLOWED_PANEL_TYPES.has(p.type), `panel ${p.id} type ${p.type} is allowed (no deprecated graph)`);
        t.ok(typeof p.id === 'number', `panel "${p.title}" has an id`);
        const g = p.gridPos;
        if (!g) {
          t.fail(`panel ${p.id} has gridPos`);
          continue;
        }
        t.ok(g.w > 0 && g.h > 0 && g.x >= 0 && g.y >= 0 && g.x + g.w <= 24, `panel ${p.id} gridPos within 24 columns`);
      }
      // Top-level panels (rows included) must not overlap; panels of a collapsed row only among themselves.
      const groups: Array<typeof panels> = [dash.panels ?? []];
      for (const p of dash.panels ?? []) if (p.type === 'row' && 'collapsed' in p && p.collapsed) groups.push(p.panels ?? []);
      for (const group of groups) {
        for (let i = 0; i < group.length; i++) {
          for (let j = i + 1; j < group.length; j++) {
            const a = group[i];
            const b = group[j];
            if (!a?.gridPos || !b?.gridPos) continue;
            t.notOk(overlaps(a.gridPos, b.gridPos), `panels ${a.id} "${a.title}" and ${b.id} "${b.title}" do not overlap`);
          }
        }
      }
    });

    t.test('no hard-coded data source uid', async (t) => {
      const vars = variables(dash);
      const dsVar = vars.find((v) => v.name === 'datasource');
      t.equal(dsVar?.type, 'datasource', 'datasource variable');
      t.equal(dsVar?.query, 'prometheus', 'datasource variable lists Prometheus data sources');
      let refs = 0;
      walkJson(dash, (path, key, value) => {
        if (key === 'datasource') {
          refs++;
          if (typeof value === 'string') t.equal(value, DS_VAR, `${path} is ${DS_VAR}`);
          else if (value !== null && typeof value === 'object') {
            const ref = value as { uid?: unknown; type?: unknown };
            t.equal(ref.uid, DS_VAR, `${path}.uid is ${DS_VAR}`);
            t.equal(ref.type, 'prometheus', `${path}.type is prometheus`);
          } else t.fail(`${path} is a data source reference`);
        }
        if (key === 'uid' && path !== '$.uid') t.equal(value, DS_VAR, `${path}: only the data source variable as uid`);
      });
      t.ok(refs > 0);
      for (const p of allPanels(dash)) {
        if (p.type === 'row') continue;
        t.ok(p.datasource, `panel ${p.id} has a datasource`);
        for (const target of (p as { targets?: Array<{ datasource?: unknown; refId?: string }> }).targets ?? []) {
          t.ok(target.datasource, `panel ${p.id} target ${target.refId} has a datasource`);
        }
      }
    });

    t.test('every query parses after substitution and uses catalog metrics', async (t) => {
      const queries = panelQueries(dash);
      t.ok(queries.length > 0);
      for (const q of queries) {
        const where = `panel ${q.panelId} "${q.panelTitle}" ${q.refId}`;
        const expr = substituteVariables(q.expr, LAB);
        t.notMatch(expr, /\$|\[\[/, `${where}: fully substituted`);
        t.same(promqlErrors(expr), [], `${where}: parses: ${expr}`);
        const names = metricNames(expr);
        t.ok(names.size > 0, `${where}: selects at least one metric`);
        for (const n of names) t.ok(KNOWN_METRICS.has(n), `${where}: metric ${n} is in the catalog`);
        for (const s of rangeDurationsSeconds(expr)) {
          t.ok(s >= MIN_RANGE_SECONDS, `${where}: range ${s}s covers two LibreNMS polls`);
        }
        // Per-device and per-port dashboards must filter on the chosen device (multi-value safe).
        if (dash.uid !== 'librenms-overview' && /librenms_(device|port)_/.test(q.expr)) {
          t.match(q.expr, /hostname=~"\$hostname"/, `${where}: filters on hostname=~"$hostname"`);
        }
        if (dash.uid === 'librenms-interface' && /librenms_port_/.test(q.expr)) {
          t.match(q.expr, /ifName=~"\$ifName"/, `${where}: filters on ifName=~"$ifName"`);
        }
      }
    });

    t.test('rate windows come from $rate_window', async (t) => {
      // The traffic report computes no rate: it sums recorded per-poll increments over the time range.
      if (!panelQueries(dash).some((q) => /\b(rate|increase|delta)\(/.test(q.expr))) {
        t.notOk(
          variables(dash).some((v) => v.name === 'rate_window'),
          'no rate, no rate_window variable',
        );
        return;
      }
      for (const q of panelQueries(dash)) {
        if (!/\b(rate|increase|delta)\(/.test(q.expr)) continue;
        t.notMatch(q.expr, /\$__rate_interval|\$__interval/, `panel ${q.panelId}: no $__rate_interval`);
        t.match(q.expr, /\[\$rate_window\]/, `panel ${q.panelId} ${q.refId}: rate over [$rate_window]`);
      }
      const rw = variables(dash).find((v) => v.name === 'rate_window');
      t.ok(rw, 'rate_window variable');
      if (!rw) return;
      t.ok(rw.type === 'custom' || rw.type === 'interval', 'custom or interval variable');
      const current = rw.current as { value?: unknown } | undefined;
      t.equal(current?.value, '10m', 'defaults to 10m');
      const opts = (rw.options ?? []).map((o) => (o as { value?: unknown }).value);
      t.same(opts, ['10m', '15m', '30m', '1h'], 'options 10m, 15m, 30m, 1h');
      t.match(rw.description ?? '', /5 minutes/, 'explains the 5-minute poll');
      const described = allPanels(dash).some((p) => {
        const text = 'description' in p ? (p.description ?? '') : '';
        return /rate_window/.test(text) && /5 minutes/.test(text);
      });
      if (panelQueries(dash).some((q) => /\b(rate|increase)\(/.test(q.expr))) t.ok(described, 'a panel description explains the window');
    });

    t.test('vector matching keeps the scrape target and the LibreNMS apart', async (t) => {
      // Two jobs (e.g. /metrics and /probe) or two exporters can hold the same hostname, and two
      // LibreNMS can hold the same hostname: a join on hostname alone then matches two series on the
      // "one" side and Prometheus answers "many-to-many matching not allowed". Joins of one scrape's
      // series are on(job, instance, librenms_instance, ...); joins of results already aggregated per
      // device or port (no job, instance) are on(librenms_instance, ...); on(job, instance) joins a
      // scrape target's own series.
      const queries = [
        ...panelQueries(dash).map((q) => ({ where: `panel ${q.panelId} "${q.panelTitle}" ${q.refId}`, expr: q.expr })),
        ...variables(dash).flatMap((v) => {
          const promql = v.type === 'query' ? variableQueryPromql(variableQuery(v) ?? '') : undefined;
          return promql === undefined ? [] : [{ where: `variable ${v.name}`, expr: promql }];
        }),
      ];
      for (const { where, expr } of queries) {
        for (const clause of matchingClauses(substituteVariables(expr, LAB))) {
          if (clause.kind === 'on') {
            const targetOnly = clause.labels.length === 2 && clause.labels.includes('job') && clause.labels.includes('instance');
            t.ok(targetOnly || clause.labels.includes('librenms_instance'), `${where}: ${clause.text} includes librenms_instance`);
            if (clause.labels.includes('job') !== clause.labels.includes('instance')) t.fail(`${where}: ${clause.text} has job and instance together`);
          } else {
            t.notOk(
              SHARED_VARIABLES.some((l) => clause.labels.includes(l)),
              `${where}: ${clause.text} keeps job, instance, librenms_instance`,
            );
          }
        }
      }
    });

    t.test('every LibreNMS series is filtered by the job, target and LibreNMS variables, and shown once', async (t) => {
      for (const name of SHARED_VARIABLES) {
        const v = variables(dash).find((x) => x.name === name);
        t.ok(v, `variable ${name}`);
        t.equal(v?.type, 'query', `${name}: a query variable`);
        t.equal(v?.includeAll, true, `${name}: includes All`);
        t.equal(v?.allValue, '.*', `${name}: All is .* (matches series without the label, e.g. no librenms_instance)`);
        t.equal(v?.multi, true, `${name}: several values can be chosen`);
        t.equal(v?.hide, 0, `${name}: shown (Grafana cannot hide a variable only when it has one value)`);
      }
      for (const q of panelQueries(dash)) {
        const where = `panel ${q.panelId} "${q.panelTitle}" ${q.refId}`;
        for (const m of q.expr.matchAll(/\b((?:[a-z_]+:)?librenms_[a-z_]+(?::[a-z_0-9]+)?)\{([^}]*)\}/g)) {
          const name = m[1] ?? '';
          if (name === 'librenms_instance' || name === 'librenms_display') continue;
          const targetLevel = name.startsWith('job_instance:');
          t.ok((m[2] ?? '').startsWith(targetLevel ? 'job=~"$job", instance=~"$instance"' : TARGET_FILTER), `${where}: ${name} filtered by the variables`);
        }
        t.notMatch(q.expr, /\blibrenms_(?!instance\b|display\b)[a-z_]+(?![\w{(:])/, `${where}: no LibreNMS series without the variables' filter`);
        if (/librenms_(device|port|sensor|alert)_|port:|device:/.test(q.expr)) {
          t.match(
            q.expr.trim(),
            /^(max by \(librenms_instance, |count\(max by \(librenms_instance, |sum\(max by \(librenms_instance, |max\(|min\()/,
            `${where}: aggregated per device or port, so a series held by two jobs shows once`,
          );
        }
      }
    });

    t.test('no query draws a Prometheus 3 annotation: rate() and increase() only on counters', async (t) => {
      for (const q of panelQueries(dash)) {
        const expr = substituteVariables(q.expr, LAB);
        t.same(counterFunctionsOnGauges(expr), [], `panel ${q.panelId} "${q.panelTitle}" ${q.refId}`, { expr });
      }
    });

    t.test('port counter rates are per LibreNMS poll', async (t) => {
      for (const q of panelQueries(dash)) {
        const expr = substituteVariables(q.expr, LAB);
        t.same(ratesNotPerPoll(expr), [], `panel ${q.panelId} "${q.panelTitle}" ${q.refId}: increases divided by the change of the poll timestamp`, { expr });
      }
    });

    t.test('tables filter in PromQL, not in the browser', async (t) => {
      for (const p of allPanels(dash)) {
        const transformations = 'transformations' in p ? (p.transformations ?? []) : [];
        t.notOk(
          transformations.some((x) => x.id === 'filterByValue'),
          `panel ${p.id} "${p.title}": no filterByValue transformation (a big install would load every row into the browser)`,
        );
      }
    });

    t.test('units and legends', async (t) => {
      for (const p of allPanels(dash)) {
        if (p.type === 'row') continue;
        const qs = panelQueries({ ...dash, panels: [p] });
        const units = unitsOf(p as never);
        if (
          qs.some(
            (q) => /(rate|increase)\(librenms_port_(receive|transmit)_bytes_total|port:librenms_port_bytes:rate10m/.test(q.expr) && /\) \* 8\b/.test(q.expr),
          )
        ) {
          t.ok(units.has('bps'), `panel ${p.id} "${p.title}": traffic in bps`);
        }
        if (qs.some((q) => /\/ \(librenms_port_speed_bytes[^)]*> 0\)/.test(q.expr))) {
          t.ok(units.has('percentunit'), `panel ${p.id} "${p.title}": utilisation in percentunit`);
        }
        if (p.type === 'timeseries') {
          for (const q of qs) {
            if (!/librenms_port_/.test(q.expr)) continue;
            t.match(q.legendFormat ?? '', /\{\{ifName\}\} — \{\{ifAlias\}\}/, `panel ${p.id} ${q.refId}: legend ifName — ifAlias`);
            t.match(q.expr, /group_left\(ifAlias\) librenms_port_info/, `panel ${p.id} ${q.refId}: joins ifAlias`);
          }
        }
      }
    });

    t.test('variable queries', async (t) => {
      for (const v of variables(dash)) {
        if (v.type !== 'query') continue;
        t.same(v.datasource, { type: 'prometheus', uid: DS_VAR }, `${v.name}: uses the datasource variable`);
        const q = variableQuery(v);
        t.type(q, 'string', `${v.name}: has a query`);
        const promql = variableQueryPromql(q ?? '');
        if (promql === undefined) continue;
        const expr = substituteVariables(promql, LAB);
        t.same(promqlErrors(expr), [], `${v.name}: parses: ${expr}`);
        for (const n of metricNames(expr)) t.ok(KNOWN_METRICS.has(n), `${v.name}: metric ${n} is in the catalog`);
      }
    });

    t.test('links resolve to the shipped dashboards', async (t) => {
      let n = 0;
      walkJson(dash, (path, _key, value) => {
        if (typeof value !== 'string') return;
        for (const m of value.matchAll(/\/d\/([^/?&"\s]+)/g)) {
          n++;
          t.ok(uids.has(m[1] ?? ''), `${path}: /d/${m[1]} is one of ours`);
          if (/[?&]var-/.test(value)) t.match(value, /var-datasource=\$\{datasource\}/, `${path}: passes the data source`);
        }
      });
      t.ok(n > 0, 'has links');
      const links: DashboardLink[] = dash.links ?? [];
      for (const l of links) {
        t.ok(l.includeVars && l.keepTime, `dashboard link "${l.title}" keeps variables and time`);
      }
    });
  });
}

t.test('dashboard-specific requirements', async (t) => {
  const overview = byUid('librenms-overview');
  const device = byUid('librenms-device');
  const iface = byUid('librenms-interface');
  const exprs = (d: Dashboard): string =>
    panelQueries(d)
      .map((q) => q.expr)
      .join('\n');

  t.test('overview', async (t) => {
    const all = exprs(overview);
    for (const m of [
      'librenms_device_up',
      'librenms_port_last_change_timestamp_seconds',
      'librenms_up',
      'librenms_exporter_refresh_duration_seconds',
      'librenms_exporter_cache_age_seconds',
      'librenms_scrape_collector_success',
      'port:librenms_port_errors:rate10m',
    ])
      t.match(all, m, `uses ${m}`);
    t.match(all, /time\(\) - \(?librenms_device_last_polled_timestamp_seconds/, 'data freshness');
    // The top-10 tables read the recording rules: one sample per port, whatever the install's size.
    t.match(
      all,
      /topk\(10, max by \(librenms_instance, hostname, ifName, ifIndex\) \(sum without\(direction\) \(port:librenms_port_bytes:rate10m/,
      'top traffic from the recording rule',
    );
    t.match(
      all,
      /topk\(10, max by \(librenms_instance, hostname, ifName, ifIndex\) \(max without\(direction\) \(\(port:librenms_port_bytes:rate10m\{[^}]*\} \/ ignoring\(direction\) group_left\(\) \(librenms_port_speed_bytes/,
      'top utilisation from the recording rule over the speed',
    );
    const panel = (title: string) => panelQueries(overview).filter((q) => q.panelTitle === title && q.panelType === 'table');
    const downDevices = panel('Devices down');
    t.ok(downDevices.length > 0, 'devices-down table');
    for (const q of downDevices) t.match(q.expr, /\(librenms_device_up\{[^}]*\} == 0\)/, `devices-down ${q.refId}: only down devices from Prometheus`);
    // Issue 24, item 8: the down-ports table reads the sparse recording of ports that went down after
    // being up, in one query, instead of every admin-up port that is not up (access ports included).
    const downPorts = panel('Ports down after being up');
    t.equal(downPorts.length, 1, 'ports-down table: one query');
    t.match(downPorts[0]?.expr ?? '', /port:librenms_port_up:down_after_up\{/, 'ports-down: only ports that went down after being up');
    t.notMatch(downPorts[0]?.expr ?? '', /librenms_port_oper_status/, 'ports-down: not every port that is not up');
    // Issue 24, item 9: the oldest poll leaves down devices out; the down reason is shown.
    const oldest = panelQueries(overview).find((q) => q.panelTitle === 'Oldest LibreNMS poll');
    t.match(
      oldest?.expr ?? '',
      /unless on\(job, instance, librenms_instance, hostname\) \(librenms_device_up\{[^}]*\} == 0\)/,
      'oldest poll: down devices left out',
    );
    t.ok(
      downDevices.every((q) => /librenms_device_down_reason_info/.test(q.expr)),
      'devices-down: the down reason LibreNMS gives (docs/grafana.md)',
    );
    t.match(all, /group_left\(display/, 'device display names');
    // Find a device by hostname/IP, sysName or display name.
    const search = variables(overview).find((v) => v.name === 'device_search');
    t.equal(search?.type, 'textbox', 'a "Find device" text box');
    const find = panel('Find a device');
    t.equal(find.length, 1, 'a "Find a device" table');
    for (const label of ['hostname', 'display', 'sysName']) {
      t.match(find[0]?.expr ?? '', new RegExp(`${label}=~"\\(\\?i\\)\\.\\*\\$\\{device_search\\}\\.\\*"`), `searches ${label}, case-insensitive`);
    }
    const links = JSON.stringify(overview);
    t.match(links, /\/d\/librenms-device\/[^"]*var-hostname=/, 'links to the device dashboard with var-hostname');
    t.match(links, /\/d\/librenms-interface\/[^"]*var-ifName=/, 'links to the interface dashboard with var-ifName');
    t.match(links, /\$\{librenms_instance:queryparam\}/, 'links pass the LibreNMS variable');
  });

  t.test('device', async (t) => {
    const host = variables(device).find((v) => v.name === 'hostname');
    t.match(variableQuery(host ?? { name: '', type: 'query' }) ?? '', /label_join\(librenms_device_info\{[^}]*\}, "device", " \/ ", "display", "hostname"\)/);
    // What Grafana gets from query_result() for the lab router, and what the regex makes of it: the
    // text holds the display name and the hostname (an IP here), so typing either finds the device.
    const line = '{device="MikroTik-Lab-Router / 192.168.56.10",hostname="192.168.56.10"} 1 1700000000000';
    t.same(applyVariableRegex(host?.regex ?? '', line), { text: 'MikroTik-Lab-Router / 192.168.56.10', value: '192.168.56.10' });
    t.match(JSON.stringify(device), /\/d\/librenms-interface\/[^"]*var-ifName=\$\{__data\.fields\.ifName\}/);
    const table = allPanels(device).find((p) => p.type === 'table' && p.title === 'Ports');
    t.ok(table, 'ports table');
    t.match(JSON.stringify(table), /"text":"lowerLayerDown"/, 'status value mappings');
  });

  t.test('interface', async (t) => {
    const names = variables(iface).map((v) => v.name);
    t.same(names, ['datasource', 'job', 'instance', 'librenms_instance', 'hostname', 'ifName', 'rate_window']);
    const ifv = variables(iface).find((v) => v.name === 'ifName');
    t.match(
      variableQuery(ifv ?? { name: '', type: 'query' }) ?? '',
      /^label_values\(librenms_port_info\{job=~"\$job", instance=~"\$instance", librenms_instance=~"\$librenms_instance", hostname=~"\$hostname"\}, ifName\)$/,
    );
    const timeline = allPanels(iface).find((p) => p.type === 'state-timeline');
    t.ok(timeline, 'state timeline');
    t.match(JSON.stringify(timeline), /librenms_port_oper_status/);
    t.match(JSON.stringify(timeline), /"text":"lowerLayerDown"/);
    t.match(JSON.stringify(iface), /"id":"custom.transform","value":"negative-Y"/, 'out below the axis');
    const all = exprs(iface);
    for (const m of [
      'librenms_port_receive_unicast_packets_total',
      'librenms_port_transmit_errors_total',
      'librenms_port_mtu_bytes',
      'librenms_port_speed_bytes',
      'librenms_port_info',
    ])
      t.match(all, m, `uses ${m}`);
  });

  t.test('traffic report', async (t) => {
    const report = byUid('librenms-traffic-report');
    t.same(report.time, { from: 'now-1d/d', to: 'now-1d/d' }, 'defaults to yesterday');
    const queries = panelQueries(report);
    for (const q of queries) {
      const where = `panel ${q.panelId} "${q.panelTitle}" ${q.refId}`;
      t.ok(q.instant, `${where}: an instant query over the whole range`);
      t.notMatch(q.expr, /\b(rate|increase|irate|delta)\(/, `${where}: no rate(), increase() or delta(): volumes are sums of per-poll increments`);
      for (const m of q.expr.matchAll(/\[([^\]]+)\]/g)) t.equal(m[1], '${__range_s}s', `${where}: over the time range`);
      if (/bytes:increase_poll/.test(q.expr))
        t.match(q.expr, /sum_over_time\(port:librenms_port_bytes:increase_poll\{/, `${where}: sums the recorded poll increments`);
    }
    const tables = allPanels(report).filter((p) => p.type === 'table');
    const titles = tables.map((p) => p.title);
    t.same(titles, ['Traffic per port', 'Traffic per device', 'Today so far: traffic per port', 'Today so far: traffic per device']);
    for (const p of tables) {
      const json = JSON.stringify(p);
      t.match(json, /"sortBy":\[\{"displayName":"Total","desc":true\}\]/, `${p.title}: top talkers first`);
      t.match(json, /"unit","value":"decbytes"/, `${p.title}: volumes in human units`);
      t.match('description' in p ? (p.description ?? '') : '', /CSV/, `${p.title}: says how to export CSV`);
      if (p.title?.startsWith('Today')) t.equal((p as { timeFrom?: string }).timeFrom, 'now/d', `${p.title}: today so far`);
    }
    const perPort = JSON.stringify(tables[0]);
    // Issue 24, item 5: billing-grade: bits per second for every port, the billable greater of in and
    // out, in the billing time zone (not the browser's).
    t.match(perPort, /quantile_over_time\(0\.95, port:librenms_port_bits:rate_poll/, '95th percentile of the per-poll bit rate');
    t.match(perPort, /"Billable 95th"/, 'the billable 95th percentile');
    t.match(perPort, /"unit","value":"bps"/, 'in bits per second');
    t.equal(report.timezone, CONFIG.traffic.billingTimeZone === 'UTC' ? 'utc' : CONFIG.traffic.billingTimeZone, 'yesterday is in the billing time zone');
    t.not(report.timezone, 'browser', "not the browser's time zone");
    // Issue 24, item 8: the default view is bounded: every per-port query lists the top $top ports only.
    const top = variables(report).find((v) => v.name === 'top');
    t.equal(
      (top?.current as { value?: string } | undefined)?.value,
      String(CONFIG.traffic.defaultTopPorts),
      `lists the top ${CONFIG.traffic.defaultTopPorts} ports by default`,
    );
    for (const q of queries.filter((x) => x.panelTitle.endsWith('traffic per port')))
      t.match(q.expr, /topk\(\$top, /, `${q.panelTitle} ${q.refId}: the top $top ports only`);
    t.ok(
      queries.some((q) => /port:librenms_port_poll:gap_seconds/.test(q.expr)),
      'gaps are marked (item 4)',
    );
    t.match(perPort, /group_left\(ifAlias\) librenms_port_info/, 'the port alias');
    t.match(perPort, /librenms_port_speed_bytes\{[^}]*\} \* 8/, 'the port speed in bits/s');
  });
});

t.test('every port and device family LibreNMS gives is shown on some dashboard (issue 24, item 9)', async (t) => {
  const all = loadDashboards(join(UNDER_TEST.dir, 'grafana', 'dashboards'))
    .map((d) => JSON.stringify(d.json))
    .join('\n');
  for (const m of [
    'librenms_port_receive_bytes_per_second',
    'librenms_port_transmit_bytes_per_second',
    'librenms_port_duplex',
    'librenms_device_down_reason_info',
  ])
    t.match(all, m, `uses ${m}`);
});

t.test('helpers', async (t) => {
  t.test('a broken expression is detected', async (t) => {
    t.ok(promqlErrors('sum(rate(librenms_port_receive_bytes_total[10m]) by (hostname)').length > 0, 'unbalanced parens');
    t.ok(promqlErrors('rate(librenms_port_receive_bytes_total[$rate_window])').length > 0, 'unsubstituted variable');
    t.ok(promqlErrors('librenms_up{hostname="x"').length > 0, 'unterminated matcher');
    t.ok(promqlErrors('').length > 0, 'empty');
    t.same(promqlErrors('sum by (hostname) (rate(librenms_port_receive_bytes_total[10m]))'), []);
  });

  t.test('metric names come from the syntax tree', async (t) => {
    const names = metricNames(
      'rate(librenms_port_receive_bytes_total{ifName="up"}[10m]) * on(hostname, up) group_left(ifAlias) librenms_port_info' +
        ' or {__name__="librenms_up"} or sum by (librenms_nope) (vector(1))',
    );
    t.same([...names].sort(), ['librenms_port_info', 'librenms_port_receive_bytes_total', 'librenms_up']);
    t.notOk(KNOWN_METRICS.has('librenms_port_in_octets'), 'an unknown name would be reported');
  });

  t.test('joins without job and instance are found', async (t) => {
    t.same(
      matchingClauses('a * on(hostname) group_left(display) b and ignoring(job) c unless on(job, instance, librenms_instance, hostname) d').map((c) => [
        c.kind,
        c.labels,
      ]),
      [
        ['on', ['hostname']],
        ['ignoring', ['job']],
        ['on', ['job', 'instance', 'librenms_instance', 'hostname']],
      ],
    );
    t.same(matchingClauses('sum by (hostname) (rate(x[10m]))'), [], 'by() is not vector matching');
  });

  t.test('counter rates that are not per poll are found', async (t) => {
    const poll = (s: string): string => `(delta(librenms_port_last_polled_timestamp_seconds${s}[10m]) > 0)`;
    const rx = 'librenms_port_receive_bytes_total';
    const tx = 'librenms_port_transmit_bytes_total';
    t.same(ratesNotPerPoll(`rate(${rx}[10m]) * 8`), [`rate(${rx}[10m])`], 'a plain rate');
    t.same(ratesNotPerPoll(`increase(${rx}[10m]) * 8`), [`increase(${rx}[10m])`], 'a plain increase');
    t.same(ratesNotPerPoll(`increase(${rx}[10m]) / ${poll('')} * 8`), []);
    t.same(ratesNotPerPoll(`(increase(${rx}{a="1"}[10m]) + increase(${tx}{a="1"}[10m])) / ${poll('{a="1"}')}`), []);
    t.same(ratesNotPerPoll(`increase(${rx}{a="1"}[10m]) / ${poll('{a="2"}')}`), [`increase(${rx}{a="1"}[10m])`], 'another selector');
    t.same(ratesNotPerPoll(`increase(${rx}[10m]) / ${poll('').replace('[10m]', '[15m]')}`), [`increase(${rx}[10m])`], 'another window');
    t.same(ratesNotPerPoll(`${poll('')} / increase(${rx}[10m])`), [`increase(${rx}[10m])`], 'the counter must be the dividend');
    t.same(ratesNotPerPoll('rate(librenms_exporter_api_requests_total[10m])'), [], "the exporter's own counters are real time");
  });

  t.test('rate() of a gauge is found (a Prometheus 3 info annotation)', async (t) => {
    t.same(counterFunctionsOnGauges('rate(librenms_port_last_polled_timestamp_seconds[10m])'), ['rate(librenms_port_last_polled_timestamp_seconds[10m])']);
    t.same(counterFunctionsOnGauges('increase(librenms_device_uptime_seconds[1h])'), ['increase(librenms_device_uptime_seconds[1h])']);
    t.same(
      counterFunctionsOnGauges('delta(librenms_port_last_polled_timestamp_seconds[10m]) + rate(librenms_port_receive_bytes_total[10m]) + rate(x_bucket[5m])'),
      [],
    );
  });

  t.test('substituteVariables', async (t) => {
    const vars: TemplateVars = { hostname: '192.168.56.10', ifName: 'ether1' };
    t.equal(substituteVariables('x{hostname=~"$hostname", ifName=~"${ifName}"}[$rate_window]', vars), 'x{hostname=~"192.168.56.10", ifName=~"ether1"}[10m]');
    t.equal(substituteVariables('x{hostname=~"${hostname:regex}"}', vars), 'x{hostname=~"192\\\\.168\\\\.56\\\\.10"}');
    t.equal(substituteVariables('x{a="${hostname:raw}"} [[ifName]]', vars), 'x{a="192.168.56.10"} ether1');
    t.equal(substituteVariables('x{a=~"$hostname"}', { ...vars, hostname: ['a.b', 'c'] }), 'x{a=~"(a\\\\.b|c)"}');
    t.equal(substituteVariables('x[$__rate_interval] $__range $__range_s $__interval', vars), 'x[1m] 1h 3600 1m');
    t.equal(substituteVariables('x[$rate_window]', { ...vars, rate_window: '30m' }), 'x[30m]');
    t.throws(() => substituteVariables('x{a="$nosuch"}', vars), /nosuch/);
    t.equal(promRegexEscape('a.b|c'), 'a\\\\.b\\\\|c');
  });

  t.test('durations', async (t) => {
    t.equal(parseDurationSeconds('10m'), 600);
    t.equal(parseDurationSeconds('1h30m'), 5400);
    t.ok(Number.isNaN(parseDurationSeconds('10x')));
    t.same(rangeDurationsSeconds('rate(x[10m]) + max_over_time(y[1h:5m])'), [600, 3600]);
  });
});

t.test('provisioning', async (t) => {
  const ds = parseYaml(readFileSync(join(PROVISIONING_DIR, 'datasources', 'prometheus.yml'), 'utf8')) as {
    apiVersion?: number;
    datasources?: Array<{ type?: string; url?: string; uid?: string; access?: string }>;
  };
  t.equal(ds.apiVersion, 1);
  t.equal(ds.datasources?.length, 1);
  t.equal(ds.datasources?.[0]?.type, 'prometheus');
  t.equal(ds.datasources?.[0]?.url, '${PROMETHEUS_URL}', 'URL from the environment');
  t.equal(ds.datasources?.[0]?.access, 'proxy');

  const dbText = readFileSync(join(PROVISIONING_DIR, 'dashboards', 'librenms.yml'), 'utf8');
  const db = parseYaml(dbText) as {
    apiVersion?: number;
    providers?: Array<{ type?: string; options?: { path?: string } }>;
  };
  t.equal(db.apiVersion, 1);
  t.equal(db.providers?.[0]?.type, 'file');
  const path = db.providers?.[0]?.options?.path ?? '';
  t.equal(path, '/var/lib/grafana/dashboards/librenms');
  t.match(dbText, new RegExp(`grafana/dashboards:${path}`), 'comment shows how to mount grafana/dashboards there');
});
