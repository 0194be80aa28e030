/**
 * LibreNMS traffic report (grafana/dashboards/librenms-traffic-report.json): volumes per port and
 * device over the time range (default yesterday, in the billing time zone) and today so far, the
 * 95th percentile in bits per second (what transit providers bill), and gap markers. Queries are
 * tested in prometheus/tests/traffic-report.test.yml.
 */
import type { MixinConfig } from '../config.js';
import { board, dashboardLink, type PanelSpec, type Query, type RowSpec, requires } from '../lib/dashboard.js';
import { DATASOURCE_VARIABLE, INSTANCE_VARIABLE, JOB_VARIABLE, LIBRENMS_INSTANCE_VARIABLE } from '../lib/variables.js';

const SEL = 'job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"';
const PORT = 'job, instance, librenms_instance, hostname, ifName, ifIndex';
const DEVICE = 'job, instance, librenms_instance, hostname';
const PORT_ID = 'librenms_instance, hostname, ifName, ifIndex';
const RANGE = '[${__range_s}s]';
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** Bytes of the polls in the range, per port and direction (or both, summed). */
const volume = (direction?: 'receive' | 'transmit') =>
  direction === undefined
    ? `sum without(direction) (sum_over_time(port:librenms_port_bytes:increase_poll{${SEL}}${RANGE}))`
    : `sum_over_time(port:librenms_port_bytes:increase_poll{${SEL}, direction="${direction}"}${RANGE})`;
/** 95th percentile of the per-poll average bit rate. */
const p95 = (direction: 'receive' | 'transmit') => `quantile_over_time(0.95, port:librenms_port_bits:rate_poll{${SEL}, direction="${direction}"}${RANGE})`;
/** The greater of the two 95th percentiles: the billable rate of most transit contracts. */
const billable = `max without(direction) (quantile_over_time(0.95, port:librenms_port_bits:rate_poll{${SEL}}${RANGE}))`;
/** Only the top ports by volume (the `top` variable): bounded tables at any install size. */
const TOP = `and on(${PORT_ID}) topk($top, max by (${PORT_ID}) (${volume()}))`;

/** A per-port column: the value, limited to the top ports, with alias and display name. */
const perPort = (value: string) =>
  [
    `max by (${PORT_ID}, display, ifAlias) (`,
    `  ((${value}) ${TOP})`,
    `    * on(${PORT}) group_left(ifAlias) librenms_port_info{${SEL}}`,
    `    * on(${DEVICE}) group_left(display) librenms_device_info{${SEL}}`,
    ')',
  ].join('\n');
const perDevice = (value: string) =>
  [
    'max by (librenms_instance, hostname, display) (',
    `  sum by (${DEVICE}) (${value})`,
    `    * on(${DEVICE}) group_left(display) librenms_device_info{${SEL}}`,
    ')',
  ].join('\n');

/** Every query of the port table: refId → column. */
export const PORT_COLUMNS: readonly (Query & { readonly column: string; readonly unit: string })[] = [
  { refId: 'A', column: 'In', unit: 'decbytes', expr: perPort(volume('receive')) },
  { refId: 'B', column: 'Out', unit: 'decbytes', expr: perPort(volume('transmit')) },
  { refId: 'C', column: 'Total', unit: 'decbytes', expr: perPort(volume()) },
  { refId: 'D', column: '95th in', unit: 'bps', expr: perPort(p95('receive')) },
  { refId: 'E', column: '95th out', unit: 'bps', expr: perPort(p95('transmit')) },
  { refId: 'F', column: 'Billable 95th', unit: 'bps', expr: perPort(billable) },
  {
    refId: 'G',
    column: 'Billable 95th / speed',
    unit: 'percentunit',
    expr: perPort(`${billable}\n      / on(${PORT}) (librenms_port_speed_bytes{${SEL}} * 8 > 0)`),
  },
  { refId: 'H', column: 'Speed', unit: 'bps', expr: perPort(`librenms_port_speed_bytes{${SEL}} * 8`) },
  { refId: 'I', column: 'Gaps', unit: 'none', expr: perPort(`count_over_time(port:librenms_port_poll:gap_seconds{${SEL}}${RANGE})`) },
];

const DEVICE_COLUMNS: readonly (Query & { readonly column: string })[] = [
  { refId: 'A', column: 'In', expr: perDevice(volume('receive')) },
  { refId: 'B', column: 'Out', expr: perDevice(volume('transmit')) },
  { refId: 'C', column: 'Total', expr: perDevice(volume()) },
];

function target(q: Query): object {
  return { datasource: DATASOURCE, refId: q.refId, expr: q.expr, legendFormat: '__auto', range: false, instant: true, format: 'table' };
}

const linkVars = 'var-datasource=${datasource}&${job:queryparam}&${instance:queryparam}&${librenms_instance:queryparam}&var-hostname=${__data.fields.hostname}';

function describe(c: MixinConfig, when: string, what: string): string {
  return [
    what,
    `over ${when}.`,
    'Volumes are the sum of the byte increments of every LibreNMS poll seen within the time range (recording rule port:librenms_port_bytes:increase_poll, one sample per poll): each poll is counted once, in one range only, a counter that restarted (a reboot) counts from 0, and the bytes of an outage of the exporter or of LibreNMS count in the first poll after it.',
    `95th percentile: of the per-poll average bit rate (port:librenms_port_bits:rate_poll), per direction; "Billable 95th" is the greater of the two, what most transit contracts bill. Polls that end a gap of more than ${c.traffic.gapPolls} poll intervals are not percentile samples: "Gaps" counts them (port:librenms_port_poll:gap_seconds; -1 samples mark where counting restarted after Prometheus was down).`,
    `Only the top $top ports by volume are listed (the "Ports listed" variable).`,
    'Export: panel menu → Inspect → Data → Download CSV (with "Formatted data" for human units, off for raw bytes).',
  ].join(' ');
}

function portTable(c: MixinConfig, p: { id: number; title: string; gridPos: PanelSpec['gridPos']; when: string; today: boolean }): PanelSpec {
  const override = (name: string, properties: object[]) => ({ matcher: { id: 'byName', options: name }, properties });
  return {
    type: 'table',
    title: p.title,
    id: p.id,
    datasource: DATASOURCE,
    gridPos: p.gridPos,
    description: describe(
      c,
      p.when,
      "Per port, top talkers first (sorted by Total; click a header to sort by another column): bytes received (In) and sent (Out), the port's alias and speed, and the 95th percentile of its bit rate",
    ),
    fieldConfig: {
      defaults: {
        custom: { align: 'auto', cellOptions: { type: 'auto' }, filterable: true },
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] },
        color: { mode: 'thresholds' },
      },
      overrides: [
        override('display', [
          { id: 'displayName', value: 'Device' },
          {
            id: 'links',
            value: [{ title: 'Open device dashboard', targetBlank: false, url: `/d/librenms-device/librenms-device?${linkVars}&\${__url_time_range}` }],
          },
        ]),
        override('ifName', [
          { id: 'displayName', value: 'Port' },
          {
            id: 'links',
            value: [
              {
                title: 'Open interface dashboard',
                targetBlank: false,
                url: `/d/librenms-interface/librenms-interface?${linkVars}&var-ifName=\${__data.fields.ifName}&\${__url_time_range}`,
              },
            ],
          },
        ]),
        override('ifAlias', [{ id: 'displayName', value: 'Alias' }]),
        ...PORT_COLUMNS.map((q) =>
          override(`Value #${q.refId}`, [
            { id: 'displayName', value: q.column },
            { id: 'unit', value: q.unit },
            { id: 'decimals', value: q.unit === 'decbytes' ? 2 : q.unit === 'percentunit' ? 1 : q.unit === 'none' ? 0 : null },
            ...(q.unit === 'percentunit'
              ? [
                  {
                    id: 'thresholds',
                    value: {
                      mode: 'absolute',
                      steps: [
                        { color: 'green', value: null },
                        { color: 'orange', value: c.thresholds.portBusyRatio },
                        { color: 'red', value: 0.95 },
                      ],
                    },
                  },
                  { id: 'custom.cellOptions', value: { type: 'color-text' } },
                ]
              : []),
          ]),
        ),
      ],
    },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      footer: { show: true, reducer: ['sum'], countRows: false, fields: ['Value #A', 'Value #B', 'Value #C'] },
      sortBy: [{ displayName: 'Total', desc: true }],
    },
    targets: PORT_COLUMNS.map(target),
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, job: true, instance: true, __name__: true },
          renameByName: {},
          indexByName: Object.fromEntries(
            ['display', 'ifName', 'ifAlias', ...PORT_COLUMNS.map((q) => `Value #${q.refId}`), 'hostname', 'ifIndex', 'librenms_instance'].map((k, i) => [k, i]),
          ),
        },
      },
    ],
    ...(p.today ? { timeFrom: 'now/d', hideTimeOverride: false } : {}),
  };
}

function deviceTable(c: MixinConfig, p: { id: number; title: string; gridPos: PanelSpec['gridPos']; when: string; today: boolean }): PanelSpec {
  return {
    type: 'table',
    title: p.title,
    id: p.id,
    datasource: DATASOURCE,
    gridPos: p.gridPos,
    description: describe(
      c,
      p.when,
      'Per device, top talkers first: the sum over its exported ports of the bytes received (In) and sent (Out) (every port, not only the listed ones). Sub-interfaces and VLAN interfaces count with their parents: leave them out with PORT_TYPE_EXCLUDE if that double-counts',
    ),
    fieldConfig: {
      defaults: {
        custom: { align: 'auto', cellOptions: { type: 'auto' }, filterable: true },
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] },
        color: { mode: 'thresholds' },
      },
      overrides: [
        {
          matcher: { id: 'byName', options: 'display' },
          properties: [
            { id: 'displayName', value: 'Device' },
            {
              id: 'links',
              value: [{ title: 'Open device dashboard', targetBlank: false, url: `/d/librenms-device/librenms-device?${linkVars}&\${__url_time_range}` }],
            },
          ],
        },
        ...DEVICE_COLUMNS.map((q) => ({
          matcher: { id: 'byName', options: `Value #${q.refId}` },
          properties: [
            { id: 'displayName', value: q.column },
            { id: 'unit', value: 'decbytes' },
            { id: 'decimals', value: 2 },
          ],
        })),
      ],
    },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      footer: { show: true, reducer: ['sum'], countRows: false, fields: ['Value #A', 'Value #B', 'Value #C'] },
      sortBy: [{ displayName: 'Total', desc: true }],
    },
    targets: DEVICE_COLUMNS.map(target),
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, job: true, instance: true, __name__: true },
          renameByName: {},
          indexByName: { display: 0, 'Value #A': 1, 'Value #B': 2, 'Value #C': 3, hostname: 4, librenms_instance: 5 },
        },
      },
    ],
    ...(p.today ? { timeFrom: 'now/d', hideTimeOverride: false } : {}),
  };
}

function stat(c: MixinConfig, p: { id: number; title: string; x: number; expr: string; unit: string; what: string }): PanelSpec {
  return {
    type: 'stat',
    title: p.title,
    id: p.id,
    datasource: DATASOURCE,
    gridPos: { h: 4, w: 6, x: p.x, y: 0 },
    description: describe(c, "the dashboard's time range", p.what),
    fieldConfig: {
      defaults: {
        unit: p.unit,
        decimals: p.unit === 'decbytes' ? 2 : 0,
        color: { mode: 'fixed', fixedColor: 'blue' },
        thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { values: false, calcs: ['lastNotNull'], fields: '' },
      orientation: 'auto',
      textMode: 'auto',
      colorMode: 'value',
      graphMode: 'none',
      justifyMode: 'auto',
      wideLayout: true,
      showPercentChange: false,
    },
    targets: [target({ refId: 'A', expr: p.expr })],
  };
}

export function dashboard(c: MixinConfig): object {
  const tz = c.traffic.billingTimeZone === 'UTC' ? 'utc' : c.traffic.billingTimeZone;
  const total = (direction: 'receive' | 'transmit') => `sum(max by (${PORT_ID}) (${volume(direction)}))`;
  const rows: RowSpec[] = [
    {
      type: 'row',
      title: `Time range of the dashboard (default: yesterday, ${c.traffic.billingTimeZone})`,
      id: 1,
      panels: [
        stat(c, {
          id: 2,
          title: 'Received',
          x: 0,
          unit: 'decbytes',
          expr: total('receive'),
          what: 'Bytes received by every selected port (all of them, not only the listed ones)',
        }),
        stat(c, {
          id: 3,
          title: 'Sent',
          x: 6,
          unit: 'decbytes',
          expr: total('transmit'),
          what: 'Bytes sent by every selected port (all of them, not only the listed ones)',
        }),
        stat(c, {
          id: 9,
          title: 'Ports with gaps',
          x: 12,
          unit: 'none',
          expr: `count(max by (${PORT_ID}) (count_over_time(port:librenms_port_poll:gap_seconds{${SEL}}${RANGE}))) or vector(0)`,
          what: 'Ports whose polls had a gap (exporter, Prometheus or LibreNMS down) in the time range: their volume is complete, their 95th percentile misses the gap',
        }),
        portTable(c, {
          id: 4,
          title: 'Traffic per port',
          gridPos: { h: 13, w: 24, x: 0, y: 4 },
          when: `the dashboard's time range (default: yesterday, midnight to midnight in ${c.traffic.billingTimeZone})`,
          today: false,
        }),
        deviceTable(c, {
          id: 5,
          title: 'Traffic per device',
          gridPos: { h: 9, w: 24, x: 0, y: 17 },
          when: `the dashboard's time range (default: yesterday, midnight to midnight in ${c.traffic.billingTimeZone})`,
          today: false,
        }),
      ],
    },
    {
      type: 'row',
      title: 'Today so far',
      id: 6,
      panels: [
        portTable(c, {
          id: 7,
          title: 'Today so far: traffic per port',
          gridPos: { h: 13, w: 24, x: 0, y: 0 },
          when: `today so far (since midnight in ${c.traffic.billingTimeZone}; this panel's own time range, whatever the dashboard's)`,
          today: true,
        }),
        deviceTable(c, {
          id: 8,
          title: 'Today so far: traffic per device',
          gridPos: { h: 9, w: 24, x: 0, y: 13 },
          when: `today so far (since midnight in ${c.traffic.billingTimeZone}; this panel's own time range, whatever the dashboard's)`,
          today: true,
        }),
      ],
    },
  ];
  const templating = {
    list: [
      DATASOURCE_VARIABLE,
      JOB_VARIABLE,
      INSTANCE_VARIABLE,
      LIBRENMS_INSTANCE_VARIABLE,
      {
        type: 'query',
        name: 'hostname',
        label: 'Device',
        description: 'LibreNMS devices in the report, listed as "display name / hostname" (type part of either to find one). All by default.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        definition:
          'query_result(max by (device, hostname) (label_join(librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}, "device", " / ", "display", "hostname")))',
        query: {
          qryType: 3,
          query:
            'query_result(max by (device, hostname) (label_join(librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}, "device", " / ", "display", "hostname")))',
          refId: 'PrometheusVariableQueryEditor-VariableQuery',
        },
        regex: '/device="(?<text>[^"]*)".*hostname="(?<value>[^"]*)"/',
        refresh: 2,
        sort: 5,
        current: {
          selected: true,
          text: ['All'],
          value: ['$__all'],
        },
        options: [],
        hide: 0,
        includeAll: true,
        multi: true,
        skipUrlSync: false,
        allValue: '.*',
      },
    ],
  };
  templating.list.push({
    type: 'custom',
    name: 'top',
    label: 'Ports listed',
    description:
      'How many ports the per-port tables list, the top talkers by volume: a bounded answer at any install size (All at 100k ports would be hundreds of MB). The totals and the per-device table count every port.',
    query: [...new Set([25, 50, 100, 500, 1000, 5000, c.traffic.defaultTopPorts])].sort((a, b) => a - b).join(','),
    current: { selected: true, text: String(c.traffic.defaultTopPorts), value: String(c.traffic.defaultTopPorts) },
    options: [],
    hide: 0,
    includeAll: false,
    multi: false,
    skipUrlSync: false,
  } as never);
  return board(
    {
      __requires: requires(['stat', 'table']),
      annotations: { list: [] },
      description: `Traffic report: bytes in and out per port and per device over the time range (default yesterday, ${c.traffic.billingTimeZone}) and today so far, with the 95th percentile in bits per second. Exact per LibreNMS poll. Export any table as CSV: panel menu → Inspect → Data.`,
      editable: true,
      fiscalYearStartMonth: 0,
      graphTooltip: 0,
      id: null,
      links: [dashboardLink('Overview', 'librenms-overview', 'All devices'), dashboardLink('Device', 'librenms-device', 'Per-device view')],
      liveNow: false,
      refresh: '',
      schemaVersion: 39,
      tags: ['librenms', 'network', 'report'],
      templating,
      time: { from: 'now-1d/d', to: 'now-1d/d' },
      timepicker: { refresh_intervals: ['5m', '15m', '1h'] },
      timezone: tz,
      title: 'LibreNMS traffic report',
      uid: 'librenms-traffic-report',
      version: 1,
      weekStart: '',
    },
    rows,
  );
}
