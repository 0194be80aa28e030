/**
 * Dashboard layout: a dashboard is a list of rows, each a title and its panels with positions relative
 * to the row. board() stacks the rows, so adding a row (a new collector's panels) is one entry in a
 * dashboard's `rows` list and moves nothing by hand.
 */

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  /** Relative to the top of the row's content (the line under the row header). */
  readonly y: number;
}

export interface PanelSpec {
  readonly gridPos: GridPos;
  readonly [key: string]: unknown;
}

export interface RowSpec {
  readonly title: string;
  readonly id: number;
  readonly panels: readonly PanelSpec[];
  readonly [key: string]: unknown;
}

/** The dashboard's panels: each row's header, then its panels, one row under the other. */
export function layout(rows: readonly RowSpec[]): object[] {
  const out: object[] = [];
  let top = 0;
  for (const { panels, ...row } of rows) {
    out.push({ collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: top }, ...row, panels: [] });
    const content = top + 1;
    let bottom = content;
    for (const p of panels) {
      out.push({ ...p, gridPos: { ...p.gridPos, y: content + p.gridPos.y } });
      bottom = Math.max(bottom, content + p.gridPos.y + p.gridPos.h);
    }
    top = bottom;
  }
  return out;
}

/** A dashboard's JSON: its settings, then its panels laid out from `rows`. */
export function board(settings: Record<string, unknown>, rows: readonly RowSpec[]): object {
  return { ...settings, panels: layout(rows) };
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** What every panel starts with, after its type: title, id, the data source variable, position, description. */
function header(p: { id: number; title: string; description: string; gridPos: GridPos }): { gridPos: GridPos } & Record<string, unknown> {
  return { title: p.title, id: p.id, datasource: DATASOURCE, gridPos: p.gridPos, description: p.description };
}

export interface Query {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  /** Instant (stat, table) rather than range (timeseries). */
  readonly instant?: boolean;
  readonly format?: 'time_series' | 'table';
}

function targets(queries: readonly Query[], instant: boolean): object[] {
  return queries.map((q) => ({
    datasource: DATASOURCE,
    refId: q.refId,
    expr: q.expr,
    legendFormat: q.legendFormat ?? '__auto',
    range: !(q.instant ?? instant),
    instant: q.instant ?? instant,
    format: q.format ?? 'time_series',
  }));
}

/** A stat panel with value mappings (e.g. an enum) or a unit. */
export function statPanel(p: {
  id: number;
  title: string;
  description: string;
  gridPos: GridPos;
  queries: readonly Query[];
  unit?: string;
  mappings?: readonly { value: string; text: string; color: string }[];
  /** A count of problems: green at 0, this colour from 1 on (background). */
  problemColor?: string;
}): PanelSpec {
  return {
    type: 'stat',
    ...header(p),
    fieldConfig: {
      defaults: {
        unit: p.unit ?? 'none',
        mappings:
          p.mappings === undefined
            ? []
            : [{ type: 'value', options: Object.fromEntries(p.mappings.map((m, i) => [m.value, { text: m.text, color: m.color, index: i }])) }],
        thresholds: {
          mode: 'absolute',
          steps:
            p.problemColor === undefined
              ? [{ color: 'text', value: null }]
              : [
                  { color: 'green', value: null },
                  { color: p.problemColor, value: 1 },
                ],
        },
        color: { mode: 'thresholds' },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { values: false, calcs: ['lastNotNull'], fields: '' },
      orientation: 'auto',
      textMode: 'value',
      colorMode: p.problemColor === undefined ? 'value' : 'background',
      graphMode: 'none',
      justifyMode: 'auto',
    },
    targets: targets(p.queries, true),
  };
}

/** A time series panel; `negativeY` names the series drawn below the axis (transmit). */
export function timeseriesPanel(p: {
  id: number;
  title: string;
  description: string;
  gridPos: GridPos;
  queries: readonly Query[];
  unit: string;
  negativeY?: string;
}): PanelSpec {
  return {
    type: 'timeseries',
    ...header(p),
    fieldConfig: {
      defaults: {
        unit: p.unit,
        custom: { drawStyle: 'line', lineInterpolation: 'stepAfter', fillOpacity: 10, showPoints: 'never', spanNulls: false },
        color: { mode: 'palette-classic' },
      },
      overrides:
        p.negativeY === undefined
          ? []
          : [{ matcher: { id: 'byFrameRefID', options: p.negativeY }, properties: [{ id: 'custom.transform', value: 'negative-Y' }] }],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
    targets: targets(p.queries, false),
  };
}

const PANEL_NAMES: Readonly<Record<string, string>> = { stat: 'Stat', table: 'Table', timeseries: 'Time series', 'state-timeline': 'State timeline' };

/** `__requires` of a dashboard: Grafana 10.4, Prometheus, and the panel types it uses. */
export function requires(panels: readonly (keyof typeof PANEL_NAMES)[]): object[] {
  return [
    { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' },
    { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
    ...panels.map((id) => ({ type: 'panel', id, name: PANEL_NAMES[id] ?? id, version: '' })),
  ];
}

/** A link to another of the dashboards, keeping the variables and the time range. */
export function dashboardLink(title: string, uid: string, tooltip: string): object {
  return {
    type: 'link',
    title,
    url: `/d/${uid}/${uid}`,
    icon: 'dashboard',
    tooltip,
    includeVars: true,
    keepTime: true,
    asDropdown: false,
    targetBlank: false,
    tags: [],
  };
}

/** A table's `display` column shown as "Device", linking to that device's dashboard with the variables and time range. */
export function deviceColumnOverride(): object {
  return {
    matcher: { id: 'byName', options: 'display' },
    properties: [
      { id: 'displayName', value: 'Device' },
      {
        id: 'links',
        value: [
          {
            title: 'Open device dashboard',
            targetBlank: false,
            url: '/d/librenms-device/librenms-device?var-datasource=${datasource}&var-rate_window=${rate_window}&${job:queryparam}&${instance:queryparam}&${librenms_instance:queryparam}&var-hostname=${__data.fields.hostname}&${__url_time_range}',
          },
        ],
      },
    ],
  };
}

/** Value mappings of an enum: the number as text, its name and colour. */
export type Mappings = readonly { readonly value: string; readonly text: string; readonly color: string }[];

/** A column of a table panel: its display name, and a unit or value mappings (an enum). */
export interface Column {
  readonly title: string;
  readonly unit?: string;
  readonly mappings?: Mappings;
}

/**
 * A table of instant queries (format table) merged on their labels: `columns` names the shown fields
 * in order (a label, or `Value #<refId>`); Time, job, instance, hostname and `hidden` are left out.
 */
export function tablePanel(p: {
  id: number;
  title: string;
  description: string;
  gridPos: GridPos;
  queries: readonly Query[];
  columns: Readonly<Record<string, Column>>;
  hidden?: readonly string[];
  sortBy?: string;
}): PanelSpec {
  const fields = Object.keys(p.columns);
  return {
    type: 'table',
    ...header(p),
    fieldConfig: {
      defaults: { custom: { align: 'auto', cellOptions: { type: 'auto' }, filterable: false }, color: { mode: 'thresholds' } },
      overrides: Object.entries(p.columns).map(([field, c]) => ({
        matcher: { id: 'byName', options: field },
        properties: [
          { id: 'displayName', value: c.title },
          ...(c.unit === undefined ? [] : [{ id: 'unit', value: c.unit }]),
          ...(c.mappings === undefined
            ? []
            : [
                {
                  id: 'mappings',
                  value: [{ type: 'value', options: Object.fromEntries(c.mappings.map((m, i) => [m.value, { text: m.text, color: m.color, index: i }])) }],
                },
                { id: 'custom.cellOptions', value: { type: 'color-text' } },
              ]),
        ],
      })),
    },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      footer: { show: false, reducer: ['sum'], countRows: false, fields: '' },
      sortBy: [{ displayName: p.columns[p.sortBy ?? fields[0] ?? '']?.title ?? '', desc: false }],
    },
    targets: targets(
      p.queries.map((q) => ({ ...q, format: 'table' as const })),
      true,
    ),
    transformations: [
      ...(p.queries.length > 1 ? [{ id: 'merge', options: {} }] : []),
      {
        id: 'organize',
        options: {
          excludeByName: Object.fromEntries(['Time', 'job', 'instance', 'hostname', '__name__', ...(p.hidden ?? [])].map((f) => [f, true])),
          indexByName: Object.fromEntries(fields.map((f, i) => [f, i])),
        },
      },
    ],
  };
}
