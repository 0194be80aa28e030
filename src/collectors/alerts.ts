/** The `alerts` collector: open LibreNMS alerts (`/api/v0/alerts?state=1,2,3,4,5`) of the selected devices. */
import { ALERT_FAMILIES } from '../metrics/catalog.js';
import { ExpositionWriter, writeFamily } from '../metrics/exposition.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { mapAlerts, type AlertRecord } from '../mapping/alerts.js';
import type { Collector, CollectorResult, RefreshContext } from './collector.js';

const [ACTIVE] = ALERT_FAMILIES;

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
  async collect(context: RefreshContext): Promise<CollectorResult> {
    const devices = context.devices;
    if (devices === undefined) throw new Error('alerts skipped: the device list could not be read from LibreNMS');
    // Every open state: LibreNMS's default (state=1) would hide acknowledged, worse, better and changed alerts.
    const rows = await context.client.listAlerts([1, 2, 3, 4, 5]);
    const alerts = mapAlerts(rows, devices);
    const writer = renderAlerts(devices, alerts, new ExpositionWriter(context.constLabels));
    return { series: writer.seriesCount, rendered: writer.finish(), summary: { alerts: alerts.length }, partialErrors: [] };
  },
};
