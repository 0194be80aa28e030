/** LibreNMS's own pollers (the pollers collector): a poller that stopped reporting or cannot keep up. */
import { alert, forText, humanSeconds, percent, type RuleGroupsOf, TARGET_LIBRENMS, UNLESS_LIBRENMS_DOWN, unlessCollectorFailed } from '../lib/rules.js';

const POLLER_ID = 'librenms_instance, poller';

export const alerts: RuleGroupsOf = (c) => {
  const staleSeconds = c.thresholds.stalePolls * c.pollIntervalSeconds;
  const ratio = c.thresholds.pollerBusyRatio;
  /** A poller series of the targets that read it now (not frozen by an outage or a failing collector). */
  const fresh = (series: string, indent = '    ') => [series, UNLESS_LIBRENMS_DOWN, unlessCollectorFailed('pollers')].join(`\n${indent}`);
  return [
    {
      name: 'librenms-pollers',
      rules: [
        alert(c, {
          alert: 'LibreNMSPollerNotReporting',
          comment: [
            "One LibreNMS poller (a dispatcher node's last report, or the poller-wrapper's last run) older than",
            `${c.thresholds.stalePolls} poll intervals. While the pollers collector fails or LibreNMS is unreachable the exporter`,
            'serves frozen timestamps: those targets are left out (LibreNMSCollectorFailed, LibreNMSDown say it).',
            'A poller LibreNMS no longer lists has no series and does not fire.',
          ].join('\n'),
          expr: [
            '(',
            '  time()',
            `  - max by (${POLLER_ID}) (`,
            `    ${fresh('librenms_poller_last_report_timestamp_seconds')}`,
            '  )',
            `) > ${staleSeconds}`,
          ].join('\n'),
          severity: 'critical',
          summary:
            'LibreNMS poller {{ $labels.poller }}{{ with $labels.librenms_instance }} of {{ . }}{{ end }} has not reported for {{ $value | humanizeDuration }}',
          description:
            `The LibreNMS poller {{ $labels.poller }} last reported {{ $value | humanizeDuration }} ago, more than ${c.thresholds.stalePolls} poll intervals of ${humanSeconds(c.pollIntervalSeconds)}, ` +
            `for ${forText(c, 'LibreNMSPollerNotReporting')}: its service or cron job stopped, or it cannot reach the database. The devices it polls are not polled.`,
        }),
        alert(c, {
          alert: 'LibreNMSPollerOverrun',
          comment: [
            `A poller that takes at least ${percent(ratio)} of its interval (thresholds.pollerBusyRatio): the poller-wrapper's last`,
            `run over the poll interval (${c.pollIntervalSeconds} s), or a dispatcher node's busy worker time per worker type over`,
            "workers × that type's interval (LibreNMS's poller page shows the same share). Value: the share.",
          ].join('\n'),
          expr: [
            '(',
            `    max by (${POLLER_ID}) (`,
            `      ${fresh('librenms_poller_run_duration_seconds', '      ')}`,
            `    ) / ${c.pollIntervalSeconds}`,
            '  or',
            `    max by (${POLLER_ID}, type) (`,
            '      librenms_poller_worker_busy_seconds',
            `        / on(${TARGET_LIBRENMS}, poller, type) (librenms_poller_workers * on(${TARGET_LIBRENMS}, poller, type) librenms_poller_interval_seconds > 0)`,
            `        ${UNLESS_LIBRENMS_DOWN}`,
            `        ${unlessCollectorFailed('pollers')}`,
            '    )',
            `) >= ${ratio}`,
          ].join('\n'),
          severity: 'warning',
          summary:
            'LibreNMS poller {{ $labels.poller }}{{ with $labels.type }} ({{ . }} workers){{ end }} is busy {{ $value | humanizePercentage }} of its interval',
          description:
            'The LibreNMS poller {{ $labels.poller }}{{ with $labels.type }}: its {{ . }} workers were busy{{ else }}: its last run took{{ end }} {{ $value | humanizePercentage }} of the interval ' +
            `for ${forText(c, 'LibreNMSPollerOverrun')} (threshold ${percent(ratio)}). Polls start late and data goes stale: add workers or pollers, or look for slow devices (librenms_device_poll_duration_seconds).`,
        }),
      ],
    },
  ];
};
