/** Devices and sensors: LibreNMS's poller, device state, reboots, sensor limits. */
import {
  alert,
  DEVICE,
  DEVICE_ANNOTATIONS,
  DEVICE_ID,
  DISPLAY_LOOKUP,
  forText,
  humanSeconds,
  type RuleGroupsOf,
  UNLESS_DEVICE_DOWN,
  UNLESS_DEVICE_MUTED,
  UNLESS_LIBRENMS_DOWN,
} from '../lib/rules.js';

export const recording: RuleGroupsOf = () => [
  {
    name: 'librenms-devices-recording',
    comment: 'Poll freshness.',
    rules: [
      {
        comment: 'Seconds since LibreNMS last polled each device, per scrape target.',
        record: 'device:librenms_device_last_polled_timestamp_seconds:age',
        expr: 'time() - librenms_device_last_polled_timestamp_seconds',
      },
      {
        comment: [
          'Seconds since the newest poll of any device that is up, per LibreNMS (whatever job or /probe',
          'target the devices come from): large only when the whole LibreNMS poller stopped. Down devices',
          'are left out because LibreNMS does not poll their ports, so their timestamp stands still by',
          'design; so is the frozen data of a target that cannot reach LibreNMS.',
        ].join('\n'),
        record: 'librenms_instance:librenms_device_last_polled_timestamp_seconds:age_newest_up',
        expr: [
          'time()',
          '  - max by (librenms_instance) (',
          '      librenms_device_last_polled_timestamp_seconds',
          `        ${UNLESS_DEVICE_DOWN}`,
          `        ${UNLESS_LIBRENMS_DOWN}`,
          '    )',
        ].join('\n'),
      },
    ],
  },
];

export const alerts: RuleGroupsOf = (c) => {
  const staleSeconds = c.thresholds.stalePolls * c.pollIntervalSeconds;
  const polls = `${c.thresholds.stalePolls} poll intervals of ${humanSeconds(c.pollIntervalSeconds)}`;
  /** Wraps a per-target device condition: mutes, outage, then one series per device. */
  const perDevice = (condition: string, { skipDown = true } = {}) =>
    [
      `max by (${DEVICE_ID}) (`,
      `  ${condition}`,
      ...(skipDown ? [`  ${UNLESS_DEVICE_DOWN}`] : []),
      `  ${UNLESS_DEVICE_MUTED}`,
      `  ${UNLESS_LIBRENMS_DOWN}`,
      ')',
    ].join('\n');
  return [
    {
      name: 'librenms-devices',
      rules: [
        alert(c, {
          alert: 'LibreNMSPollerStale',
          comment: 'One alert per LibreNMS when its poller stopped, rather than one per device.',
          expr: `(librenms_instance:librenms_device_last_polled_timestamp_seconds:age_newest_up > ${staleSeconds})\nunless on(librenms_instance) (librenms_instance:librenms_up:max == 0)`,
          severity: 'critical',
          summary: 'LibreNMS {{ with $labels.librenms_instance }}{{ . }} {{ end }}poller stopped: no device polled for {{ $value | humanizeDuration }}',
          description:
            `The newest LibreNMS poll of any up device is {{ $value | humanizeDuration }} old, more than ${polls}. ` +
            'The LibreNMS poller (cron or dispatcher service) seems stopped, so all device and port data of this LibreNMS is frozen.',
        }),
        alert(c, {
          alert: 'LibreNMSDeviceStale',
          comment: 'Per device, only while the poller as a whole still works (otherwise LibreNMSPollerStale).',
          expr: `${perDevice(`(device:librenms_device_last_polled_timestamp_seconds:age > ${staleSeconds})`)}\nunless on(librenms_instance) (librenms_instance:librenms_device_last_polled_timestamp_seconds:age_newest_up > ${staleSeconds})`,
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}LibreNMS has not polled {{ $display }} for {{ $value | humanizeDuration }}`,
          description:
            `${DISPLAY_LOOKUP}Device {{ $display }} ({{ $labels.hostname }}) was last polled by LibreNMS {{ $value | humanizeDuration }} ago, more than ${polls}, ` +
            'while other devices are still polled. Its data, including its ports, is frozen.',
          annotations: DEVICE_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSDeviceDown',
          expr: perDevice('(librenms_device_up == 0)', { skipDown: false }),
          severity: 'critical',
          summary: `${DISPLAY_LOOKUP}Device {{ $display }} is down`,
          description:
            `${DISPLAY_LOOKUP}LibreNMS has reported device {{ $display }} ({{ $labels.hostname }}) as down for ${forText(c, 'LibreNMSDeviceDown')}` +
            '{{ with query (printf "librenms_device_down_reason_info{hostname=%q, librenms_instance=%q}" $labels.hostname $labels.librenms_instance) }} (reason: {{ . | first | label "reason" }}){{ end }}.',
          annotations: DEVICE_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSDeviceRebooted',
          comment: "The device's uptime went back since 15 minutes ago: it restarted. Fires for those 15 minutes.",
          expr: perDevice('(librenms_device_uptime_seconds < librenms_device_uptime_seconds offset 15m)'),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}Device {{ $display }} rebooted`,
          description: `${DISPLAY_LOOKUP}The uptime LibreNMS reads from {{ $display }} ({{ $labels.hostname }}) went back: the device restarted and has been up for {{ $value | humanizeDuration }}.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
      ],
    },
    {
      name: 'librenms-sensors',
      rules: [
        alert(c, {
          alert: 'LibreNMSSensorOutOfRange',
          comment: [
            'A sensor (temperature, optical power in dBm, voltage, ...) outside the alarm limits set in',
            'LibreNMS. Sensors without a limit have no limit series and never match; the full sensor identity',
            'is matched so that two sensors never compare with each other. State sensors',
            '(sensor_class="state") hold a vendor code, not a measurement: never compared. Sensors of a down',
            'device keep their last value and are left to LibreNMSDeviceDown.',
          ].join('\n'),
          expr: (() => {
            const sensor = `${DEVICE}, sensor_class, sensor_index, sensor_descr, sensor_id`;
            return [
              `max by (${DEVICE_ID}, sensor_class, sensor_index, sensor_descr, sensor_id) (`,
              '  (',
              `    (librenms_sensor_value{sensor_class!="state"} > on(${sensor}) librenms_sensor_limit_high)`,
              '    or',
              `    (librenms_sensor_value{sensor_class!="state"} < on(${sensor}) librenms_sensor_limit_low)`,
              '  )',
              `  unless on(${sensor}) (librenms_sensor_alert_enabled == 0)`,
              `  ${UNLESS_DEVICE_DOWN}`,
              `  ${UNLESS_DEVICE_MUTED}`,
              `  ${UNLESS_LIBRENMS_DOWN}`,
              ')',
            ].join('\n');
          })(),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}Sensor {{ $labels.sensor_descr }} ({{ $labels.sensor_class }}) on {{ $display }} out of range: {{ $value }}`,
          description:
            `${DISPLAY_LOOKUP}The {{ $labels.sensor_class }} sensor {{ $labels.sensor_descr }} (index {{ $labels.sensor_index }}) on {{ $display }} ({{ $labels.hostname }}) has read {{ $value }}, ` +
            `outside the high or low alarm limit set for it in LibreNMS, for ${forText(c, 'LibreNMSSensorOutOfRange')}.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
      ],
    },
  ];
};
