/** LibreNMS overview (grafana/dashboards/librenms-overview.json). */
import type { MixinConfig } from '../config.js';
import { board, dashboardLink, deviceColumnOverride, type RowSpec, requires } from '../lib/dashboard.js';
import { DATASOURCE_VARIABLE, INSTANCE_VARIABLE, JOB_VARIABLE, LIBRENMS_INSTANCE_VARIABLE, RATE_WINDOW_VARIABLE } from '../lib/variables.js';
import { overviewRow } from './routing-health-rows.js';

export function dashboard(c: MixinConfig): object {
  const rows: RowSpec[] = [
    {
      type: 'row',
      title: 'Devices and ports',
      id: 1,
      panels: [
        {
          type: 'stat',
          title: 'Devices up',
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
          description: 'Devices LibreNMS sees as up (librenms_device_up == 1).',
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
              expr: 'count(max by (librenms_instance, hostname) (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 1)) or vector(0)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Devices down',
          id: 3,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 4,
            y: 0,
          },
          description: 'Devices LibreNMS sees as down (librenms_device_up == 0). They are listed below.',
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
                    color: 'red',
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
              expr: 'count(max by (librenms_instance, hostname) (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0)) or vector(0)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Ports down after being up',
          id: 4,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 8,
            y: 0,
          },
          description:
            'Enabled ports (ifAdminStatus up) that went down after being up (port:librenms_port_up:down_after_up): cable, peer or link problems. Shut ports and ports nothing was ever plugged into are not counted.',
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
              expr: 'count(max by (librenms_instance, hostname, ifName, ifIndex) (port:librenms_port_up:down_after_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} and on(job, instance, librenms_instance, hostname, ifName, ifIndex) (librenms_port_admin_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 1))) or vector(0)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Oldest LibreNMS poll',
          id: 5,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 12,
            y: 0,
          },
          description: `Age of the stalest data of a device that is up (now minus its last poll): down devices are left out, since LibreNMS does not poll them, and so are targets that cannot reach LibreNMS (LibreNMS API reachable says that). LibreNMS polls every ${c.pollIntervalSeconds / 60} minutes; above ${(2 * c.pollIntervalSeconds) / 60} minutes a poll was missed, above ${(c.thresholds.stalePolls * c.pollIntervalSeconds) / 60} minutes the poller is probably behind.`,
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
              expr: 'max(time() - (librenms_device_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} unless on(job, instance, librenms_instance, hostname) (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0) unless on(job, instance, librenms_instance) (librenms_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0)))',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'LibreNMS API reachable',
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
          description: "librenms_up: 1 when the exporter's last refresh reached LibreNMS and the API token was accepted.",
          fieldConfig: {
            defaults: {
              unit: 'none',
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
              expr: 'min(librenms_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"})',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Exporter scraped',
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
          description: "Prometheus `up` for the exporter's scrape targets (targets that exposed librenms_exporter_build_info in the last hour).",
          fieldConfig: {
            defaults: {
              unit: 'none',
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
              expr: 'min(up{job=~"$job", instance=~"$instance"} and on(job, instance) job_instance:librenms_scrape_target:info{job=~"$job", instance=~"$instance"})',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'table',
          title: 'Find a device',
          id: 22,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 7,
            w: 24,
            x: 0,
            y: 4,
          },
          description:
            'Devices whose hostname, IP address, sysName or display name matches "Find device" at the top (a regular expression, case-insensitive; empty lists every device), with their status. Click a device to open its dashboard.',
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
              deviceColumnOverride(),
              {
                matcher: {
                  id: 'byName',
                  options: 'hostname',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Hostname',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'os',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'OS',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'location',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Location',
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
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'color-text',
                    },
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
                displayName: 'Device',
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
              expr: 'max by (librenms_instance, hostname, display, sysName, os, location) (\n  librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display, sysName, os, location) (\n        librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"(?i).*${device_search}.*"}\n        or librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", display=~"(?i).*${device_search}.*"}\n        or librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", sysName=~"(?i).*${device_search}.*"}\n      )\n)',
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
                  display: 0,
                  hostname: 1,
                  'Value #A': 2,
                  'Value #B': 3,
                  sysName: 4,
                  os: 5,
                  location: 6,
                },
              },
            },
          ],
        },
        {
          type: 'table',
          title: 'Devices down',
          id: 8,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 0,
            y: 11,
          },
          description:
            'Devices LibreNMS reports as down (librenms_device_up == 0), with their display name and how long ago LibreNMS last polled them. The query itself returns only the down devices, so the table stays small on any install. Click a device to open its dashboard.',
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
            overrides: [
              deviceColumnOverride(),
              {
                matcher: {
                  id: 'byName',
                  options: 'hostname',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Hostname',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'os',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'OS',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'location',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Location',
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
                    value: 'Last polled (ago)',
                  },
                  {
                    id: 'unit',
                    value: 's',
                  },
                  {
                    id: 'decimals',
                    value: 0,
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
                displayName: 'Last polled (ago)',
                desc: true,
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
              expr: 'max by (librenms_instance, hostname, display, sysName, os, location, reason) (\n  (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0)\n    * on(job, instance, librenms_instance, hostname) group_left(display, sysName, os, location) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(reason) (librenms_device_down_reason_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} or on(job, instance, librenms_instance, hostname) (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0) + 1)\n)',
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
              expr: 'max by (librenms_instance, hostname, display, sysName, os, location, reason) (\n  device:librenms_device_last_polled_timestamp_seconds:age{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display, sysName, os, location) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    and on(job, instance, librenms_instance, hostname) (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0)\n    * on(job, instance, librenms_instance, hostname) group_left(reason) (librenms_device_down_reason_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} or on(job, instance, librenms_instance, hostname) (librenms_device_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 0) + 1)\n)',
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
                renameByName: { reason: 'Down reason' },
                indexByName: {
                  display: 0,
                  hostname: 1,
                  reason: 2,
                  'Value #A': 3,
                  'Value #B': 4,
                  sysName: 5,
                  os: 6,
                  location: 7,
                },
              },
            },
          ],
        },
        {
          type: 'table',
          title: 'Ports down after being up',
          id: 9,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 12,
            y: 11,
          },
          description:
            'Enabled ports (ifAdminStatus up) that are down after being up (port:librenms_port_up:down_after_up: a port nothing was ever plugged into is not listed), and for how long (since librenms_port_last_change_timestamp_seconds). One query over a recording that holds only such ports, so the table stays small on installs with 100k ports. Click a port to open it.',
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
            overrides: [
              deviceColumnOverride(),
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
                  options: 'Value',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Down for',
                  },
                  {
                    id: 'unit',
                    value: 'dtdurations',
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
              {
                matcher: {
                  id: 'byName',
                  options: 'ifIndex',
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
                displayName: 'For',
                desc: true,
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (time() - librenms_port_last_change_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"})\n    and on(job, instance, librenms_instance, hostname, ifName, ifIndex) port:librenms_port_up:down_after_up{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    and on(job, instance, librenms_instance, hostname, ifName, ifIndex) (librenms_port_admin_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} == 1)\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
                  display: 0,
                  ifName: 1,
                  ifAlias: 2,
                  Value: 3,
                  hostname: 4,
                  ifIndex: 5,
                },
              },
            },
          ],
        },
        {
          type: 'table',
          title: 'LibreNMS alerts',
          id: 21,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 24,
            x: 0,
            y: 19,
          },
          description:
            "Open LibreNMS alerts (librenms_alert_active): active, acknowledged, worse, better or changed, with the device's display name. Recovered alerts disappear. The exporter asks LibreNMS for state=1,2,3,4,5, so acknowledged alerts stay listed until they clear. Click a device to open its dashboard.",
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
              deviceColumnOverride(),
              {
                matcher: {
                  id: 'byName',
                  options: 'hostname',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Hostname',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'rule',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Rule',
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'severity',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Severity',
                  },
                  {
                    id: 'mappings',
                    value: [
                      {
                        type: 'value',
                        options: {
                          critical: {
                            text: 'critical',
                            color: 'red',
                            index: 0,
                          },
                          warning: {
                            text: 'warning',
                            color: 'orange',
                            index: 1,
                          },
                          ok: {
                            text: 'ok',
                            color: 'green',
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
                  options: 'state',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'State',
                  },
                  {
                    id: 'mappings',
                    value: [
                      {
                        type: 'value',
                        options: {
                          active: {
                            text: 'active',
                            color: 'red',
                            index: 0,
                          },
                          worse: {
                            text: 'worse',
                            color: 'red',
                            index: 1,
                          },
                          changed: {
                            text: 'changed',
                            color: 'orange',
                            index: 2,
                          },
                          better: {
                            text: 'better',
                            color: 'yellow',
                            index: 3,
                          },
                          acknowledged: {
                            text: 'acknowledged',
                            color: 'blue',
                            index: 4,
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
                displayName: 'Severity',
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
              expr: 'max by (librenms_instance, hostname, display, rule, severity, state) (\n  librenms_alert_active{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
                  job: true,
                  instance: true,
                  __name__: true,
                  Value: true,
                },
                renameByName: {},
                indexByName: {
                  display: 0,
                  hostname: 1,
                  rule: 2,
                  severity: 3,
                  state: 4,
                },
              },
            },
          ],
        },
      ],
    },
    {
      type: 'row',
      title: 'Traffic and errors',
      id: 10,
      panels: [
        {
          type: 'table',
          title: 'Top 10 interfaces by traffic',
          id: 11,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 10,
            w: 12,
            x: 0,
            y: 0,
          },
          description:
            "The 10 busiest interfaces (receive + transmit) in bits per second, averaged over $rate_window. Click an interface to open it. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0. Read from the recording rules (port:librenms_port_*:*rate10m, a 10-minute window over LibreNMS polls), so the table costs one sample per port on a big install; the Rate window variable does not apply to it.",
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
              unit: 'bps',
            },
            overrides: [
              deviceColumnOverride(),
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
                    value: 'In',
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
                    value: 'Out',
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
                    value: 'In + out',
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
              {
                matcher: {
                  id: 'byName',
                  options: 'ifIndex',
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
                displayName: 'In + out',
                desc: true,
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", direction="receive"} * 8 and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (sum without(direction) (port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", direction="transmit"} * 8 and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (sum without(direction) (port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (sum without(direction) (port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}) * 8 and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (sum without(direction) (port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
                  display: 0,
                  ifName: 1,
                  ifAlias: 2,
                  'Value #A': 3,
                  'Value #B': 4,
                  'Value #C': 5,
                },
              },
            },
          ],
        },
        {
          type: 'table',
          title: 'Top 10 interfaces by utilisation',
          id: 12,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 10,
            w: 12,
            x: 12,
            y: 0,
          },
          description:
            "The 10 interfaces with the highest utilisation in their busier direction: bytes per second over librenms_port_speed_bytes (ports with unknown speed are left out). Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0. Read from the recording rules (port:librenms_port_*:*rate10m, a 10-minute window over LibreNMS polls), so the table costs one sample per port on a big install; the Rate window variable does not apply to it.",
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
              color: {
                mode: 'thresholds',
              },
            },
            overrides: [
              deviceColumnOverride(),
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
                    value: 'In',
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
                  options: 'Value #B',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Out',
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
                  options: 'hostname',
                },
                properties: [
                  {
                    id: 'custom.hidden',
                    value: true,
                  },
                ],
              },
              {
                matcher: {
                  id: 'byName',
                  options: 'ifIndex',
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
                displayName: 'In',
                desc: true,
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  ((port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", direction="receive"} / ignoring(direction) group_left() (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} > 0)) and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (max without(direction) ((port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} / ignoring(direction) group_left() (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} > 0))))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  ((port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", direction="transmit"} / ignoring(direction) group_left() (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} > 0)) and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (max without(direction) ((port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} / ignoring(direction) group_left() (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} > 0))))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} * 8 and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (max without(direction) ((port:librenms_port_bytes:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} / ignoring(direction) group_left() (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"} > 0))))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
                  display: 0,
                  ifName: 1,
                  ifAlias: 2,
                  'Value #C': 3,
                  'Value #A': 4,
                  'Value #B': 5,
                },
              },
            },
          ],
        },
        {
          type: 'table',
          title: 'Top 10 interfaces by error rate',
          id: 13,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 0,
            y: 10,
          },
          description:
            "Interfaces with the most ifInErrors + ifOutErrors per second. Zero everywhere is the good case. Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0. Read from the recording rules (port:librenms_port_*:*rate10m, a 10-minute window over LibreNMS polls), so the table costs one sample per port on a big install; the Rate window variable does not apply to it.",
          fieldConfig: {
            defaults: {
              custom: {
                align: 'auto',
                cellOptions: {
                  type: 'color-text',
                },
                filterable: false,
              },
              unit: 'pps',
              decimals: 2,
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
                    value: 0.01,
                  },
                  {
                    color: 'red',
                    value: 1,
                  },
                ],
              },
            },
            overrides: [
              {
                matcher: {
                  id: 'byName',
                  options: 'display',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Device',
                  },
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
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'auto',
                    },
                  },
                ],
              },
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
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'auto',
                    },
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
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'auto',
                    },
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
                    value: 'In errors/s',
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
                    value: 'Out errors/s',
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
                    value: 'Total errors/s',
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
              {
                matcher: {
                  id: 'byName',
                  options: 'ifIndex',
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
                displayName: 'Total errors/s',
                desc: true,
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (port:librenms_port_errors:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", direction="receive"} and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (sum without(direction) (port:librenms_port_errors:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (port:librenms_port_errors:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", direction="transmit"} and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (sum without(direction) (port:librenms_port_errors:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, display) (\n  (sum without(direction) (port:librenms_port_errors:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}) and on(librenms_instance, hostname, ifName, ifIndex) topk(10, max by (librenms_instance, hostname, ifName, ifIndex) (sum without(direction) (port:librenms_port_errors:rate10m{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}))))\n    * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
                  display: 0,
                  ifName: 1,
                  ifAlias: 2,
                  'Value #A': 3,
                  'Value #B': 4,
                  'Value #C': 5,
                },
              },
            },
          ],
        },
        {
          type: 'table',
          title: 'LibreNMS data freshness per device',
          id: 14,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 12,
            y: 10,
          },
          description:
            'Seconds since LibreNMS last polled each device, worst first, and how long that poll took. Normal is under 5 minutes (300 s); above 10 minutes (600 s) a poll was missed. Old data here means LibreNMS is behind, not the exporter (see the exporter row for that). Ages come from the recording rule device:librenms_device_last_polled_timestamp_seconds:age.',
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
            overrides: [
              deviceColumnOverride(),
              {
                matcher: {
                  id: 'byName',
                  options: 'hostname',
                },
                properties: [
                  {
                    id: 'displayName',
                    value: 'Hostname',
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
                    value: 'Since last poll',
                  },
                  {
                    id: 'unit',
                    value: 's',
                  },
                  {
                    id: 'decimals',
                    value: 0,
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
                          value: 2 * c.pollIntervalSeconds,
                        },
                        {
                          color: 'red',
                          value: c.thresholds.stalePolls * c.pollIntervalSeconds,
                        },
                      ],
                    },
                  },
                  {
                    id: 'custom.cellOptions',
                    value: {
                      type: 'color-background',
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
                    value: 'Poll took',
                  },
                  {
                    id: 'unit',
                    value: 's',
                  },
                  {
                    id: 'decimals',
                    value: 1,
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
                displayName: 'Since last poll',
                desc: true,
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
              expr: 'max by (librenms_instance, hostname, display) (\n  device:librenms_device_last_polled_timestamp_seconds:age{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
              expr: 'max by (librenms_instance, hostname, display) (\n  librenms_device_poll_duration_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n    * on(job, instance, librenms_instance, hostname) group_left(display) librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}\n)',
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
                  display: 0,
                  hostname: 1,
                  'Value #A': 2,
                  'Value #B': 3,
                },
              },
            },
          ],
        },
      ],
    },
    overviewRow(c, 30),
    {
      type: 'row',
      title: 'Exporter health',
      id: 15,
      panels: [
        {
          type: 'timeseries',
          title: 'Exporter refresh duration',
          id: 16,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 8,
            x: 0,
            y: 0,
          },
          description: "Wall time of the exporter's last complete refresh from the LibreNMS API (librenms_exporter_refresh_duration_seconds).",
          fieldConfig: {
            defaults: {
              unit: 's',
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
              displayMode: 'list',
              placement: 'bottom',
              calcs: [],
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
              expr: 'librenms_exporter_refresh_duration_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}',
              legendFormat: 'refresh {{job}} {{instance}} {{librenms_instance}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Age of served data',
          id: 17,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 8,
            x: 8,
            y: 0,
          },
          description:
            'librenms_exporter_cache_age_seconds: how old the LibreNMS data served by the exporter is; it grows when refreshes fail. The second line counts from the last refresh in which every collector succeeded.',
          fieldConfig: {
            defaults: {
              unit: 's',
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
              displayMode: 'list',
              placement: 'bottom',
              calcs: [],
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
              expr: 'librenms_exporter_cache_age_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}',
              legendFormat: 'cache age {{job}} {{instance}} {{librenms_instance}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
            {
              datasource: {
                type: 'prometheus',
                uid: '${datasource}',
              },
              refId: 'B',
              expr: 'time() - librenms_exporter_last_refresh_success_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}',
              legendFormat: 'since last fully successful refresh {{job}} {{instance}} {{librenms_instance}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'state-timeline',
          title: 'Collector success',
          id: 18,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 8,
            x: 16,
            y: 0,
          },
          description:
            "librenms_scrape_collector_success per collector: failed means the collector's last refresh failed and its last good data is being served.",
          fieldConfig: {
            defaults: {
              mappings: [
                {
                  type: 'value',
                  options: {
                    '0': {
                      text: 'failed',
                      color: 'red',
                      index: 0,
                    },
                    '1': {
                      text: 'ok',
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
              custom: {
                fillOpacity: 80,
                lineWidth: 0,
              },
            },
            overrides: [],
          },
          options: {
            mergeValues: true,
            showValue: 'never',
            alignValue: 'left',
            rowHeight: 0.9,
            legend: {
              showLegend: false,
              displayMode: 'list',
              placement: 'bottom',
            },
            tooltip: {
              mode: 'single',
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
              expr: 'librenms_scrape_collector_success{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}',
              legendFormat: '{{collector}} {{job}} {{instance}} {{librenms_instance}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'LibreNMS API requests',
          id: 19,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 0,
            y: 8,
          },
          description: 'Requests the exporter sends to the LibreNMS API per second, by endpoint and HTTP status (or an error code such as timeout).',
          fieldConfig: {
            defaults: {
              unit: 'reqps',
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
              expr: 'sum by (endpoint, code) (\n  max by (instance, librenms_instance, endpoint, code) (rate(librenms_exporter_api_requests_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}[$rate_window]))\n)',
              legendFormat: '{{endpoint}} {{code}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'LibreNMS API request duration (p95)',
          id: 20,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 8,
            w: 12,
            x: 12,
            y: 8,
          },
          description: '95th percentile duration of LibreNMS API requests by endpoint, body included.',
          fieldConfig: {
            defaults: {
              unit: 's',
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
              expr: 'histogram_quantile(0.95, sum by (endpoint, le) (\n  max by (instance, librenms_instance, endpoint, le) (rate(librenms_exporter_api_request_duration_seconds_bucket{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}[$rate_window]))\n))',
              legendFormat: '{{endpoint}}',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
      ],
    },
  ];
  return board(
    {
      __requires: requires(['stat', 'table', 'timeseries', 'state-timeline']),
      annotations: {
        list: [],
      },
      description: 'What is down, what is busy, and is the LibreNMS data fresh? Devices and ports from LibreNMS via librenms-exporter.',
      editable: true,
      fiscalYearStartMonth: 0,
      graphTooltip: 1,
      id: null,
      links: [dashboardLink('Device', 'librenms-device', 'Per-device view'), dashboardLink('Interface', 'librenms-interface', 'Per-interface view')],
      liveNow: false,
      refresh: '1m',
      schemaVersion: 39,
      tags: ['librenms', 'network'],
      templating: {
        list: [
          DATASOURCE_VARIABLE,
          JOB_VARIABLE,
          INSTANCE_VARIABLE,
          LIBRENMS_INSTANCE_VARIABLE,
          {
            type: 'textbox',
            name: 'device_search',
            label: 'Find device',
            description: 'Part of a hostname, IP address or display name (a regular expression, case-insensitive): filters the Devices table.',
            query: '',
            current: {
              selected: false,
              text: '',
              value: '',
            },
            options: [],
            hide: 0,
            skipUrlSync: false,
          },
          RATE_WINDOW_VARIABLE,
        ],
      },
      time: {
        from: 'now-6h',
        to: 'now',
      },
      timepicker: {},
      timezone: 'browser',
      title: 'LibreNMS overview',
      uid: 'librenms-overview',
      version: 1,
      weekStart: '',
    },
    rows,
  );
}
