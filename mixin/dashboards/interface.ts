/** LibreNMS interface (grafana/dashboards/librenms-interface.json). */
import type { MixinConfig } from '../config.js';
import { board, dashboardLink, type RowSpec, requires, statPanel, timeseriesPanel } from '../lib/dashboard.js';
import { DATASOURCE_VARIABLE, DEVICE_VARIABLE, INSTANCE_VARIABLE, JOB_VARIABLE, LIBRENMS_INSTANCE_VARIABLE, RATE_WINDOW_VARIABLE } from '../lib/variables.js';

export function dashboard(c: MixinConfig): object {
  const rows: RowSpec[] = [
    {
      type: 'row',
      title: 'Port $ifName',
      id: 1,
      panels: [
        {
          type: 'stat',
          title: 'Oper status',
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
          description: 'IF-MIB ifOperStatus: up, down, testing, unknown, dormant, notPresent, lowerLayerDown.',
          fieldConfig: {
            defaults: {
              mappings: [
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_oper_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Admin status',
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
          description: 'IF-MIB ifAdminStatus: up, down (shut) or testing.',
          fieldConfig: {
            defaults: {
              mappings: [
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_admin_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Alias',
          id: 4,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 8,
            x: 8,
            y: 0,
          },
          description: 'ifAlias (the port description configured on the device).',
          fieldConfig: {
            defaults: {
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
              fields: '/^ifAlias$/',
            },
            orientation: 'auto',
            textMode: 'value',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Type',
          id: 5,
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
          description: 'ifType of the port.',
          fieldConfig: {
            defaults: {
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
              fields: '/^ifType$/',
            },
            orientation: 'auto',
            textMode: 'value',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'table',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Speed',
          id: 6,
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
          description: 'Port speed in bits per second (librenms_port_speed_bytes × 8). 0 means LibreNMS does not know it.',
          fieldConfig: {
            defaults: {
              unit: 'bps',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"} * 8\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'MTU',
          id: 7,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 0,
            y: 4,
          },
          description: 'Port MTU in bytes.',
          fieldConfig: {
            defaults: {
              unit: 'none',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_mtu_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'stat',
          title: 'Last status change',
          id: 8,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 4,
            y: 4,
          },
          description: 'When the port last changed status (from ifLastChange and the device uptime).',
          fieldConfig: {
            defaults: {
              unit: 'dateTimeFromNow',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_last_change_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"} * 1000\n)',
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
          id: 9,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 4,
            x: 8,
            y: 4,
          },
          description: 'Seconds since LibreNMS last polled this port; normal is under 300 s.',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  time() - librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '__auto',
              range: false,
              instant: true,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'state-timeline',
          title: 'Status over time',
          id: 10,
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          gridPos: {
            h: 4,
            w: 12,
            x: 12,
            y: 4,
          },
          description:
            'Operational and administrative status over time (IF-MIB codes, coloured). LibreNMS polls every 5 minutes, so shorter flaps are not seen.',
          fieldConfig: {
            defaults: {
              mappings: [
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
                ],
              },
              custom: {
                fillOpacity: 80,
                lineWidth: 0,
              },
            },
            overrides: [
              {
                matcher: {
                  id: 'byFrameRefID',
                  options: 'B',
                },
                properties: [
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
                ],
              },
            ],
          },
          options: {
            mergeValues: true,
            showValue: 'auto',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_oper_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: 'oper',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  librenms_port_admin_status{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: 'admin',
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
      title: 'Traffic',
      id: 11,
      panels: [
        {
          type: 'timeseries',
          title: 'Traffic (in above, out below)',
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
            "Bits per second received (above the axis) and transmitted (below). Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
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
                axisCenteredZero: true,
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
                  id: 'byFrameRefID',
                  options: 'B',
                },
                properties: [
                  {
                    id: 'custom.transform',
                    value: 'negative-Y',
                  },
                ],
              },
            ],
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} in',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} out',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Utilisation',
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
            "Traffic as a ratio of the port speed (librenms_port_speed_bytes); empty when the speed is unknown (0). Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) / (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"} > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} in',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_bytes_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) / (librenms_port_speed_bytes{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"} > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} out',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Unicast packets (in above, out below)',
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
            "Unicast packets per second (ifInUcastPkts, ifOutUcastPkts). Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
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
                axisCenteredZero: true,
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
                  id: 'byFrameRefID',
                  options: 'B',
                },
                properties: [
                  {
                    id: 'custom.transform',
                    value: 'negative-Y',
                  },
                ],
              },
            ],
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_unicast_packets_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} in',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_unicast_packets_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} out',
              range: true,
              instant: false,
              format: 'time_series',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Errors (in above, out below)',
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
            "Packets with errors per second (ifInErrors, ifOutErrors). Anything above zero on a wired link deserves a look (cabling, duplex). Rates use the rate_window variable (now $rate_window, default 10m) and are computed as in the shipped recording rules: the counter increase divided by the increase of the port's LibreNMS poll time (rate(counter) / rate(librenms_port_last_polled_timestamp_seconds)). LibreNMS polls each device every 5 minutes, so its counters step once per poll: a plain rate() swings between about 55% and 110% of the real value depending on where the polls fall in the window, while this form gives the exact average over the polls in the window. Keep the window at 10m (two polls) or more so that it always holds a poll; longer windows average over more polls. Ports that LibreNMS did not poll during the window (a down device, a stopped poller) show no rate instead of a misleading 0.",
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
                axisCenteredZero: true,
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
                  id: 'byFrameRefID',
                  options: 'B',
                },
                properties: [
                  {
                    id: 'custom.transform',
                    value: 'negative-Y',
                  },
                ],
              },
            ],
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_receive_errors_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} in',
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
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias, ifDescr, ifType, port_id) (\n  increase(librenms_port_transmit_errors_total{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) / (delta(librenms_port_last_polled_timestamp_seconds{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}[$rate_window]) > 0) * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} out',
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
      title: "LibreNMS's own view of the port",
      id: 16,
      panels: [
        statPanel({
          id: 17,
          title: 'Duplex',
          description:
            'Duplex as LibreNMS reads it (EtherLike-MIB dot3StatsDuplexStatus, librenms_port_duplex). A half-duplex link where the far end runs full duplex shows as errors and collisions: check this first when LibreNMSPortErrors fires. Empty when the port does not report it.',
          gridPos: { h: 5, w: 4, x: 0, y: 0 },
          queries: [
            {
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex) (librenms_port_duplex{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"})',
            },
          ],
          mappings: [
            { value: '1', text: 'unknown', color: 'text' },
            { value: '2', text: 'half duplex', color: 'orange' },
            { value: '3', text: 'full duplex', color: 'green' },
          ],
        }),
        timeseriesPanel({
          id: 18,
          title: "LibreNMS's rate (in above, out below)",
          description:
            "The rate LibreNMS computed for its last poll (ifInOctets_rate, ifOutOctets_rate: librenms_port_receive_bytes_per_second, librenms_port_transmit_bytes_per_second), in bits per second: the number LibreNMS's own port page shows. It should match the Traffic panel, which computes the same average from the counters; a difference means LibreNMS and Prometheus see different polls.",
          gridPos: { h: 5, w: 20, x: 4, y: 0 },
          unit: 'bps',
          negativeY: 'B',
          queries: [
            {
              refId: 'A',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias) (\n  librenms_port_receive_bytes_per_second{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"} * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} in (LibreNMS)',
            },
            {
              refId: 'B',
              expr: 'max by (librenms_instance, hostname, ifName, ifIndex, ifAlias) (\n  librenms_port_transmit_bytes_per_second{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"} * 8 * on(job, instance, librenms_instance, hostname, ifName, ifIndex) group_left(ifAlias) librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname", ifName=~"$ifName"}\n)',
              legendFormat: '{{ifName}} — {{ifAlias}} out (LibreNMS)',
            },
          ],
        }),
      ],
    },
  ];
  return board(
    {
      __requires: requires(['stat', 'table', 'timeseries', 'state-timeline']),
      annotations: {
        list: [],
      },
      description: 'One port (for example ether1): status over time, traffic, utilisation, packets and errors.',
      editable: true,
      fiscalYearStartMonth: 0,
      graphTooltip: 1,
      id: null,
      links: [dashboardLink('Overview', 'librenms-overview', 'All devices'), dashboardLink('Device', 'librenms-device', 'The device of this port')],
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
          DEVICE_VARIABLE,
          {
            type: 'query',
            name: 'ifName',
            label: 'Interface',
            description: 'ifName of a port of the chosen device (for example ether1).',
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            definition:
              'label_values(librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}, ifName)',
            query: {
              qryType: 1,
              query:
                'label_values(librenms_port_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance", hostname=~"$hostname"}, ifName)',
              refId: 'PrometheusVariableQueryEditor-VariableQuery',
            },
            regex: '',
            refresh: 2,
            sort: 7,
            current: {},
            options: [],
            hide: 0,
            includeAll: false,
            multi: false,
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
      title: 'LibreNMS interface',
      uid: 'librenms-interface',
      version: 1,
      weekStart: '',
    },
    rows,
  );
}
