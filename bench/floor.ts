/**
 * The physical floor of one refresh, measured on the same data: JSON.parse of the LibreNMS responses
 * plus a minimal exposition writer over the same series (no validation, no mapping, no dedupe;
 * the benchmark prints when its series count differs from the exporter's, so a family added to the
 * exporter and not here cannot flatter the ratios);
 * floor-child.ts adds the fetch and gzip level 1 of the bytes, in a process of its own.
 * Exporter figures are printed as ratios to it.
 */
import { DEVICE_FAMILIES, PORT_FAMILIES } from '../src/exposition/catalog.js';

const esc = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[\\"\n]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : s;
};

const PORT_VALUES: readonly [string, string][] = [
  ['librenms_port_up', 'ifOperStatus'],
  ['librenms_port_oper_status', 'ifOperStatus'],
  ['librenms_port_admin_status', 'ifAdminStatus'],
  ['librenms_port_speed_bytes', 'ifSpeed'],
  ['librenms_port_mtu_bytes', 'ifMtu'],
  ['librenms_port_last_polled_timestamp_seconds', 'poll_time'],
  ['librenms_port_last_change_timestamp_seconds', 'ifLastChange'],
  ['librenms_port_receive_bytes_total', 'ifInOctets'],
  ['librenms_port_transmit_bytes_total', 'ifOutOctets'],
  ['librenms_port_receive_unicast_packets_total', 'ifInUcastPkts'],
  ['librenms_port_transmit_unicast_packets_total', 'ifOutUcastPkts'],
  ['librenms_port_receive_errors_total', 'ifInErrors'],
  ['librenms_port_transmit_errors_total', 'ifOutErrors'],
  ['librenms_port_receive_bytes_per_second', 'ifInOctets_rate'],
  ['librenms_port_transmit_bytes_per_second', 'ifOutOctets_rate'],
  ['librenms_port_duplex', 'ifDuplex'],
  ['librenms_port_ignored', 'ignore'],
];

/** The counter columns whose value the exporter leaves out when a poll lost it (each its own). */
const COUNTER_OF: Readonly<Record<string, string>> = Object.fromEntries(
  ['ifInOctets', 'ifOutOctets', 'ifInUcastPkts', 'ifOutUcastPkts', 'ifInErrors', 'ifOutErrors'].map((c) => [c, c]),
);

/** Parses and writes; returns the bytes written (in ~1 MiB chunks, for the gzip of the floor) and the series count. */
export function floorRefresh(devicesJson: string, portsJson: string): { bytes: number; series: number; chunks: Buffer[] } {
  const devices = (JSON.parse(devicesJson) as { devices: Record<string, unknown>[] }).devices;
  const allPorts = (JSON.parse(portsJson) as { ports: Record<string, unknown>[] }).ports;
  const hostnames = new Map<unknown, string>();
  const upDevices = new Set<unknown>();
  const parts: string[] = [];
  let current = '';
  let series = 0;
  const put = (line: string): void => {
    current += line;
    if (current.length > 1 << 20) {
      parts.push(current);
      current = '';
    }
  };
  for (const f of DEVICE_FAMILIES) put(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`);
  for (const d of devices) {
    // What the exporter leaves out, the floor leaves out too: disabled devices, deleted and disabled ports.
    if (Number(d['disabled']) === 1) continue;
    hostnames.set(d['device_id'], esc(d['hostname']));
    const h = `{hostname="${esc(d['hostname'])}"}`;
    put(
      `librenms_device_info{hostname="${esc(d['hostname'])}",sysName="${esc(d['sysName'])}",display="${esc(d['display'])}",os="${esc(d['os'])}",hardware="${esc(d['hardware'])}",version="${esc(d['version'])}",location="${esc(d['location'])}",device_type="${esc(d['type'])}"} 1\n`,
    );
    put(`librenms_device_up${h} ${Number(d['status'])}\n`);
    put(`librenms_device_poll_duration_seconds${h} ${Number(d['last_polled_timetaken'])}\n`);
    put(`librenms_device_last_polled_timestamp_seconds${h} 1\n`);
    put(`librenms_device_ignored${h} ${Number(d['ignore'])}\n`);
    put(`librenms_device_notify_disabled${h} ${Number(d['disable_notify'])}\n`);
    series += 6;
    // A down device's uptime and ping time are stale: the exporter leaves them out.
    if (Number(d['status']) === 1) {
      upDevices.add(d['device_id']);
      put(`librenms_device_uptime_seconds${h} ${Number(d['uptime'])}\n`);
      put(`librenms_device_ping_seconds${h} ${Number(d['last_ping_timetaken']) / 1000}\n`);
      series += 2;
    }
    if (Number(d['status']) === 0 && d['status_reason']) {
      put(`librenms_device_down_reason_info{hostname="${esc(d['hostname'])}",reason="${esc(d['status_reason'])}"} 1\n`);
      series++;
    }
  }
  const ports = allPorts.filter((p) => hostnames.has(p['device_id']) && Number(p['deleted']) !== 1 && Number(p['disabled']) !== 1);
  const labels = ports.map((p) => `{hostname="${hostnames.get(p['device_id']) ?? ''}",ifName="${esc(p['ifName'])}",ifIndex="${esc(p['ifIndex'])}"}`);
  for (const f of PORT_FAMILIES) put(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`);
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i] as Record<string, unknown>;
    put(
      `librenms_port_info{hostname="${hostnames.get(p['device_id']) ?? ''}",ifName="${esc(p['ifName'])}",ifIndex="${esc(p['ifIndex'])}",ifDescr="${esc(p['ifDescr'])}",ifAlias="${esc(p['ifAlias'])}",ifType="${esc(p['ifType'])}",port_id="${esc(p['port_id'])}"} 1\n`,
    );
    series++;
  }
  for (const [name, column] of PORT_VALUES) {
    // A counter a poll lost (0 beside a larger `_prev`) is left out with its rate, as the exporter does.
    const counter = COUNTER_OF[column] ?? (column.endsWith('_rate') ? column.slice(0, -'_rate'.length) : undefined);
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i] as Record<string, unknown>;
      const v = p[column];
      if (v === null || v === undefined) continue;
      if (counter !== undefined && Number(p[counter]) === 0 && Number(p[`${counter}_prev`]) > 0) continue;
      // A last change needs the device's uptime, which a down device does not export.
      if (column === 'ifLastChange' && !upDevices.has(p['device_id'])) continue;
      put(`${name}${labels[i]} ${typeof v === 'number' ? v : 1}\n`);
      series++;
    }
  }
  parts.push(current);
  const chunks = parts.map((part) => Buffer.from(part, 'utf8'));
  return { bytes: chunks.reduce((n, c) => n + c.length, 0), series, chunks };
}
