/**
 * Dashboard rows of the routing, services, pollers and health collectors: the device dashboard's
 * Health, BGP and OSPF rows, and the overview's "Routing, storage and LibreNMS pollers" row. Every
 * query is filtered by the dashboards' job, target and LibreNMS variables and aggregated per
 * LibreNMS object, so a series two jobs hold shows once.
 */
import type { MixinConfig } from '../config.js';
import { type Mappings, type RowSpec, statPanel, tablePanel, timeseriesPanel } from '../lib/dashboard.js';

const TARGET = 'job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"';
const DEVICE = `${TARGET}, hostname=~"$hostname"`;
/** Labels of one scrape's device, for joins. */
const ON_DEVICE = 'job, instance, librenms_instance, hostname';

const BGP_STATES: Mappings = [
  { value: '1', text: 'idle', color: 'red' },
  { value: '2', text: 'connect', color: 'orange' },
  { value: '3', text: 'active', color: 'orange' },
  { value: '4', text: 'opensent', color: 'orange' },
  { value: '5', text: 'openconfirm', color: 'orange' },
  { value: '6', text: 'established', color: 'green' },
];
const OSPF_NEIGHBOR_STATES: Mappings = [
  { value: '1', text: 'down', color: 'red' },
  { value: '2', text: 'attempt', color: 'orange' },
  { value: '3', text: 'init', color: 'orange' },
  { value: '4', text: 'twoWay', color: 'blue' },
  { value: '5', text: 'exchangeStart', color: 'orange' },
  { value: '6', text: 'exchange', color: 'orange' },
  { value: '7', text: 'loading', color: 'orange' },
  { value: '8', text: 'full', color: 'green' },
];
const OSPF_INTERFACE_STATES: Mappings = [
  { value: '1', text: 'down', color: 'red' },
  { value: '2', text: 'loopback', color: 'text' },
  { value: '3', text: 'waiting', color: 'orange' },
  { value: '4', text: 'pointToPoint', color: 'green' },
  { value: '5', text: 'designatedRouter', color: 'green' },
  { value: '6', text: 'backupDesignatedRouter', color: 'green' },
  { value: '7', text: 'otherDesignatedRouter', color: 'green' },
];
const HEALTH_NOTE =
  'Needs the health collector, which is off by default (add health to COLLECTORS; docs/big-installs.md gives its cost); LibreNMS polls every 5 minutes and the exporter reads the values again every HEALTH_INTERVAL_SECONDS.';

/** A health ratio per item of the device, with the item's description from its _info series. */
function healthRatio(metric: string, info: string, id: string, descr: string): string {
  return [
    `max by (librenms_instance, hostname, ${id}, ${descr}) (`,
    `  ${metric}{${DEVICE}}`,
    `  * on(${ON_DEVICE}, ${id}) group_left(${descr}) ${info}{${DEVICE}}`,
    ')',
  ].join('\n');
}

const PEER = 'librenms_instance, hostname, peer_address, remote_as, vrf';
/** A BGP session series of the device, with its description and AS name from librenms_bgp_peer_info. */
function bgpSeries(metric: string): string {
  return [
    `max by (${PEER}, description, as_name) (`,
    `  ${metric}{${DEVICE}}`,
    `  * on(job, instance, ${PEER}) group_left(description, as_name) librenms_bgp_peer_info{${DEVICE}}`,
    ')',
  ].join('\n');
}

/** The device dashboard's rows: Health (CPU, memory, storage), BGP, OSPF; ids from `firstId`. */
export function deviceRows(c: MixinConfig, firstId: number): RowSpec[] {
  let id = firstId;
  const next = () => id++;
  return [
    {
      type: 'row',
      title: 'Health',
      id: next(),
      panels: [
        timeseriesPanel({
          id: next(),
          title: 'CPU',
          description: `Usage of each processor LibreNMS polls on the device (librenms_processor_usage_ratio). LibreNMSCpuHigh fires when their average stays above ${c.thresholds.cpuHighRatio * 100}% for ${c.for.LibreNMSCpuHigh}. ${HEALTH_NOTE}`,
          gridPos: { h: 8, w: 8, x: 0, y: 0 },
          queries: [
            {
              refId: 'A',
              expr: healthRatio('librenms_processor_usage_ratio', 'librenms_processor_info', 'processor_id', 'processor_descr'),
              legendFormat: '{{processor_descr}}',
            },
          ],
          unit: 'percentunit',
        }),
        timeseriesPanel({
          id: next(),
          title: 'Memory',
          description: `Usage of each memory pool of the device (librenms_mempool_usage_ratio). LibreNMSMemoryHigh fires for pools matching ${c.memoryPoolSelector} above ${c.thresholds.memoryHighRatio * 100}% for ${c.for.LibreNMSMemoryHigh}. ${HEALTH_NOTE}`,
          gridPos: { h: 8, w: 8, x: 8, y: 0 },
          queries: [
            {
              refId: 'A',
              expr: healthRatio('librenms_mempool_usage_ratio', 'librenms_mempool_info', 'mempool_id', 'mempool_descr'),
              legendFormat: '{{mempool_descr}}',
            },
          ],
          unit: 'percentunit',
        }),
        timeseriesPanel({
          id: next(),
          title: 'Storage',
          description: `How full each storage (disk, flash, mount) of the device is (librenms_storage_usage_ratio). LibreNMSStorageNearlyFull fires above ${c.thresholds.storageFullRatio * 100}% for ${c.for.LibreNMSStorageNearlyFull}; LibreNMSStorageFillingUp when the trend of the last ${c.thresholds.storageFillWindow} fills it within ${c.thresholds.storageFillHorizon}. ${HEALTH_NOTE}`,
          gridPos: { h: 8, w: 8, x: 16, y: 0 },
          queries: [
            {
              refId: 'A',
              expr: healthRatio('librenms_storage_usage_ratio', 'librenms_storage_info', 'storage_id', 'storage_descr'),
              legendFormat: '{{storage_descr}}',
            },
          ],
          unit: 'percentunit',
        }),
      ],
    },
    {
      type: 'row',
      title: 'BGP',
      id: next(),
      panels: [
        tablePanel({
          id: next(),
          title: 'BGP sessions',
          description: `The device's BGP sessions as LibreNMS polled them: state (BGP4-MIB bgpPeerState), admin status and how long the session has been in its state (bgpPeerFsmEstablishedTime). LibreNMSBgpSessionDown fires for an enabled session not established for ${c.for.LibreNMSBgpSessionDown}.`,
          gridPos: { h: 8, w: 12, x: 0, y: 0 },
          queries: [
            { refId: 'A', expr: bgpSeries('librenms_bgp_peer_state') },
            { refId: 'B', expr: bgpSeries('librenms_bgp_peer_admin_status') },
            { refId: 'C', expr: bgpSeries('librenms_bgp_peer_established_seconds') },
          ],
          columns: {
            peer_address: { title: 'Peer' },
            remote_as: { title: 'Remote AS' },
            as_name: { title: 'AS name' },
            vrf: { title: 'VRF' },
            description: { title: 'Description' },
            'Value #A': { title: 'State', mappings: BGP_STATES },
            'Value #B': {
              title: 'Admin',
              mappings: [
                { value: '1', text: 'stop', color: 'text' },
                { value: '2', text: 'start', color: 'green' },
              ],
            },
            'Value #C': { title: 'In state for', unit: 's' },
          },
          hidden: ['librenms_instance'],
        }),
        timeseriesPanel({
          id: next(),
          title: 'BGP accepted prefixes',
          description:
            'Prefixes accepted from each peer, per address family (librenms_bgp_peer_accepted_prefixes), at each LibreNMS poll. A drop to 0 with the session still established is a policy or a peer withdrawing its routes.',
          gridPos: { h: 8, w: 12, x: 12, y: 0 },
          queries: [
            {
              refId: 'A',
              expr: `max by (${PEER}, afi, safi) (\n  librenms_bgp_peer_accepted_prefixes{${DEVICE}}\n)`,
              legendFormat: '{{peer_address}} {{afi}}/{{safi}}',
            },
          ],
          unit: 'short',
        }),
      ],
    },
    {
      type: 'row',
      title: 'OSPF',
      id: next(),
      panels: [
        tablePanel({
          id: next(),
          title: 'OSPF neighbours',
          description: `The device's OSPF neighbours and their state (OSPF-MIB ospfNbrState) as LibreNMS polled them. LibreNMSOspfNeighborDown fires for a neighbour that was full and has not been for ${c.for.LibreNMSOspfNeighborDown}; twoWay is normal between two routers that are neither DR nor BDR.`,
          gridPos: { h: 8, w: 12, x: 0, y: 0 },
          queries: [
            {
              refId: 'A',
              expr: `max by (librenms_instance, hostname, neighbor_router_id, neighbor_address, vrf) (\n  librenms_ospf_neighbor_state{${DEVICE}}\n)`,
            },
          ],
          columns: {
            neighbor_router_id: { title: 'Router id' },
            neighbor_address: { title: 'Address' },
            vrf: { title: 'VRF' },
            Value: { title: 'State', mappings: OSPF_NEIGHBOR_STATES },
          },
          hidden: ['librenms_instance'],
        }),
        tablePanel({
          id: next(),
          title: 'OSPF interfaces',
          description: "The device's OSPF interfaces: state (OSPF-MIB ospfIfState), area and cost (ospfIfMetricValue).",
          gridPos: { h: 8, w: 12, x: 12, y: 0 },
          queries: [
            { refId: 'A', expr: `max by (librenms_instance, hostname, address, area, vrf, port_id) (\n  librenms_ospf_interface_state{${DEVICE}}\n)` },
            { refId: 'B', expr: `max by (librenms_instance, hostname, address, area, vrf, port_id) (\n  librenms_ospf_interface_cost{${DEVICE}}\n)` },
          ],
          columns: {
            address: { title: 'Address' },
            area: { title: 'Area' },
            vrf: { title: 'VRF' },
            'Value #A': { title: 'State', mappings: OSPF_INTERFACE_STATES },
            'Value #B': { title: 'Cost' },
          },
          hidden: ['librenms_instance', 'port_id'],
        }),
      ],
    },
  ];
}

/** The overview's row: BGP sessions down, storage nearly full, LibreNMS's pollers; ids from `firstId`. */
export function overviewRow(c: MixinConfig, firstId: number): RowSpec {
  let id = firstId;
  const next = () => id++;
  const stale = c.thresholds.stalePolls * c.pollIntervalSeconds;
  const reportAge = `time() - max by (librenms_instance, poller) (librenms_poller_last_report_timestamp_seconds{${TARGET}})`;
  return {
    type: 'row',
    title: 'Routing, storage and LibreNMS pollers',
    id: next(),
    panels: [
      statPanel({
        id: next(),
        title: 'BGP sessions down',
        description: `BGP sessions that are administratively enabled (start) but not established, over every device (the condition of LibreNMSBgpSessionDown, which also waits ${c.for.LibreNMSBgpSessionDown} and skips muted devices).`,
        gridPos: { h: 4, w: 4, x: 0, y: 0 },
        queries: [
          {
            refId: 'A',
            expr: `count(max by (${PEER}) ((librenms_bgp_peer_state{${TARGET}} != 6) and on(job, instance, ${PEER}) (librenms_bgp_peer_admin_status{${TARGET}} == 2))) or vector(0)`,
          },
        ],
        problemColor: 'red',
      }),
      statPanel({
        id: next(),
        title: 'Storage nearly full',
        description: `Storage (disks, flash, mounts) more than ${c.thresholds.storageFullRatio * 100}% full (thresholds.storageFullRatio, the LibreNMSStorageNearlyFull threshold). 0 without the health collector, which is off by default.`,
        gridPos: { h: 4, w: 4, x: 4, y: 0 },
        queries: [
          {
            refId: 'A',
            expr: `count(max by (librenms_instance, hostname, storage_id) (librenms_storage_usage_ratio{${TARGET}} > ${c.thresholds.storageFullRatio})) or vector(0)`,
          },
        ],
        problemColor: 'orange',
      }),
      statPanel({
        id: next(),
        title: 'LibreNMS pollers not reporting',
        description: `LibreNMS pollers (dispatcher nodes or the poller-wrapper) whose last report is older than ${c.thresholds.stalePolls} poll intervals (${stale} s): the condition of LibreNMSPollerNotReporting. Needs LibreNMS 26.1 or later (/api/v0/pollers).`,
        gridPos: { h: 4, w: 4, x: 8, y: 0 },
        queries: [{ refId: 'A', expr: `count((${reportAge}) > ${stale}) or vector(0)` }],
        problemColor: 'red',
      }),
      timeseriesPanel({
        id: next(),
        title: 'LibreNMS poller load',
        description: `Share of its interval each LibreNMS poller works: the poller-wrapper's last run over the poll interval (${c.pollIntervalSeconds} s), or a dispatcher node's busy worker time over workers × interval, per worker type (LibreNMS's Poller page). At 100% polls start late; LibreNMSPollerOverrun fires from ${c.thresholds.pollerBusyRatio * 100}%.`,
        gridPos: { h: 8, w: 12, x: 0, y: 4 },
        queries: [
          {
            // One query: an install lists either poller-wrapper rows or dispatcher nodes (26.1+ lists the
            // nodes while any ever reported), and the panel shows whichever it has.
            refId: 'A',
            expr: [
              `max by (librenms_instance, poller) (librenms_poller_run_duration_seconds{${TARGET}}) / ${c.pollIntervalSeconds}`,
              'or',
              'max by (librenms_instance, poller, type) (',
              `  librenms_poller_worker_busy_seconds{${TARGET}}`,
              `  / on(job, instance, librenms_instance, poller, type) (librenms_poller_workers{${TARGET}} * on(job, instance, librenms_instance, poller, type) librenms_poller_interval_seconds{${TARGET}} > 0)`,
              ')',
            ].join('\n'),
            legendFormat: '{{poller}} {{type}}',
          },
        ],
        unit: 'percentunit',
      }),
      tablePanel({
        id: next(),
        title: 'LibreNMS pollers',
        description:
          'Each LibreNMS poller: seconds since its last report (a dispatcher node reports every poll interval; the poller-wrapper when a run ends) and the devices it polled in its last report or run.',
        gridPos: { h: 12, w: 12, x: 12, y: 0 },
        queries: [
          { refId: 'A', expr: reportAge },
          { refId: 'B', expr: `max by (librenms_instance, poller) (librenms_poller_devices{${TARGET}, type="poller"})` },
        ],
        columns: {
          poller: { title: 'Poller' },
          'Value #A': { title: 'Last report', unit: 's' },
          'Value #B': { title: 'Devices polled' },
        },
        hidden: ['librenms_instance'],
      }),
    ],
  };
}
