/** Ports: exact rates over LibreNMS polls, port state memory, and the port alerts. */
import { seconds } from '../config.js';
import {
  ALIAS_LOOKUP,
  alert,
  DISPLAY_LOOKUP,
  forText,
  humanSeconds,
  PORT,
  PORT_ANNOTATIONS,
  PORT_ID,
  PORT_TEXT,
  percent,
  type RuleGroupsOf,
  UNLESS_DEVICE_DOWN,
  UNLESS_DEVICE_MUTED,
  UNLESS_LIBRENMS_DOWN,
  UNLESS_PORT_MUTED,
} from '../lib/rules.js';

/** Seconds between the polls in the last 10 minutes; absent while LibreNMS does not poll the port. */
const POLL_SECONDS_10M = '(delta(librenms_port_last_polled_timestamp_seconds[10m]) > 0)';

export const recording: RuleGroupsOf = (c) => {
  const minPps = c.thresholds.portErrorMinPacketsPerSecond;
  /**
   * Per second over the polls of the last 10 minutes, both directions in one rule (`direction`
   * label), optionally filtered (`> 0`); `addReceive` is a counter added to the receive one.
   */
  const perDirection = (receive: string, transmit: string, filter = '', addReceive?: string) =>
    [
      '(',
      '  (',
      `      label_replace(increase(${receive}[10m])${addReceive === undefined ? '' : ` + increase(${addReceive}[10m])`}, "direction", "receive", "", "")`,
      '    or',
      `      label_replace(increase(${transmit}[10m]), "direction", "transmit", "", "")`,
      '  )',
      `  / ignoring(direction) group_left() ${POLL_SECONDS_10M}`,
      `)${filter === '' ? '' : ` ${filter}`}`,
    ].join('\n');
  // "Was up before": the state one poll back, and at least three evaluations back so that the
  // evaluation that first sees the port down still sees it up there.
  const stillUp = Math.max(c.pollIntervalSeconds, 3 * c.evaluationIntervalSeconds);
  return [
    {
      name: 'librenms-recording',
      comment: [
        "Why the port rates divide by the change of the port's poll timestamp:",
        "LibreNMS polls every few minutes, so the exporter's counters are staircases: flat between polls,",
        'then one step. A plain rate(x[10m]) counts one or two steps depending on where the window falls',
        '(Prometheus 3 windows exclude their left edge; an overloaded poller steps late; scrapes drift',
        'against polls) and swings between about 55% and 110% of the real rate.',
        'librenms_port_last_polled_timestamp_seconds steps at the same polls (same LibreNMS row, same',
        'exporter refresh), so increase(counter[10m]) / delta(poll_timestamp[10m]) is the exact average',
        'over the polls in the window, in every Prometheus version. delta() because the timestamp is a',
        'gauge (Prometheus 3 flags rate() of a gauge). When LibreNMS stops polling the timestamp stands',
        'still, `> 0` drops the port, and no rate is recorded instead of a misleading 0.',
        '',
        'Cost (docs/big-installs.md, "Rules and dashboards at scale"): two series per port here, and',
        'errors only for ports that have errors.',
      ].join('\n'),
      rules: [
        {
          comment: 'Traffic, bytes per second, one series per direction (both in one rule: the poll seconds are computed once).',
          record: 'port:librenms_port_bytes:rate10m',
          expr: perDirection('librenms_port_receive_bytes_total', 'librenms_port_transmit_bytes_total'),
        },
        {
          comment: 'Errored packets per second; only ports with errors are recorded (an error-free port costs no series).',
          record: 'port:librenms_port_errors:rate10m',
          expr: perDirection('librenms_port_receive_errors_total', 'librenms_port_transmit_errors_total', '> 0'),
        },
        {
          comment: [
            'Share of packets with errors (0..1), for ports with errors that move at least',
            `${minPps} packet/s (thresholds.portErrorMinPacketsPerSecond), so one error on an idle port is no`,
            'ratio. IF-MIB: ifInUcastPkts counts packets delivered upwards (errored ones are not included),',
            'so receive packets = unicast + errors; ifOutUcastPkts already includes packets that failed, so',
            'transmit packets = unicast.',
          ].join('\n'),
          record: 'port:librenms_port_errors:ratio_rate10m',
          expr: [
            'port:librenms_port_errors:rate10m',
            `  / on(${PORT}, direction) (`,
            perDirection(
              'librenms_port_receive_unicast_packets_total',
              'librenms_port_transmit_unicast_packets_total',
              `>= ${minPps}`,
              'librenms_port_receive_errors_total',
            )
              .split('\n')
              .map((l) => `      ${l}`)
              .join('\n'),
            '    )',
          ].join('\n'),
        },
        {
          comment: [
            'Port state memory (cheap at 100k ports: only ports that changed are recorded). A port that is',
            `down now (ifOperStatus ${c.portDownOperStatus.join(' or ')}: portDownOperStatus; dormant and lowerLayerDown`,
            `are not outages) and was seen up before: 1 from the first evaluation that sees it down after`,
            `being up ${humanSeconds(stillUp)} earlier, and for as long as it stays down, by reading its own previous value.`,
            "last_over_time(...[1h]) over the rule's own few series carries the memory over a Prometheus",
            'restart of up to an hour. Ports never seen up (nothing plugged in) are never recorded.',
          ].join('\n'),
          record: 'port:librenms_port_up:down_after_up',
          expr: [
            '((librenms_port_up == 0) + 1)',
            `unless on(${PORT}) (librenms_port_oper_status${c.portDownOperStatus.map((s) => ` != ${s}`).join('')})`,
            `and on(${PORT})`,
            '(',
            `    (librenms_port_up offset ${humanOffset(stillUp)} == 1)`,
            '  or',
            '    last_over_time(port:librenms_port_up:down_after_up[1h])',
            ')',
          ].join('\n'),
        },
      ],
    },
  ];
};

function humanOffset(s: number): string {
  return s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

export const alerts: RuleGroupsOf = (c) => {
  const paging = `and on(${PORT}) librenms_port_info{${c.pagingPortSelector}}`;
  const perPort = (condition: string, by: string, { skipDown = true } = {}) =>
    [
      `max by (${by}) (`,
      `  ${condition}`,
      `  ${UNLESS_PORT_MUTED}`,
      ...(skipDown ? [`  ${UNLESS_DEVICE_DOWN}`] : []),
      `  ${UNLESS_DEVICE_MUTED}`,
      `  ${UNLESS_LIBRENMS_DOWN}`,
      ')',
    ].join('\n');
  const lookups = `${DISPLAY_LOOKUP}${ALIAS_LOOKUP}`;
  const flapPolls = c.thresholds.flapChanges;
  return [
    {
      name: 'librenms-ports',
      rules: [
        alert(c, {
          alert: 'LibreNMSPortDown',
          comment: [
            'Admin up, oper down, and seen up before it went down (port:librenms_port_up:down_after_up):',
            'fires for as long as the port stays down. Only ports in the paging scope',
            `(pagingPortSelector: ${c.pagingPortSelector}) page; ports of a down device are left to LibreNMSDeviceDown.`,
          ].join('\n'),
          expr: perPort(`port:librenms_port_up:down_after_up\n  and on(${PORT}) (librenms_port_admin_status == 1)\n  ${paging}`, PORT_ID),
          severity: 'warning',
          summary: `${lookups}Port ${PORT_TEXT} on {{ $display }} is down`,
          description:
            `${lookups}Port ${PORT_TEXT} on {{ $display }} ({{ $labels.hostname }}) is administratively up but operationally down ` +
            `for ${forText(c, 'LibreNMSPortDown')}; it was up before.`,
          annotations: PORT_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSPortFlapping',
          comment: [
            `At least ${flapPolls} LibreNMS polls within ${c.thresholds.flapWindow} saw a status change (ifLastChange moved`,
            'after the previous poll: port:librenms_port_status_change:poll_timestamp, whatever the poll',
            'interval), on a port in the paging scope that is administratively up.',
          ].join('\n'),
          expr: perPort(
            `(changes(port:librenms_port_status_change:poll_timestamp[${c.thresholds.flapWindow}]) >= ${flapPolls - 1}) + 1\n  and on(${PORT}) (librenms_port_admin_status == 1)\n  ${paging}`,
            PORT_ID,
          ),
          severity: 'warning',
          summary: `${lookups}Port ${PORT_TEXT} on {{ $display }} is flapping`,
          description:
            `${lookups}{{ $value }} LibreNMS polls of port ${PORT_TEXT} on {{ $display }} ({{ $labels.hostname }}) within ` +
            `the last ${seconds(c.thresholds.flapWindow) === 3600 ? 'hour' : humanSeconds(seconds(c.thresholds.flapWindow))} saw its status change (ifLastChange moved).`,
          annotations: PORT_ANNOTATIONS,
        }),
        {
          comment: [
            `The LibreNMSPortBusy threshold (thresholds.portBusyRatio in mixin/config.ts, ${percent(c.thresholds.portBusyRatio)}),`,
            "as a series: the alert's description and the dashboards read it.",
          ].join('\n'),
          record: 'global:librenms_port_utilisation:busy_threshold',
          expr: `vector(${c.thresholds.portBusyRatio})`,
        },
        alert(c, {
          alert: 'LibreNMSPortBusy',
          comment: [
            `Receive or transmit above the busy threshold, averaged over 10 minutes of polls, for the for:`,
            `duration (${c.for.LibreNMSPortBusy}), so one busy poll does not alert. Ports with speed 0 or unknown are skipped.`,
          ].join('\n'),
          expr: perPort(
            [
              '(',
              '    port:librenms_port_bytes:rate10m',
              '      / ignoring(direction) group_left() (librenms_port_speed_bytes > 0)',
              '  )',
              '  > on() group_left() global:librenms_port_utilisation:busy_threshold',
            ].join('\n'),
            `${PORT_ID}, direction`,
            { skipDown: false },
          ),
          severity: 'warning',
          summary: `${lookups}Port ${PORT_TEXT} on {{ $display }}: {{ $labels.direction }} at {{ $value | humanizePercentage }} of its speed`,
          description:
            `${lookups}The {{ $labels.direction }} traffic of port ${PORT_TEXT} on {{ $display }} ({{ $labels.hostname }}) has stayed above ` +
            '{{ with query "global:librenms_port_utilisation:busy_threshold" }}{{ . | first | value | humanizePercentage }}{{ end }} of the port speed (the busy threshold) ' +
            `for ${forText(c, 'LibreNMSPortBusy')}; now {{ $value | humanizePercentage }} (10-minute average over LibreNMS polls).`,
          annotations: PORT_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSPortErrors',
          comment: `More than ${percent(c.thresholds.portErrorRatio)} of the packets with errors, on ports moving at least ${c.thresholds.portErrorMinPacketsPerSecond} packet/s.`,
          expr: perPort(`port:librenms_port_errors:ratio_rate10m > ${c.thresholds.portErrorRatio}`, `${PORT_ID}, direction`, { skipDown: false }),
          severity: 'warning',
          summary: `${lookups}Port ${PORT_TEXT} on {{ $display }}: {{ $value | humanizePercentage }} {{ $labels.direction }} errors`,
          description:
            `${lookups}{{ $value | humanizePercentage }} of the {{ $labels.direction }} packets of port ${PORT_TEXT} on {{ $display }} ({{ $labels.hostname }}) ` +
            `have had errors for ${forText(c, 'LibreNMSPortErrors')} (threshold ${percent(c.thresholds.portErrorRatio)}, on at least ${c.thresholds.portErrorMinPacketsPerSecond} packet/s). ` +
            'Check cabling, optics, duplex and the far end.',
          annotations: PORT_ANNOTATIONS,
        }),
      ],
    },
  ];
};
