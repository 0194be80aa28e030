/**
 * The exporter and LibreNMS themselves: which scrape targets are this exporter, whether they answer,
 * whether LibreNMS answers them.
 */
import { seconds } from '../config.js';
import { alert, forText, percent, type RuleGroup, type RuleGroupsOf, TARGET_LIBRENMS } from '../lib/rules.js';

export const recording: RuleGroupsOf = (c) => {
  const memory = c.targetMemory;
  return [
    {
      name: 'librenms-targets',
      comment: `Scrape targets and LibreNMS reachability (docs/alerting.md, "Which targets are the exporter").`,
      rules: [
        {
          comment: [
            'The /metrics (and /metrics?group=) targets of the exporter: every target of the jobs the',
            `configuration names (metricsJobSelector: ${c.metricsJobSelector}), from its first scrape,`,
            'answered or not; and every target of any other job that exposed librenms_exporter_build_info,',
            `remembered for ${memory} after it was last seen (last_over_time of this rule's own few series:`,
            'the memory survives a Prometheus restart).',
          ].join('\n'),
          record: 'job_instance:librenms_scrape_target:info',
          expr: [
            `group by (job, instance) (up{${c.metricsJobSelector}})`,
            'or',
            'group by (job, instance) (librenms_exporter_build_info)',
            'or',
            '(',
            '  group by (job, instance) (up)',
            `  and on(job, instance) last_over_time(job_instance:librenms_scrape_target:info{kind="metrics"}[${memory}])`,
            ')',
          ].join('\n'),
          labels: { kind: 'metrics' },
        },
        {
          comment: [
            "The /probe jobs (instance = device), one series per job: the configuration's jobs",
            `(probeJobSelector: ${c.probeJobSelector}) and any job whose targets exposed librenms_up without`,
            `librenms_exporter_build_info, remembered for ${memory}.`,
          ].join('\n'),
          record: 'job:librenms_scrape_target:info',
          expr: [
            `group by (job) (up{${c.probeJobSelector}})`,
            'or',
            'group by (job) (librenms_up unless on(job, instance) librenms_exporter_build_info)',
            'or',
            '(',
            '  group by (job) (up)',
            `  and on(job) last_over_time(job:librenms_scrape_target:info{kind="probe"}[${memory}])`,
            ')',
          ].join('\n'),
          labels: { kind: 'probe' },
        },
        {
          comment: '1 while at least one job scrapes the exporter at this address (instance), 0 when every scrape of it fails.',
          record: 'instance:librenms_exporter_up:max',
          expr: 'max by (instance) (\n  up and on(job, instance) job_instance:librenms_scrape_target:info{kind="metrics"}\n)',
        },
        {
          comment: [
            'The same for /probe jobs: 0 when every probe of the job fails. `exporter` is the address of the',
            'exporter behind the job when the job keeps it as a label (docs/prometheus.md, "/probe"): then an',
            'exporter that is down is one alert, not one for its address and one per /probe job.',
          ].join('\n'),
          record: 'job:librenms_probe_up:max',
          expr: 'max by (job, exporter) (\n  up and on(job) job:librenms_scrape_target:info{kind="probe"}\n)',
        },
        {
          comment: 'Devices each /metrics target serves, for LibreNMSScrapeEmpty (a few series: one per target and LibreNMS).',
          record: 'job_instance:librenms_device:count',
          expr: `count by (${TARGET_LIBRENMS}) (librenms_device_up)\n  and on(job, instance) job_instance:librenms_scrape_target:info{kind="metrics"}`,
        },
        {
          comment: '1 while at least one scrape target reaches this LibreNMS, 0 when none does.',
          record: 'librenms_instance:librenms_up:max',
          expr: 'max by (librenms_instance) (librenms_up)',
        },
      ],
    },
  ];
};

export const alerts: RuleGroupsOf = (c) => {
  const slow = c.thresholds.slowScrapeRatio;
  const groups: RuleGroup[] = [
    {
      name: 'librenms-exporter',
      rules: [
        alert(c, {
          alert: 'LibreNMSExporterDown',
          comment: [
            'Every scrape of the exporter at one address fails (/metrics, /metrics?group=), or every probe of',
            "a /probe job fails. A /probe job's outage is left out only when the exporter it reads (its",
            '`exporter` label) is down itself: another exporter being down hides nothing.',
          ].join('\n'),
          expr: [
            '(instance:librenms_exporter_up:max == 0)',
            'or',
            '(',
            '  (job:librenms_probe_up:max == 0)',
            '  unless on(exporter) label_replace(instance:librenms_exporter_up:max == 0, "exporter", "$1", "instance", "(.+)")',
            ')',
          ].join('\n'),
          severity: 'critical',
          summary: 'LibreNMS exporter {{ with $labels.instance }}{{ . }}{{ else }}behind job {{ $labels.job }}{{ end }} is down',
          description:
            'Prometheus has failed every scrape of the LibreNMS exporter {{ with $labels.instance }}at {{ . }}{{ else }}behind the /probe job {{ $labels.job }}{{ end }} ' +
            `for ${forText(c, 'LibreNMSExporterDown')}. No LibreNMS device or port data is collected from it and its device and port alerts are silent until it is back.`,
        }),
        alert(c, {
          alert: 'LibreNMSScrapeFailed',
          comment: [
            'One target of the exporter fails while the exporter answers other scrapes: a job with a wrong',
            '?group=, a /probe target LibreNMS no longer knows, a timeout of one scope.',
          ].join('\n'),
          expr: [
            '(',
            '  (up == 0) and on(job, instance) job_instance:librenms_scrape_target:info{kind="metrics"}',
            '  unless on(instance) (instance:librenms_exporter_up:max == 0)',
            ')',
            'or',
            '(',
            '  (up == 0) and on(job) job:librenms_scrape_target:info{kind="probe"}',
            '  unless on(job) (job:librenms_probe_up:max == 0)',
            ')',
          ].join('\n'),
          severity: 'warning',
          summary: 'Scrape of LibreNMS exporter target {{ $labels.instance }} (job {{ $labels.job }}) failing',
          description:
            `Prometheus has failed to scrape {{ $labels.instance }} of job {{ $labels.job }} for ${forText(c, 'LibreNMSScrapeFailed')} while the exporter answers its other scrapes. ` +
            "The devices and ports of this target are not watched meanwhile. Look at the target's last error on Prometheus's Targets page.",
        }),
        alert(c, {
          alert: 'LibreNMSScrapeSlow',
          comment: [
            `A scrape of the exporter takes more than ${percent(slow)} of its timeout: the next slower one fails.`,
            'scrape_timeout_seconds exists with --enable-feature=extra-scrape-metrics; without it the',
            `configured timeout (${c.scrapeTimeoutSeconds} s) is assumed. /probe jobs: one alert per job.`,
          ].join('\n'),
          expr: [
            '(',
            '  scrape_duration_seconds',
            `    > on(job, instance) (${slow} * (scrape_timeout_seconds or on(job, instance) (scrape_duration_seconds * 0 + ${c.scrapeTimeoutSeconds})))`,
            ')',
            'and on(job, instance) job_instance:librenms_scrape_target:info{kind="metrics"}',
            'or',
            'max by (job) (',
            '  (',
            '    scrape_duration_seconds',
            `      > on(job, instance) (${slow} * (scrape_timeout_seconds or on(job, instance) (scrape_duration_seconds * 0 + ${c.scrapeTimeoutSeconds})))`,
            '  )',
            '  and on(job) job:librenms_scrape_target:info{kind="probe"}',
            ')',
          ].join('\n'),
          severity: 'warning',
          summary: 'Scrapes of LibreNMS exporter {{ with $labels.instance }}{{ . }}{{ else }}job {{ $labels.job }}{{ end }} near their timeout',
          description:
            'Scrapes of {{ with $labels.instance }}{{ . }} (job {{ $labels.job }}){{ else }}the /probe job {{ $labels.job }}{{ end }} have taken {{ $value | humanizeDuration }}, ' +
            `more than ${percent(slow)} of the scrape timeout, for ${forText(c, 'LibreNMSScrapeSlow')}. A slower LibreNMS or a larger install makes them fail: ` +
            'raise scrape_timeout (the exporter follows X-Prometheus-Scrape-Timeout-Seconds), narrow the scope or raise the cache TTL (docs/big-installs.md).',
        }),
        alert(c, {
          alert: 'LibreNMSScrapeEmpty',
          comment: [
            'A /metrics target that reaches LibreNMS serves no device although it served some within the',
            `last ${c.targetMemory}: a device group renamed or emptied, a filter that matches nothing, a token that lost its rights.`,
          ].join('\n'),
          expr: [
            '(',
            '  (librenms_up == 1) and on(job, instance) job_instance:librenms_scrape_target:info{kind="metrics"}',
            `  unless on(${TARGET_LIBRENMS}) job_instance:librenms_device:count`,
            ')',
            `and on(${TARGET_LIBRENMS}) (max_over_time(job_instance:librenms_device:count[${c.targetMemory}]) > 0)`,
          ].join('\n'),
          severity: 'warning',
          summary: 'LibreNMS exporter target {{ $labels.instance }} (job {{ $labels.job }}) serves no device',
          description:
            'The scrape target {{ $labels.instance }} of job {{ $labels.job }} reaches LibreNMS{{ with $labels.librenms_instance }} {{ . }}{{ end }} but has served no device ' +
            `for ${forText(c, 'LibreNMSScrapeEmpty')}, although it served devices before. Check its ?group= and filters, the device group in LibreNMS and the token's rights (\`librenms-exporter check\`).`,
        }),
        alert(c, {
          alert: 'LibreNMSDown',
          comment: 'No scrape target reaches this LibreNMS: one alert per LibreNMS, whatever number of jobs or /probe targets read it.',
          expr: 'librenms_instance:librenms_up:max == 0',
          severity: 'critical',
          summary: 'LibreNMS {{ with $labels.librenms_instance }}{{ . }} {{ end }}API unreachable from the exporter',
          description:
            'No scrape target of the exporter has been able to reach the API of LibreNMS {{ with $labels.librenms_instance }}{{ . }} {{ end }}or its token is rejected, ' +
            `for ${forText(c, 'LibreNMSDown')} (librenms_up == 0). The exporter serves its last good data for a limited time and then drops it; the device and port alerts of this LibreNMS are silenced meanwhile.`,
        }),
        alert(c, {
          alert: 'LibreNMSTargetRefreshFailed',
          comment: 'Some targets cannot refresh from a LibreNMS that other targets reach: their device and port alerts are silenced, so say so.',
          expr: '(librenms_up == 0)\nand on(librenms_instance) (librenms_instance:librenms_up:max == 1)',
          severity: 'warning',
          summary:
            'Exporter target {{ $labels.instance }} (job {{ $labels.job }}) cannot refresh from LibreNMS{{ with $labels.librenms_instance }} {{ . }}{{ end }}',
          description:
            `The scrape target {{ $labels.instance }} of job {{ $labels.job }} has reported librenms_up == 0 for ${forText(c, 'LibreNMSTargetRefreshFailed')} while other targets reach the same LibreNMS. ` +
            'Its devices and ports are not watched meanwhile; check the exporter log for this scope.',
        }),
        alert(c, {
          alert: 'LibreNMSCollectorFailed',
          comment: 'One alert per LibreNMS and collector; the value is the number of targets where it fails.',
          expr: [
            'count by (librenms_instance, collector) (',
            '  (librenms_scrape_collector_success == 0)',
            `  unless on(${TARGET_LIBRENMS}) (librenms_up == 0)`,
            ')',
          ].join('\n'),
          severity: 'warning',
          summary: 'LibreNMS collector {{ $labels.collector }} failing{{ with $labels.librenms_instance }} for LibreNMS {{ . }}{{ end }}',
          description:
            `The {{ $labels.collector }} collector has failed in every refresh for ${forText(c, 'LibreNMSCollectorFailed')} on {{ $value }} scrape target(s) although LibreNMS answers. ` +
            'Its last good data may still be served and is dropped after the maximum age; check the exporter log.',
        }),
      ],
    },
  ];
  // seconds() validates the durations the expressions above embed.
  seconds(c.targetMemory);
  return groups;
};
