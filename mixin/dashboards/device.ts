/** LibreNMS device (grafana/dashboards/librenms-device.json). */
import type { MixinConfig } from '../config.js';
import { board, dashboardLink, type RowSpec, requires } from '../lib/dashboard.js';
import { DATASOURCE_VARIABLE, DEVICE_VARIABLE, INSTANCE_VARIABLE, JOB_VARIABLE, LIBRENMS_INSTANCE_VARIABLE, RATE_WINDOW_VARIABLE } from '../lib/variables.js';
import { deviceRows } from './routing-health-rows.js';

export function dashboard(c: MixinConfig): object {
  const rows: RowSpec[] = [
    {
      type: 'row',
      title: 'Device',
      id: 1,
      panels: [
        {
          type: 'stat',
          title: 'Status',
          id: 2,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 0,
            y: 0,
          },
          description: 'Device status as LibreNMS sees it (librenms_device_up).',
          fieldConfig: {
            defaults: {
              mappings: [
                {
                  type: 'value',
                  options: {
                    '0': {
                      text: 'DOWN',
                      color: 'red',
                      index: 0,
                    },
                    '1': {
                      text: 'UP',
                      color: 'green',
                      index: 1,
                    },
                  },
                },
              ],
              color: {
                mode: 'thresholds',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'red',
                    value: null,
                  },
                  {
                    color: 'green',
                    value: 1,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'background',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, display, sysName, os, hardware, version, location, device_type) (\n  librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Uptime',
          id: 3,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 3,
            x: 4,
            y: 0,
          },
          description: 'Device uptime as of the last LibreNMS poll.',
          fieldConfig: {
            defaults: {
              unit: 'dtdurations',
              color: {
                mode: 'fixed',
                fixedColor: 'text',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'none',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, display, sysName, os, hardware, version, location, device_type) (\n  librenms_device_uptime_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Last polled',
          id: 4,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 3,
            x: 7,
            y: 0,
          },
          description: 'Seconds since LibreNMS last polled this device. Normal is under 300 s (5-minute polling).',
          fieldConfig: {
            defaults: {
              unit: 's',
              decimals: 0,
              color: {
                mode: 'thresholds',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: 2 * c.pollIntervalSeconds,
                  },
                  {
                    color: 'red',
                    value: c.thresholds.stalePolls * c.pollIntervalSeconds,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'background',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, display, sysName, os, hardware, version, location, device_type) (\n  time() - librenms_device_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Poll duration',
          id: 5,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 3,
            x: 10,
            y: 0,
          },
          description: 'How long LibreNMS took for its last poll of this device.',
          fieldConfig: {
            defaults: {
              unit: 's',
              decimals: 1,
              color: {
                mode: 'thresholds',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: 120,
                  },
                  {
                    color: 'red',
                    value: 280,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'background',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, display, sysName, os, hardware, version, location, device_type) (\n  librenms_device_poll_duration_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Ping',
          id: 19,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 3,
            x: 13,
            y: 0,
          },
          description:
            "ICMP round-trip time from LibreNMS to the device at LibreNMS's last ping (librenms_device_ping_seconds). Empty when LibreNMS does not ping the device.",
          fieldConfig: {
            defaults: {
              unit: 's',
              color: {
                mode: 'thresholds',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: 0.1,
                  },
                  {
                    color: 'red',
                    value: 0.5,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'background',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname) (\n  librenms_device_ping_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Ports oper-up',
          id: 6,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 16,
            y: 0,
          },
          description: 'Ports whose ifOperStatus is up.',
          fieldConfig: {
            defaults: {
              unit: 'none',
              color: {
                mode: 'fixed',
                fixedColor: 'green',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'background',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'count(max by (librenms_instance, hostname, ifName, ifIndex) (librenms_port_oper_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} == 1)) or vector(0)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Ports admin-up but not oper-up',
          id: 7,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 20,
            y: 0,
          },
          description: 'Enabled ports whose link is not up.',
          fieldConfig: {
            defaults: {
              unit: 'none',
              color: {
                mode: 'thresholds',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: 1,
                  },
                ],
              },
            },
            overrides: [],
          },
          options: {
            reduceOptions: {
              values: false,
              calcs: ['lastNotNull'],
              fields: '',
            },
            orientation: 'auto',
            textMode: 'auto',
            colorMode: 'background',
            graphMode: 'none',
            justifyMode: 'auto',
            wideLayout: true,
            showPercentChange: false,
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'count(max by (librenms_instance, hostname, ifName, ifIndex) ((librenms_port_oper_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} != 1) and on(job, instance, librenms_instance, hostname, ifName, ifIndex) (librenms_port_admin_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} == 1))) or vector(0)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'table',
          title: 'Device info',
          id: 8,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 3,
            w: 24,
            x: 0,
            y: 4,
          },
          description: 'Descriptive labels from librenms_device_info.',
          fieldConfig: {
            defaults: {
              custom: {
                align: 'auto',
                cellOptions: {
                  type: 'auto',
                },
                filterable: false,
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
              color: {
                mode: 'thresholds',
              },
            },
            overrides: [],
          },
          options: {
            showHeader: true,
            cellHeight: 'sm',
            footer: {
              show: false,
              reducer: ['sum'],
              countRows: false,
              fields: '',
            },
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, display, sysName, os, hardware, version, location, device_type, reason) (\n  librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n    * on(job, instance, librenms_instance, hostname) group_left(reason) (librenms_device_down_reason_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} or on(job, instance, librenms_instance, hostname) (librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} * 0 + 1))\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
          ],
          transformations: [
            {
              id: 'organize',
              options: {
                excludeByName: {
                  Time: true,
                  Value: true,
                  job: true,
                  instance: true,
                  __name__: true,
                },
                renameByName: {
                  display: 'Display name',
                  hostname: 'Hostname',
                  os: 'OS',
                  hardware: 'Hardware',
                  version: 'Version',
                  location: 'Location',
                  device_type: 'Type',
                  reason: 'Down reason',
                },
                indexByName: {
                  display: 0,
                  sysName: 1,
                  hostname: 2,
                  reason: 3,
                  os: 4,
                  hardware: 5,
                  version: 6,
                  location: 7,
                  device_type: 8,
                },
              },
            },
          ],
        },
      ],
    },
    {
      type: 'row',
      title: 'Ports',
      id: 9,
      panels: [
        {
          type: 'table',
          title: 'Ports',
          id: 10,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 12,
            w: 24,
            x: 0,
            y: 0,
          },
          description:
            "Every port of the device: operational and administrative status, speed, traffic in bits/s, utilisation (empty when the speed is unknown) and errors per second. Click an ifName to open the interface dashboard. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
          fieldConfig: {
            defaults: {
              custom: {
                align: 'auto',
                cellOptions: {
                  type: 'auto',
                },
                filterable: true,
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
              color: {
                mode: 'thresholds',
              },
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'ifName',
                },
                properties: [
                  {
                    id: 'links',
                    value: [
                      {
                        title: 'Open interface dashboard',
                        targetBlank: false,
                        url: '/d/librenms-interface/librenms-interface?var-datasource=${datasource}&var-rate_window=${rate_window}&${job:queryparam}&${instance:queryparam}&${librenms_instance:queryparam}&var-hostname=${__data.fields.hostname}&var-ifName=${__data.fields.ifName}&${__url_time_range}',
                      },
                    ],
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'ifAlias',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Alias',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #A',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Status',
                  },
                  {
                    id: 'mappings',
                    value: [
                      {
                        type: 'value',
                        options: {
                          '1': {
                            text: 'up',
                            color: 'green',
                            index: 0,
                          },
                          '2': {
                            text: 'down',
                            color: 'red',
                            index: 1,
                          },
                          '3': {
                            text: 'testing',
                            color: 'blue',
                            index: 2,
                          },
                          '4': {
                            text: 'unknown',
                            color: 'purple',
                            index: 3,
                          },
                          '5': {
                            text: 'dormant',
                            color: 'yellow',
                            index: 4,
                          },
                          '6': {
                            text: 'notPresent',
                            color: 'orange',
                            index: 5,
                          },
                          '7': {
                            text: 'lowerLayerDown',
                            color: 'dark-red',
                            index: 6,
                          },
                        },
                      },
                    ],
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'color-text',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #B',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Admin',
                  },
                  {
                    id: 'mappings',
                    value: [
                      {
                        type: 'value',
                        options: {
                          '1': {
                            text: 'up',
                            color: 'green',
                            index: 0,
                          },
                          '2': {
                            text: 'down (shut)',
                            color: 'text',
                            index: 1,
                          },
                          '3': {
                            text: 'testing',
                            color: 'blue',
                            index: 2,
                          },
                        },
                      },
                    ],
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'color-text',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #C',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Speed',
                  },
                  {
                    id: 'unit',
                    value: 'bps',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #D',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'In',
                  },
                  {
                    id: 'unit',
                    value: 'bps',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #E',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Out',
                  },
                  {
                    id: 'unit',
                    value: 'bps',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #F',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'In util.',
                  },
                  {
                    id: 'unit',
                    value: 'percentunit',
                  },
                  {
                    id: 'min',
                    value: 0,
                  },
                  {
                    id: 'max',
                    value: 1,
                  },
                  {
                    id: 'thresholds',
                    value: {
                      mode: 'absolute',
                      steps: [
                        {
                          color: 'green',
                          value: null,
                        },
                        {
                          color: 'orange',
                          value: c.thresholds.portBusyRatio,
                        },
                        {
                          color: 'red',
                          value: 0.95,
                        },
                      ],
                    },
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'gauge',
                      mode: 'basic',
                      valueDisplayMode: 'text',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #G',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Out util.',
                  },
                  {
                    id: 'unit',
                    value: 'percentunit',
                  },
                  {
                    id: 'min',
                    value: 0,
                  },
                  {
                    id: 'max',
                    value: 1,
                  },
                  {
                    id: 'thresholds',
                    value: {
                      mode: 'absolute',
                      steps: [
                        {
                          color: 'green',
                          value: null,
                        },
                        {
                          color: 'orange',
                          value: c.thresholds.portBusyRatio,
                        },
                        {
                          color: 'red',
                          value: 0.95,
                        },
                      ],
                    },
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'gauge',
                      mode: 'basic',
                      valueDisplayMode: 'text',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #H',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Errors',
                  },
                  {
                    id: 'unit',
                    value: 'pps',
                  },
                  {
                    id: 'decimals',
                    value: 2,
                  },
                  {
                    id: 'thresholds',
                    value: {
                      mode: 'absolute',
                      steps: [
                        {
                          color: 'green',
                          value: null,
                        },
                        {
                          color: 'orange',
                          value: 0.01,
                        },
                        {
                          color: 'red',
                          value: 1,
                        },
                      ],
                    },
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'color-text',
                    },
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'hostname',
                },
                properties: [
                  {
                    id: 'custom.hidden',
                    value: true,
                  },
                ],
              },
            ],
          },
          options: {
            showHeader: true,
            cellHeight: 'sm',
            footer: {
              show: false,
              reducer: ['sum'],
              countRows: false,
              fields: '',
            },
            sortBy: [
              {
                displayName: 'ifName',
                desc: false,
              },
            ],
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_oper_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'B',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_admin_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'C',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'D',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'E',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'F',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) / (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'G',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) / (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'H',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  (increase(librenms_port_receive_errors_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) + increase(librenms_port_transmit_errors_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window])) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
          ],
          transformations: [
            {
              id: 'merge',
              options: {},
            },
            {
              id: 'organize',
              options: {
                excludeByName: {
                  Time: true,
                  job: true,
                  instance: true,
                  __name__: true,
                },
                renameByName: {},
                indexByName: {
                  ifName: 0,
                  ifAlias: 1,
                  'Value #A': 2,
                  'Value #B': 3,
                  'Value #C': 4,
                  'Value #D': 5,
                  'Value #E': 6,
                  'Value #F': 7,
                  'Value #G': 8,
                  'Value #H': 9,
                  ifIndex: 10,
                  hostname: 11,
                },
              },
            },
          ],
        },
      ],
    },
    {
      type: 'row',
      title: 'Traffic per port',
      id: 11,
      panels: [
        {
          type: 'timeseries',
          title: 'Inbound traffic per port',
          id: 12,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 9,
            w: 12,
            x: 0,
            y: 0,
          },
          description:
            "Bits per second received on each port. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
          fieldConfig: {
            defaults: {
              unit: 'bps',
              custom: {
                drawStyle: 'line',
                lineInterpolation: 'linear',
                lineWidth: 1,
                fillOpacity: 10,
                gradientMode: 'none',
                showPoints: 'never',
                spanNulls: false,
                axisPlacement: 'auto',
                axisCenteredZero: false,
                stacking: {
                  mode: 'none',
                  group: 'A',
                },
                thresholdsStyle: {
                  mode: 'off',
                },
              },
              color: {
                mode: 'palette-classic',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
              min: 0,
            },
            overrides: [],
          },
          options: {
            legend: {
              showLegend: true,
              displayMode: 'table',
              placement: 'bottom',
              calcs: ['mean', 'max', 'lastNotNull'],
            },
            tooltip: {
              mode: 'multi',
              sort: 'desc',
            },
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Outbound traffic per port',
          id: 13,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 9,
            w: 12,
            x: 12,
            y: 0,
          },
          description:
            "Bits per second transmitted on each port. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
          fieldConfig: {
            defaults: {
              unit: 'bps',
              custom: {
                drawStyle: 'line',
                lineInterpolation: 'linear',
                lineWidth: 1,
                fillOpacity: 10,
                gradientMode: 'none',
                showPoints: 'never',
                spanNulls: false,
                axisPlacement: 'auto',
                axisCenteredZero: false,
                stacking: {
                  mode: 'none',
                  group: 'A',
                },
                thresholdsStyle: {
                  mode: 'off',
                },
              },
              color: {
                mode: 'palette-classic',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
              min: 0,
            },
            overrides: [],
          },
          options: {
            legend: {
              showLegend: true,
              displayMode: 'table',
              placement: 'bottom',
              calcs: ['mean', 'max', 'lastNotNull'],
            },
            tooltip: {
              mode: 'multi',
              sort: 'desc',
            },
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Utilisation per port (busier direction)',
          id: 14,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 0,
            y: 9,
          },
          description:
            "Utilisation of each port in its busier direction as a ratio of the port speed (librenms_port_speed_bytes). Ports with unknown speed are left out. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
          fieldConfig: {
            defaults: {
              unit: 'percentunit',
              custom: {
                drawStyle: 'line',
                lineInterpolation: 'linear',
                lineWidth: 1,
                fillOpacity: 10,
                gradientMode: 'none',
                showPoints: 'never',
                spanNulls: false,
                axisPlacement: 'auto',
                axisCenteredZero: false,
                stacking: {
                  mode: 'none',
                  group: 'A',
                },
                thresholdsStyle: {
                  mode: 'line',
                },
                axisSoftMax: 1,
              },
              color: {
                mode: 'palette-classic',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                  {
                    color: 'orange',
                    value: c.thresholds.portBusyRatio,
                  },
                  {
                    color: 'red',
                    value: 0.95,
                  },
                ],
              },
              min: 0,
            },
            overrides: [],
          },
          options: {
            legend: {
              showLegend: true,
              displayMode: 'table',
              placement: 'bottom',
              calcs: ['mean', 'max', 'lastNotNull'],
            },
            tooltip: {
              mode: 'multi',
              sort: 'desc',
            },
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  (increase(librenms_port_receive_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) >= increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) or increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window])) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) / (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"} > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Errors per port',
          id: 15,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 12,
            y: 9,
          },
          description:
            "Inbound plus outbound errors per second on each port. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
          fieldConfig: {
            defaults: {
              unit: 'pps',
              custom: {
                drawStyle: 'line',
                lineInterpolation: 'linear',
                lineWidth: 1,
                fillOpacity: 10,
                gradientMode: 'none',
                showPoints: 'never',
                spanNulls: false,
                axisPlacement: 'auto',
                axisCenteredZero: false,
                stacking: {
                  mode: 'none',
                  group: 'A',
                },
                thresholdsStyle: {
                  mode: 'off',
                },
              },
              color: {
                mode: 'palette-classic',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
              min: 0,
            },
            overrides: [],
          },
          options: {
            legend: {
              showLegend: true,
              displayMode: 'table',
              placement: 'bottom',
              calcs: ['mean', 'max', 'lastNotNull'],
            },
            tooltip: {
              mode: 'multi',
              sort: 'desc',
            },
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  (increase(librenms_port_receive_errors_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) + increase(librenms_port_transmit_errors_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window])) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}[$rate_window]) > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
      ],
    },
    {
      type: 'row',
      title: 'Sensors',
      id: 16,
      panels: [
        {
          type: 'timeseries',
          title: 'Sensors',
          id: 17,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 9,
            w: 24,
            x: 0,
            y: 0,
          },
          description:
            'Every LibreNMS health sensor of the device (librenms_sensor_value), each in its own unit: temperature in °C, dbm in dBm, voltage in V, current in A, power in W, fanspeed in RPM. LibreNMS reads sensors once per poll (every 5 minutes), so the lines are steps. The alarm limits set in LibreNMS are in the table below; LibreNMSSensorOutOfRange fires when a value stays outside them for 10 minutes.',
          fieldConfig: {
            defaults: {
              custom: {
                drawStyle: 'line',
                lineInterpolation: 'stepAfter',
                lineWidth: 1,
                fillOpacity: 0,
                gradientMode: 'none',
                showPoints: 'never',
                spanNulls: false,
                axisPlacement: 'auto',
                axisCenteredZero: false,
                stacking: {
                  mode: 'none',
                  group: 'A',
                },
                thresholdsStyle: {
                  mode: 'off',
                },
              },
              color: {
                mode: 'palette-classic',
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
            },
            overrides: [
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^temperature /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'celsius',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^dbm /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'dBm',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^voltage /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'volt',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^current /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'amp',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^power /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'watt',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^fanspeed /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'rotrpm',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^humidity /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'humidity',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^frequency /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'hertz',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byRegexp',
                  options: '/^percent /',
                },
                properties: [
                  {
                    id: 'unit',
                    value: 'percent',
                  },
                ],
              },
            ],
          },
          options: {
            legend: {
              showLegend: true,
              displayMode: 'table',
              placement: 'right',
              calcs: ['min', 'max', 'lastNotNull'],
            },
            tooltip: {
              mode: 'multi',
              sort: 'none',
            },
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, sensor_class, sensor_descr, sensor_index, sensor_id) (\n  librenms_sensor_value{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '{{sensor_class}} {{sensor_descr}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'table',
          title: 'Sensors and limits',
          id: 18,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 24,
            x: 0,
            y: 9,
          },
          description:
            "Current reading of each sensor and the alarm and warning limits set for it in LibreNMS (empty: no limit set). Values are in the sensor's own unit (see the class). A value red is outside the alarm limits.",
          fieldConfig: {
            defaults: {
              custom: {
                align: 'auto',
                cellOptions: {
                  type: 'auto',
                },
                filterable: false,
              },
              thresholds: {
                mode: 'absolute',
                steps: [
                  {
                    color: 'green',
                    value: null,
                  },
                ],
              },
              color: {
                mode: 'thresholds',
              },
              decimals: 2,
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'sensor_class',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Class',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'sensor_descr',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Sensor',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'sensor_index',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Index',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #A',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Value',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #B',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Low limit',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #C',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Low warning',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #D',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'High warning',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'Value #E',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'High limit',
                  },
                ],
              },
            ],
          },
          options: {
            showHeader: true,
            cellHeight: 'sm',
            footer: {
              show: false,
              reducer: ['sum'],
              countRows: false,
              fields: '',
            },
            sortBy: [
              {
                displayName: 'Class',
                desc: false,
              },
            ],
          },
          targets: [
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, sensor_class, sensor_descr, sensor_index, sensor_id) (\n  librenms_sensor_value{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'B',
              expr: 'max by (librenms_instance, hostname, sensor_class, sensor_descr, sensor_index, sensor_id) (\n  librenms_sensor_limit_low{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'C',
              expr: 'max by (librenms_instance, hostname, sensor_class, sensor_descr, sensor_index, sensor_id) (\n  librenms_sensor_limit_low_warning{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'D',
              expr: 'max by (librenms_instance, hostname, sensor_class, sensor_descr, sensor_index, sensor_id) (\n  librenms_sensor_limit_high_warning{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'E',
              expr: 'max by (librenms_instance, hostname, sensor_class, sensor_descr, sensor_index, sensor_id) (\n  librenms_sensor_limit_high{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
          ],
          transformations: [
            {
              id: 'merge',
              options: {},
            },
            {
              id: 'organize',
              options: {
                excludeByName: {
                  Time: true,
                  job: true,
                  instance: true,
                  __name__: true,
                  hostname: true,
                },
                renameByName: {},
                indexByName: {
                  sensor_class: 0,
                  sensor_descr: 1,
                  sensor_index: 2,
                  'Value #A': 3,
                  'Value #B': 4,
                  'Value #C': 5,
                  'Value #D': 6,
                  'Value #E': 7,
                },
              },
            },
          ],
        },
      ],
    },
    ...deviceRows(c, 40),
  ];
  return board(
    {
      __requires: requires(['stat', 'table', 'timeseries', 'state-timeline']),
      annotations: {
        list: [],
      },
      description: 'One LibreNMS device: is it up, what is it, and how are its ports doing?',
      editable: true,
      fiscalYearStartMonth: 0,
      graphTooltip: 1,
      id: null,
      links: [dashboardLink('Overview', 'librenms-overview', 'All devices'), dashboardLink('Interface', 'librenms-interface', 'One port of this device')],
      liveNow: false,
      refresh: '1m',
      schemaVersion: 39,
      tags: ['librenms', 'network'],
      templating: {
        list: [DATASOURCE_VARIABLE, JOB_VARIABLE, INSTANCE_VARIABLE, LIBRENMS_INSTANCE_VARIABLE, DEVICE_VARIABLE, RATE_WINDOW_VARIABLE],
      },
      time: {
        from: 'now-6h',
        to: 'now',
      },
      timepicker: {},
      timezone: 'browser',
      title: 'LibreNMS device',
      uid: 'librenms-device',
      version: 1,
      weekStart: '',
    },
    rows,
  );
}
