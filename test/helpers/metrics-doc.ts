/**
 * Builds docs/metrics.md from the collectors' own list and the metric catalog, so the page can never
 * drift from what the exporter writes. `npm run docs:metrics` (test/tools/write-metrics-doc.ts) writes
 * it; test/docs.test.ts fails when the committed page differs from what this returns.
 *
 * One section per collector (src/collectors/index.ts: what it exports, whether it is on by default,
 * the LibreNMS routes it reads, its families), then the exporter's own families, then any family of
 * the catalog no collector writes ("Other"): adding a collector or a family never needs a change here.
 */
import type { Collector } from '../../src/collectors/collector.js';
import { COLLECTORS } from '../../src/collectors/index.js';
import * as catalog from '../../src/exposition/catalog.js';

interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly labels: readonly string[];
  readonly source: string;
}

const INTRO = `# Metrics

<!-- Generated from src/collectors/index.ts and src/exposition/catalog.ts by \`npm run docs:metrics\`. Do
not edit by hand: change them and run the command again. test/docs.test.ts fails when this page is out of date. -->

Every metric family the exporter writes, collector by collector, with its labels and the LibreNMS field
its value comes from. This page is generated from the collectors' list and the metric catalog, the same
lists the exporter, the dashboards and the alert rules are tested against. \`COLLECTORS\` switches
collectors on and off (the \`devices\` collector is always on: every other one needs the device list).

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
- The \`librenms_\` prefix and every name on this page are fixed: there is no setting to change them.
  LibreNMS's own Prometheus push integration grew a configurable prefix because its users asked for one
  ([librenms#13272](https://github.com/librenms/librenms/pull/13272)), but here the shipped alert rules,
  recording rules and dashboards all depend on these names;
  a prefix setting would silently break every one of them. To store the series under other names, rename
  them in Prometheus at scrape time with \`metric_relabel_configs\` (and adapt the rules and dashboards
  you then use), for example:

  \`\`\`yaml
  metric_relabel_configs:
    - source_labels: [__name__]
      regex: librenms_(.+)
      target_label: __name__
      replacement: netops_librenms_$1
  \`\`\`
`;

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

/** The whole docs/metrics.md, ending with one newline, for `collectors` (by default the exporter's). */
export function renderMetricsDoc(collectors: readonly Collector[] = COLLECTORS): string {
  const byName = new Map<string, Family>(catalog.ALL_FAMILIES.map((f) => [f.name, f]));
  const written = new Set<string>(collectors.flatMap((c) => c.families));
  const parts = [INTRO];
  for (const c of collectors) {
    const families = c.families.flatMap((name) => byName.get(name) ?? []);
    const routes = c.endpoints.map((e) => `\`${e}\``).join(', ');
    parts.push(
      `## Collector \`${c.name}\`\n\n${c.description.charAt(0).toUpperCase()}${c.description.slice(1)}. ${c.enabledByDefault ? 'On by default' : 'Off by default'}; reads ${routes === '' ? 'nothing itself' : routes}.\n\n${table(families)}\n`,
    );
  }
  const exporter = catalog.EXPORTER_FAMILIES.filter((f) => !written.has(f.name));
  parts.push(`## The exporter itself\n\n${table(exporter)}\n`);
  const other = catalog.ALL_FAMILIES.filter((f) => !written.has(f.name) && !exporter.includes(f as (typeof exporter)[number]));
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
  are not exported.
- BGP series are identified by \`hostname\`, \`peer_address\` (LibreNMS's \`bgpPeerIdentifier\` as stored: an
  IPv6 address may be written out in full), \`remote_as\` and \`vrf\`: the VRF's name from
  \`/routing/vrf\` by the peer's \`vrf_id\`, else its \`context_name\` (the SNMP context, such as a routing
  instance) when not empty, else empty. Prefix series add \`afi\` and \`safi\`; a peer whose device reports
  no per-family counters has none.
- \`librenms_bgp_peer_state\` is BGP4-MIB's bgpPeerState: 1 idle, 2 connect, 3 active, 4 opensent,
  5 openconfirm, 6 established; \`librenms_ospf_neighbor_state\` is ospfNbrState: 1 down, 2 attempt, 3 init,
  4 twoWay, 5 exchangeStart, 6 exchange, 7 loading, 8 full. LibreNMS stores the names; any other name
  (Junos's \`unknown\`) is left out.
- \`librenms_service_status\` is the check plugin's exit code as LibreNMS stores it: 0 OK, 1 WARNING,
  2 CRITICAL, 3 UNKNOWN, and 126 or 127 when the plugin could not run.
- \`librenms_poller_*\` describe LibreNMS itself, not a device: only a scrape of the whole install (not
  \`?group=\` or \`/probe\`) has them. \`kind\` is \`dispatcher\` (librenms-service.py) or \`wrapper\` (the
  cron poller-wrapper.py; LibreNMS lists its rows only while no dispatcher node ever reported).${processNote === '' ? '' : `\n\n${processNote}`}
`);
  return `${parts.join('\n')}`;
}
