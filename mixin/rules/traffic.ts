/**
 * Per-poll records: the traffic report's volumes and 95th percentiles, and the status changes the
 * flapping alert counts. Each evaluation compares a port's poll timestamp with the one the previous
 * evaluation saw (the copies at the end of the group, read before they are overwritten: the rules of
 * a group run in order).
 */
import { seconds } from '../config.js';
import { humanSeconds, PORT, type RuleGroupsOf } from '../lib/rules.js';

const TS = 'librenms_port_last_polled_timestamp_seconds';
const TS_COPY = 'port:librenms_port_last_polled_timestamp_seconds:last_poll';
const BYTES_COPY = 'port:librenms_port_bytes:last_poll';
/** A poll LibreNMS made since the previous evaluation. */
const NEW_POLL = `(${TS} > on(${PORT}) ${TS_COPY})`;

export const recording: RuleGroupsOf = (c) => {
  const gap = Math.round(c.traffic.gapPolls * c.pollIntervalSeconds);
  const maxGap = seconds(c.traffic.maxGap);
  const counters = { receive: 'librenms_port_receive_bytes_total', transmit: 'librenms_port_transmit_bytes_total' } as const;
  const directions = ['receive', 'transmit'] as const;
  return [
    {
      name: 'librenms-traffic',
      comment: [
        'Traffic volume per LibreNMS poll (the traffic report: grafana/dashboards/librenms-traffic-report.json).',
        "A volume over a time range is the sum of the increments of the LibreNMS polls in it: each poll's",
        'counter delta counted exactly once, in the range where Prometheus first saw it. A plain',
        'increase(counter[1d]) is not that: it starts from the first sample inside the range and',
        "extrapolates to the range's edges.",
        '',
        'Only when LibreNMS polled the port since the previous evaluation is a sample recorded:',
        '  increase_poll = counter now - counter the previous evaluation saw; a counter lower than before',
        '                  restarted from 0 (a reboot): its value now is the increase.',
        "  bits:rate_poll = that increase in bits / seconds between the two polls: the poll's average",
        '                  bit rate, one sample per poll, so quantile_over_time(0.95, ...) is the 95th',
        '                  percentile of per-poll averages that transit providers bill on, for every port',
        '                  (no port speed needed).',
        'Gaps (traffic.gapPolls, traffic.maxGap; docs/grafana.md, "Gaps"): the copies carry themselves',
        `through an exporter or LibreNMS outage of up to ${humanSeconds(maxGap)}, so the first poll after it counts`,
        'every byte of the gap (the counters are the truth), and a poll more than',
        `${humanSeconds(gap)} after the previous one is marked (gap_seconds) and left out of the 95th percentile.`,
        'A Prometheus restart longer than its lookback (5 minutes) loses the copies: the next poll is',
        'marked gap_seconds = -1 (counting restarted) and the bytes of the restart are not counted.',
        '',
        'Cost: every rule reads one sample per port and series (no range over the copies); the copies',
        'are three series per port, the per-poll records four.',
      ].join('\n'),
      rules: [
        {
          comment: [
            'Status changes as LibreNMS sees them, for LibreNMSPortFlapping: a port whose last status change',
            "(ifLastChange) is later than the poll the previous evaluation saw, valued with the new poll's",
            'timestamp. One sample per poll that saw a change, whatever the poll interval (1-minute polling',
            'counts each change once, as 5-minute polling does).',
          ].join('\n'),
          record: 'port:librenms_port_status_change:poll_timestamp',
          expr: [TS, `and on(${PORT}) (librenms_port_last_change_timestamp_seconds > on(${PORT}) ${TS_COPY})`, `and on(${PORT}) ${NEW_POLL}`].join('\n'),
        },
        ...directions.map((d) => ({
          ...(d === 'receive' ? { comment: 'The bytes of the poll or polls LibreNMS made since the previous evaluation.' } : {}),
          record: 'port:librenms_port_bytes:increase_poll',
          expr: [
            '(',
            `    ((${counters[d]} - on(${PORT}) ${BYTES_COPY}{direction="${d}"}) >= 0)`,
            '  or',
            `    (${counters[d]} and on(${PORT}) ${BYTES_COPY}{direction="${d}"})`,
            ')',
            `and on(${PORT}) ${NEW_POLL}`,
          ].join('\n'),
          labels: { direction: d },
        })),
        {
          comment: [
            "The poll's average bit rate (bits per second), for the 95th percentile; polls that end a gap",
            `longer than ${humanSeconds(gap)} are left out (their average spans several polls).`,
          ].join('\n'),
          record: 'port:librenms_port_bits:rate_poll',
          expr: [
            'port:librenms_port_bytes:increase_poll * 8',
            '  / ignoring(direction) group_left()',
            `    ((${TS} - on(${PORT}) ${TS_COPY}) > 0 <= ${gap})`,
          ].join('\n'),
        },
        {
          comment: [
            `Gap marker: seconds between two polls seen more than ${humanSeconds(gap)} apart (their bytes are counted,`,
            'their average is not a 95th-percentile sample), or -1 where counting restarted (a new port, or',
            'Prometheus was down longer than its lookback). One sample per such poll.',
          ].join('\n'),
          record: 'port:librenms_port_poll:gap_seconds',
          expr: [`((${TS} - on(${PORT}) ${TS_COPY}) > ${gap})`, 'or', `((${TS} unless on(${PORT}) ${TS_COPY}) * 0 - 1)`].join('\n'),
        },
        ...directions.map((d) => ({
          ...(d === 'receive'
            ? {
                comment: [
                  'What this evaluation saw, for the next one (keep these three last in the group). Each copy',
                  `carries its last value through an outage, for up to ${humanSeconds(maxGap)} after the port's last poll.`,
                ].join('\n'),
              }
            : {}),
          record: BYTES_COPY,
          expr: [counters[d], `or on(${PORT})`, `  (${BYTES_COPY}{direction="${d}"} and on(${PORT}) (${TS_COPY} > (time() - ${maxGap})))`].join('\n'),
          labels: { direction: d },
        })),
        {
          record: TS_COPY,
          expr: `${TS}\nor on(${PORT})\n  (${TS_COPY} > (time() - ${maxGap}))`,
        },
      ],
    },
  ];
};
