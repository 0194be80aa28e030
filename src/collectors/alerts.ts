/** The `alerts` collector: open LibreNMS alerts (`/api/v0/alerts?state=1,2,3,4,5`) of the selected devices. */
import { type SampleSink, sampleEach } from '../exposition/sink.js';
import { type AlertRecord, mapAlerts } from '../mapping/alerts.js';
import type { Collector } from './collector.js';

/** Writes `librenms_alert_active` (always 1) for each alert. */
export function writeAlerts(sink: SampleSink, alerts: readonly AlertRecord[]): void {
  sampleEach(
    sink,
    'librenms_alert_active',
    alerts,
    (a) => sink.labels(['hostname', 'rule', 'severity', 'state'], [a.device.hostname, a.rule, a.severity, a.state]),
    () => 1,
  );
}

export const alertsCollector: Collector = {
  name: 'alerts',
  enabledByDefault: true,
  description: "LibreNMS's open alerts (active, acknowledged, worse, better, changed) by rule and severity",
  // A normal user's token is refused it up to 26.7 (routes/api.php, the can:global-read group).
  endpoints: ['/alerts'],
  families: ['librenms_alert_active'],
  async collect(input, sink) {
    const alerts = mapAlerts(await input.inventory.alerts(), input.selection.devices);
    writeAlerts(sink, alerts);
    return { summary: { alerts: alerts.length }, partialErrors: [] };
  },
};
