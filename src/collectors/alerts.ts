/** The `alerts` collector: open LibreNMS alerts (`/api/v0/alerts?state=1,2,3,4,5`) of the selected devices. */
import { family } from '../exposition/catalog.js';
import { ExpositionWriter, writeFamily } from '../exposition/writer.js';
import { type AlertRecord, mapAlerts } from '../mapping/alerts.js';
import type { DeviceRecord } from '../mapping/devices.js';
import type { Collector, CollectorInput, CollectorResult } from './collector.js';

const ACTIVE = family('librenms_alert_active');

/** Renders `librenms_alert_active` (always 1) for the alerts of `devices`. */
export function renderAlerts(devices: readonly DeviceRecord[], alerts: readonly AlertRecord[], writer = new ExpositionWriter()): ExpositionWriter {
  const selected = new Set(devices);
  const shown = alerts.filter((a) => selected.has(a.device));
  const labels = shown.map((a) => writer.labels(ACTIVE.labels, [a.device.hostname, a.rule, a.severity, a.state]));
  writeFamily(writer, ACTIVE, shown, labels, () => 1);
  return writer;
}

export const alertsCollector: Collector = {
  name: 'alerts',
  async collect(input: CollectorInput): Promise<CollectorResult> {
    const { devices } = input.selection;
    const rows = await input.inventory.alerts();
    const alerts = mapAlerts(rows, devices);
    const writer = renderAlerts(devices, alerts, new ExpositionWriter(input.constLabels));
    return { series: writer.seriesCount, rendered: writer.finish(), summary: { alerts: alerts.length }, partialErrors: [] };
  },
};
