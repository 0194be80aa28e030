/**
 * Builds docs/metrics.md from the metric catalog, so the page can never drift from what the exporter
 * writes. `npm run docs:metrics` (test/tools/write-metrics-doc.ts) writes it; test/docs.test.ts fails
 * when the committed page differs from what this returns.
 *
 * Sections come from the catalog's `*_FAMILIES` arrays, in the order below; an array this file does not
 * know yet gets a section named after it, and a family of `ALL_FAMILIES` that is in no array lands in
 * "Other", so adding a family or a group to the catalog never needs a change here.
 */
import * as catalog from '../../src/exposition/catalog.js';

interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly labels: readonly string[];
  readonly source: string;
}

/** Section titles and order of the arrays known today. */
const SECTIONS: Readonly<Record<string, string>> = {
  DEVICE_FAMILIES: 'Devices (collector `devices`)',
  PORT_FAMILIES: 'Ports (collector `ports`)',
  ALERT_FAMILIES: 'LibreNMS alerts (collector `alerts`)',
  SENSOR_FAMILIES: 'Sensors (collector `sensors`)',
  EXPORTER_FAMILIES: 'The exporter itself',
};

const INTRO = `# Metrics

<!-- Generated from src/exposition/catalog.ts by \`npm run docs:metrics\`. Do not edit by hand: change the
catalog and run the command again. test/docs.test.ts fails when this page is out of date. -->

Every metric family the exporter writes, with its labels and the LibreNMS field its value comes from.
This page is generated from the metric catalog, the same list the exporter, the dashboards and the alert
rules are tested against.

- Values read from LibreNMS change once per LibreNMS poll (about 5 minutes), however often Prometheus
  scrapes. Use \`rate()\` windows of at least 10 minutes, or the exact rates of the recording rules: see
  [prometheus.md](prometheus.md#rates-of-librenms-counters).
- Port series are identified by \`hostname\`, \`ifName\` and \`ifIndex\`; device series by \`hostname\`.
  Descriptive text is only on the \`*_info\` metrics (always 1): join it in PromQL with \`group_left\`
  ([prometheus.md](prometheus.md#labels-and-joins)).
- With several LibreNMS instances (\`LIBRENMS_INSTANCES_FILE\`) every series read from LibreNMS, and the
  exporter's per-instance series (\`librenms_up\`, the collector and API request metrics), also carry
  \`librenms_instance\`.
- Unknown values (\`null\`, \`""\`, negative counters, an unknown status) are left out, never written as 0.
`;

function isFamily(value: unknown): value is Family {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f['name'] === 'string' &&
    typeof f['type'] === 'string' &&
    typeof f['help'] === 'string' &&
    typeof f['source'] === 'string' &&
    Array.isArray(f['labels']) &&
    f['labels'].every((label) => typeof label === 'string')
  );
}

function isFamilyList(value: unknown): value is readonly Family[] {
  return Array.isArray(value) && value.every(isFamily);
}

/** `NEW_THING_FAMILIES` → `New thing`. */
function titleOf(exportName: string): string {
  const words = exportName
    .replace(/_FAMILIES$/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function table(families: readonly Family[]): string {
  const rows = families.map((f) => {
    const labels = f.labels.length === 0 ? '–' : f.labels.map((label) => `\`${label}\``).join(', ');
    return `| \`${f.name}\` | ${f.type} | ${labels} | ${cell(f.help)} | ${cell(f.source)} |`;
  });
  return ['| Metric | Type | Labels | Meaning | LibreNMS source |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The whole docs/metrics.md, ending with one newline. */
export function renderMetricsDoc(): string {
  const exported = Object.entries(catalog as Record<string, unknown>);
  const groups = exported.filter(([name, value]) => name.endsWith('_FAMILIES') && name !== 'ALL_FAMILIES' && isFamilyList(value)) as [
    string,
    readonly Family[],
  ][];
  const known = Object.keys(SECTIONS);
  const rank = (name: string): number => (known.includes(name) ? known.indexOf(name) : known.length);
  groups.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));

  const all = (catalog as Record<string, unknown>)['ALL_FAMILIES'];
  const allFamilies: readonly Family[] = isFamilyList(all) ? all : groups.flatMap(([, families]) => families);
  const listed = new Set(groups.flatMap(([, families]) => families.map((f) => f.name)));
  const other = allFamilies.filter((f) => !listed.has(f.name));

  const parts = [INTRO];
  for (const [name, families] of groups) {
    if (families.length === 0) continue;
    parts.push(`## ${SECTIONS[name] ?? titleOf(name)}\n\n${table(families)}\n`);
  }
  if (other.length > 0) parts.push(`## Other\n\n${table(other)}\n`);

  const prefixes = (catalog as Record<string, unknown>)['DEFAULT_METRIC_PREFIXES'];
  const processNote =
    Array.isArray(prefixes) && prefixes.length > 0
      ? `Plus prom-client's default process and Node.js metrics (${prefixes.map((p) => `\`${String(p)}*\``).join(', ')}) on \`/metrics\`.`
      : '';
  parts.push(`## Codes and units

- \`librenms_port_oper_status\` is IF-MIB's ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant,
  6 notPresent, 7 lowerLayerDown. \`librenms_port_admin_status\` is ifAdminStatus: 1 up, 2 down, 3 testing.
- Bytes, not bits, as Prometheus's base units ask: multiply by 8 in the query for bits per second.
  \`librenms_port_speed_bytes\` is ifSpeed / 8, so utilisation is a plain division.
- \`librenms_sensor_*\` values are in the unit of their \`sensor_class\`: temperature °C, dbm dBm, voltage V,
  current A, power W, fanspeed RPM, humidity %, frequency Hz.
- \`librenms_alert_active{state}\` is one of active, acknowledged, worse, better, changed; recovered alerts
  are not exported.${processNote === '' ? '' : `\n\n${processNote}`}
`);
  return `${parts.join('\n')}`;
}
