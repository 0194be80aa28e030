/** LibreNMS service checks (the services collector): a check that stays critical. */
import { alert, DEVICE, DEVICE_ANNOTATIONS, DEVICE_ID, DISPLAY_LOOKUP, deviceSkips, forText, type RuleGroupsOf } from '../lib/rules.js';

const SERVICE = `${DEVICE}, service_id, service_type, service_name`;
const SERVICE_ID = `${DEVICE_ID}, service_id, service_type, service_name`;
/** The check's description in LibreNMS ($descr, "" when none), from librenms_service_info. */
const SERVICE_DESCR_LOOKUP =
  '{{ $descr := "" }}{{ with query (printf "max by (description) (librenms_service_info{hostname=%q, librenms_instance=%q, service_id=%q})" $labels.hostname $labels.librenms_instance $labels.service_id) }}{{ $descr = (. | first | label "description") }}{{ end }}';
const SERVICE_TEXT = '{{ $labels.service_type }}{{ with $labels.service_name }} "{{ . }}"{{ end }}';

export const alerts: RuleGroupsOf = (c) => [
  {
    name: 'librenms-services',
    rules: [
      alert(c, {
        alert: 'LibreNMSServiceCritical',
        comment: [
          'A LibreNMS service check (Nagios plugin) in CRITICAL (status 2). Checks that are disabled (not run:',
          'their status is stale) or ignored in LibreNMS are left out, with the device mutes; checks of a',
          'down device are left to LibreNMSDeviceDown.',
        ].join('\n'),
        expr: [
          `max by (${SERVICE_ID}) (`,
          '  (librenms_service_status == 2)',
          `  unless on(${SERVICE}) (librenms_service_disabled == 1 or librenms_service_ignored == 1)`,
          ...deviceSkips('services').map((u) => `  ${u}`),
          ')',
        ].join('\n'),
        severity: 'warning',
        summary: `${DISPLAY_LOOKUP}Service check ${SERVICE_TEXT} on {{ $display }} is critical`,
        description:
          `${DISPLAY_LOOKUP}${SERVICE_DESCR_LOOKUP}The LibreNMS service check ${SERVICE_TEXT}{{ if $descr }} ({{ $descr }}){{ end }} of {{ $display }} ({{ $labels.hostname }}) ` +
          `has been CRITICAL for ${forText(c, 'LibreNMSServiceCritical')}.`,
        annotations: DEVICE_ANNOTATIONS,
      }),
    ],
  },
];
