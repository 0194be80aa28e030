/**
 * Helpers for the Grafana dashboards in grafana/dashboards: load them, list every PromQL query with its
 * panel, substitute Grafana template variables with concrete values, and inspect PromQL with the
 * Prometheus lezer grammar. Used by test/grafana-dashboards.test.ts and by the end-to-end test that runs
 * every panel query against a real Prometheus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/schema';
import { parser } from '@prometheus-io/lezer-promql';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DASHBOARD_DIR = join(REPO_ROOT, 'grafana', 'dashboards');
export const PROVISIONING_DIR = join(REPO_ROOT, 'grafana', 'provisioning');

export interface LoadedDashboard {
  /** File name inside grafana/dashboards, e.g. "librenms-overview.json". */
  readonly file: string;
  readonly json: Dashboard;
}

/** Every *.json file of grafana/dashboards (or `dir`), parsed, sorted by file name. Throws on invalid JSON. */
export function loadDashboards(dir: string = DASHBOARD_DIR): LoadedDashboard[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, json: JSON.parse(text) as Dashboard };
      } catch (err) {
        throw new Error(`${file}: invalid JSON: ${(err as Error).message}`);
      }
    });
}

export type AnyPanel = Panel | RowPanel;

function isRow(p: AnyPanel): p is RowPanel {
  return p.type === 'row';
}

/** All panels, rows included, with the panels nested in (collapsed) rows after their row. */
export function allPanels(dashboard: Dashboard): AnyPanel[] {
  const out: AnyPanel[] = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    if (isRow(p)) out.push(...(p.panels ?? []));
  }
  return out;
}

export interface PanelQuery {
  readonly panelId: number;
  readonly panelTitle: string;
  readonly panelType: string;
  readonly refId: string;
  /** The PromQL expression with Grafana variables still in it. */
  readonly expr: string;
  /** True for instant queries (stat and table panels), false for range queries. */
  readonly instant: boolean;
  readonly legendFormat?: string;
}

interface PromTarget {
  refId?: string;
  expr?: string;
  instant?: boolean;
  range?: boolean;
  legendFormat?: string;
  hide?: boolean;
}

/** Every non-hidden PromQL target of every panel, recursing into rows. */
export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const p of allPanels(dashboard)) {
    if (isRow(p)) continue;
    for (const raw of (p.targets ?? []) as PromTarget[]) {
      if (raw.hide === true || typeof raw.expr !== 'string' || raw.expr.trim() === '') continue;
      const q: PanelQuery = {
        panelId: p.id ?? -1,
        panelTitle: p.title ?? '',
        panelType: p.type,
        refId: raw.refId ?? '',
        expr: raw.expr,
        instant: raw.instant === true && raw.range !== true,
        ...(raw.legendFormat === undefined ? {} : { legendFormat: raw.legendFormat }),
      };
      out.push(q);
    }
  }
  return out;
}

/** Template variables of a dashboard (templating.list). */
export function variables(dashboard: Dashboard): VariableModel[] {
  return dashboard.templating?.list ?? [];
}

/** The query string of a query variable, whether stored as a string or as `{ query: "..." }`. */
export function variableQuery(v: VariableModel): string | undefined {
  const q: unknown = v.query;
  if (typeof q === 'string') return q;
  if (q !== null && typeof q === 'object' && typeof (q as { query?: unknown }).query === 'string') {
    return (q as { query: string }).query;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Variable substitution

export type VarValue = string | readonly string[];

export interface TemplateVars {
  hostname: VarValue;
  ifName: VarValue;
  /** Defaults to "10m", the dashboards' default. */
  rate_window?: VarValue;
  /** Any other dashboard variable, or a built-in such as __range to override its default. */
  [name: string]: VarValue | undefined;
}

/**
 * Concrete values for Grafana's built-in variables, as for a 1-hour range at a 1-minute step.
 * `$__rate_interval` is deliberately short (what Grafana computes for a 15 s scrape interval), so a
 * test that checks rate windows against LibreNMS's 5-minute poll catches panels that use it.
 */
export const BUILTIN_DEFAULTS: Readonly<Record<string, string>> = {
  __interval: '1m',
  __interval_ms: '60000',
  __rate_interval: '1m',
  __rate_interval_ms: '60000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
  __from: '1700000000000',
  __to: '1700003600000',
  __dashboard: 'librenms',
  __org: '1',
  __user: 'admin',
};

const REGEX_SPECIAL = /[$^*{}[\]'+?.()|\\]/g;

/**
 * Escape a value for a regex matcher inside a double-quoted PromQL string, like Grafana's Prometheus
 * data source does for multi-value variables: "192.168.56.10" becomes 192\\.168\\.56\\.10 in the query text.
 */
export function promRegexEscape(value: string): string {
  return value.replace(REGEX_SPECIAL, (c) => `\\\\${c}`);
}

function formatValue(name: string, value: VarValue, format: string | undefined): string {
  const values = typeof value === 'string' ? [value] : [...value];
  switch (format) {
    case undefined:
      // Grafana's Prometheus default: a single value as is, several values regex-escaped and ORed.
      if (typeof value === 'string') return value;
      if (values.length === 1) return promRegexEscape(values[0] ?? '');
      return `(${values.map(promRegexEscape).join('|')})`;
    case 'regex':
      return values.length === 1 ? promRegexEscape(values[0] ?? '') : `(${values.map(promRegexEscape).join('|')})`;
    case 'raw':
    case 'text':
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'doublequote':
      return values.map((v) => `"${v}"`).join(',');
    case 'singlequote':
      return values.map((v) => `'${v}'`).join(',');
    case 'json':
      return JSON.stringify(values.length === 1 ? values[0] : values);
    case 'queryparam':
      return values.map((v) => `var-${name}=${encodeURIComponent(v)}`).join('&');
    default:
      throw new Error(`unsupported format ":${format}" for variable ${name}`);
  }
}

// $name | [[name]] | [[name:fmt]] | ${name} | ${name:fmt}  (the same forms as Grafana's template service)
const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/**
 * Replace Grafana template variables in `expr` with concrete values: `$var`, `${var}`, `${var:regex}`,
 * `${var:raw}` (and the other formats), `[[var]]`, and built-ins such as `$__rate_interval`, `$__interval`,
 * `$__range`, `$__range_s`. `rate_window` defaults to 10m. Throws on a variable it has no value for, so a
 * query with a typo in a variable name fails loudly instead of reaching Prometheus half-substituted.
 */
export function substituteVariables(expr: string, vars: TemplateVars): string {
  const values: Record<string, VarValue> = { ...BUILTIN_DEFAULTS, rate_window: '10m' };
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) values[k] = v;
  return expr.replace(VARIABLE_RE, (match, plain?: string, bracket?: string, bracketFmt?: string, braced?: string, _path?: string, bracedFmt?: string) => {
    const name = plain ?? bracket ?? braced;
    if (name === undefined) return match;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for variable $${name} in: ${expr}`);
    return formatValue(name, value, bracketFmt ?? bracedFmt);
  });
}

// ---------------------------------------------------------------------------------------------------------
// PromQL inspection with the lezer grammar

export interface PromqlSyntaxError {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** Error nodes (⚠) in the lezer parse of `expr`; empty when it parses. An empty expression is an error. */
export function promqlErrors(expr: string): PromqlSyntaxError[] {
  if (expr.trim() === '') return [{ from: 0, to: 0, text: '' }];
  const errors: PromqlSyntaxError[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push({ from: node.from, to: node.to, text: expr.slice(node.from, node.to) });
    },
  });
  return errors;
}

function unquote(literal: string): string {
  if (literal.length >= 2 && (literal.startsWith('"') || literal.startsWith("'") || literal.startsWith('`'))) {
    return literal.slice(1, -1);
  }
  return literal;
}

/**
 * Metric names selected by `expr`, taken from the syntax tree: the identifier of each vector selector,
 * a quoted metric name (`{"name"}`), and `__name__="..."` equality matchers. Label names in on(), by()
 * etc. and function names are not metric names and are not returned.
 */
export function metricNames(expr: string): Set<string> {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter(ref) {
      const parent = ref.node.parent;
      if (ref.name === 'Identifier' && parent?.name === 'VectorSelector') {
        names.add(expr.slice(ref.from, ref.to));
      } else if (ref.name === 'QuotedLabelName' && parent?.name === 'LabelMatchers') {
        names.add(unquote(expr.slice(ref.from, ref.to)));
      } else if (ref.name === 'UnquotedLabelMatcher' || ref.name === 'QuotedLabelMatcher') {
        const label = ref.node.getChild('LabelName') ?? ref.node.getChild('QuotedLabelName');
        const op = ref.node.getChild('MatchOp');
        const value = ref.node.getChild('StringLiteral', 'MatchOp');
        if (!label || !op || !value) return;
        const labelName = unquote(expr.slice(label.from, label.to));
        if (labelName === '__name__' && op.getChild('EqlSingle')) names.add(unquote(expr.slice(value.from, value.to)));
      }
    },
  });
  return names;
}

/** Range durations (`[10m]`, `[1h:5m]` gives 1h) in `expr`, in seconds, from the syntax tree. */
export function rangeDurationsSeconds(expr: string): number[] {
  const out: number[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'MatrixSelector' && ref.name !== 'SubqueryExpr') return;
      const d = ref.node.getChild('DurationExpr');
      if (d) out.push(parseDurationSeconds(expr.slice(d.from, d.to)));
    },
  });
  return out;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** Parses a Prometheus duration such as "10m", "1h30m" or "90" (seconds). NaN when it is not one. */
export function parseDurationSeconds(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? Number.NaN);
    consumed = re.lastIndex;
  }
  return consumed === t.length && consumed > 0 ? total : Number.NaN;
}

/**
 * The PromQL inside a Prometheus query-variable query: `label_values(sel, label)` gives `sel`,
 * `query_result(expr)` gives `expr`, `metrics(re)` and `label_names()` give nothing; anything else is
 * returned as is. Undefined when there is no PromQL to check.
 */
export function variableQueryPromql(query: string): string | undefined {
  const q = query.trim();
  const lv = /^label_values\((.*),\s*([\w.]+)\s*\)$/s.exec(q);
  if (lv) return lv[1];
  if (/^label_values\(\s*[\w.]+\s*\)$/.test(q)) return undefined;
  const qr = /^query_result\((.*)\)$/s.exec(q);
  if (qr) return qr[1];
  if (/^(metrics|label_names)\(/.test(q)) return undefined;
  return q;
}

/**
 * Applies a Grafana variable regex such as `/display="(?<text>[^"]*)".*hostname="(?<value>[^"]*)"/` to one
 * line of a query_result() answer, as Grafana does: named groups text/value, else the first group.
 */
export function applyVariableRegex(regex: string, line: string): { text: string; value: string } | undefined {
  const m = /^\/(.*)\/([gimsuy]*)$/s.exec(regex);
  const re = m ? new RegExp(m[1] ?? '', (m[2] ?? '').replace('g', '')) : new RegExp(regex);
  const found = re.exec(line);
  if (!found) return undefined;
  const groups = found.groups ?? {};
  const value = groups['value'] ?? groups['text'] ?? found[1] ?? found[0];
  const text = groups['text'] ?? value;
  return { text, value };
}

/** Every string in a JSON value, with its JSON path, for checks that look at URLs and datasource refs. */
export function walkJson(value: unknown, visit: (path: string, key: string, value: unknown, parent: unknown) => void, path = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      visit(`${path}[${i}]`, String(i), v, value);
      walkJson(v, visit, `${path}[${i}]`);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(`${path}.${k}`, k, v, value);
      walkJson(v, visit, `${path}.${k}`);
    }
  }
}
