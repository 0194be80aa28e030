/**
 * Device health (the health collector, off by default: HEALTH in COLLECTORS): processors, memory
 * pools and storage. Thresholds in mixin/config.ts (thresholds.cpuHighRatio, memoryHighRatio,
 * storageFullRatio, storageFillWindow, storageFillHorizon; memoryPoolSelector).
 */
import { seconds } from '../config.js';
import { alert, DEVICE, DEVICE_ANNOTATIONS, DEVICE_ID, DISPLAY_LOOKUP, deviceSkips, forText, humanSeconds, percent, type RuleGroupsOf } from '../lib/rules.js';

const MEMPOOL_ID = `${DEVICE_ID}, mempool_id, mempool_class`;
const STORAGE = `${DEVICE}, storage_id, storage_type`;
const STORAGE_ID = `${DEVICE_ID}, storage_id, storage_type`;
/** The description LibreNMS has for the alert's memory pool or storage ($descr), from its _info series. */
const descrLookup = (info: string, idLabel: string, descrLabel: string) =>
  `{{ $descr := $labels.${idLabel} }}{{ with query (printf "max by (${descrLabel}) (${info}{hostname=%q, librenms_instance=%q, ${idLabel}=%q})" $labels.hostname $labels.librenms_instance $labels.${idLabel}) }}{{ $descr = (. | first | label "${descrLabel}") }}{{ end }}`;
const MEMPOOL_DESCR = descrLookup('librenms_mempool_info', 'mempool_id', 'mempool_descr');
const STORAGE_DESCR = descrLookup('librenms_storage_info', 'storage_id', 'storage_descr');

export const alerts: RuleGroupsOf = (c) => {
  const t = c.thresholds;
  /** A per-target health condition with the device mutes, the device down and the LibreNMS outage left out. */
  const skipped = deviceSkips().map((u) => `  ${u}`);
  const fillWindow = t.storageFillWindow;
  const horizon = seconds(t.storageFillHorizon);
  return [
    {
      name: 'librenms-health',
      rules: [
        alert(c, {
          alert: 'LibreNMSCpuHigh',
          comment: [
            `The average usage of the device's processors above ${percent(t.cpuHighRatio)} (thresholds.cpuHighRatio). Averaged per`,
            'device, so one busy core of a many-core server does not page; a router with one control-plane CPU',
            'is that CPU.',
          ].join('\n'),
          expr: [`avg by (${DEVICE_ID}) (`, '  librenms_processor_usage_ratio', ...skipped, `) > ${t.cpuHighRatio}`].join('\n'),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}CPU of {{ $display }} at {{ $value | humanizePercentage }}`,
          description:
            `${DISPLAY_LOOKUP}The processors of {{ $display }} ({{ $labels.hostname }}) have been busy {{ $value | humanizePercentage }} on average ` +
            `(threshold ${percent(t.cpuHighRatio)}) for ${forText(c, 'LibreNMSCpuHigh')}. A pegged control plane drops routing protocol packets and SNMP answers.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSMemoryHigh',
          comment: `A memory pool (memoryPoolSelector: ${c.memoryPoolSelector}) used above ${percent(t.memoryHighRatio)} (thresholds.memoryHighRatio).`,
          expr: [`max by (${MEMPOOL_ID}) (`, `  (librenms_mempool_usage_ratio{${c.memoryPoolSelector}} > ${t.memoryHighRatio})`, ...skipped, ')'].join('\n'),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}${MEMPOOL_DESCR}Memory {{ $descr }} of {{ $display }} at {{ $value | humanizePercentage }}`,
          description:
            `${DISPLAY_LOOKUP}${MEMPOOL_DESCR}The memory pool {{ $descr }} ({{ $labels.mempool_class }}) of {{ $display }} ({{ $labels.hostname }}) has been {{ $value | humanizePercentage }} used ` +
            `(threshold ${percent(t.memoryHighRatio)}) for ${forText(c, 'LibreNMSMemoryHigh')}.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSStorageNearlyFull',
          comment: `A storage (disk, flash, mount) used above ${percent(t.storageFullRatio)} (thresholds.storageFullRatio).`,
          expr: [`max by (${STORAGE_ID}) (`, `  (librenms_storage_usage_ratio > ${t.storageFullRatio})`, ...skipped, ')'].join('\n'),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}${STORAGE_DESCR}Storage {{ $descr }} of {{ $display }} is {{ $value | humanizePercentage }} full`,
          description:
            `${DISPLAY_LOOKUP}${STORAGE_DESCR}The storage {{ $descr }} of {{ $display }} ({{ $labels.hostname }}) has been {{ $value | humanizePercentage }} full ` +
            `(threshold ${percent(t.storageFullRatio)}) for ${forText(c, 'LibreNMSStorageNearlyFull')}.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSStorageFillingUp',
          comment: [
            `A storage that predict_linear over the last ${fillWindow} (thresholds.storageFillWindow) sees full within`,
            `${humanSeconds(horizon)} (thresholds.storageFillHorizon), while still below the nearly-full threshold (above it,`,
            'LibreNMSStorageNearlyFull fires instead). The value is the time left at that trend (the same linear',
            'regression as deriv()), in seconds.',
          ].join('\n'),
          expr: [
            `max by (${STORAGE_ID}) (`,
            '  (',
            `    (librenms_storage_size_bytes - on(${STORAGE}) librenms_storage_used_bytes)`,
            `      / on(${STORAGE}) (deriv(librenms_storage_used_bytes[${fillWindow}]) > 0)`,
            '  )',
            `  and on(${STORAGE}) (predict_linear(librenms_storage_used_bytes[${fillWindow}], ${horizon}) >= on(${STORAGE}) librenms_storage_size_bytes)`,
            `  unless on(${STORAGE}) (librenms_storage_usage_ratio > ${t.storageFullRatio})`,
            ...skipped,
            ')',
          ].join('\n'),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}${STORAGE_DESCR}Storage {{ $descr }} of {{ $display }} will be full in about {{ $value | humanizeDuration }}`,
          description:
            `${DISPLAY_LOOKUP}${STORAGE_DESCR}At the rate it has filled over the last ${humanSeconds(seconds(fillWindow))}, the storage {{ $descr }} of {{ $display }} ({{ $labels.hostname }}) ` +
            `will be full in about {{ $value | humanizeDuration }}, within ${humanSeconds(horizon)}; the trend has held for ${forText(c, 'LibreNMSStorageFillingUp')}.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
      ],
    },
  ];
};
