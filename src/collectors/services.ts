/**
 * The `services` collector: LibreNMS's service checks (`/api/v0/services`) of the selected devices,
 * read at most once per CACHE_TTL_SECONDS for the whole install.
 */
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { mapServices, type ServiceRecord } from '../mapping/services.js';
import { SharedValue } from '../util/single-flight.js';
import type { Collector } from './collector.js';

const flag = (value: boolean | undefined): number | undefined => (value === undefined ? undefined : value ? 1 : 0);

/** The install-wide read of the services collector, kept between refreshes. */
class ServiceReads {
  readonly services: SharedValue<unknown[]>;

  constructor(client: LibreNmsClient, ttlMs: number, now: () => number) {
    this.services = new SharedValue(() => client.listServices(), ttlMs, now);
  }
}

/** Writes the service families. */
export function writeServices(sink: SampleSink, services: readonly ServiceRecord[]): void {
  const names = ['hostname', 'service_id', 'service_type', 'service_name'];
  const values = (s: ServiceRecord): string[] => [s.device.hostname, String(s.serviceId), s.type, s.name];
  const id = labelsEach(sink, services, names, values);
  sampleEach(sink, 'librenms_service_status', services, id, (s) => s.status);
  sampleEach(sink, 'librenms_service_last_change_timestamp_seconds', services, id, (s) => s.lastChangeSeconds);
  sampleEach(sink, 'librenms_service_disabled', services, id, (s) => flag(s.disabled));
  sampleEach(sink, 'librenms_service_ignored', services, id, (s) => flag(s.ignored));
  sampleEach(
    sink,
    'librenms_service_info',
    services,
    (s) => sink.labels([...names, 'description', 'ip'], [...values(s), s.description, s.ip]),
    () => 1,
  );
}

export const servicesCollector: Collector = {
  name: 'services',
  enabledByDefault: true,
  description: 'LibreNMS service checks: status (the plugin exit code), last change, disabled and ignored flags',
  // A normal user's token is refused it up to 26.7 (routes/api.php, the can:global-read group).
  endpoints: ['/services'],
  families: [
    'librenms_service_status',
    'librenms_service_last_change_timestamp_seconds',
    'librenms_service_disabled',
    'librenms_service_ignored',
    'librenms_service_info',
  ],
  async collect(input, sink) {
    const reads = input.memory(() => new ServiceReads(input.client, input.config.cacheTtlMs, input.now));
    const services = mapServices(await reads.services.get(), input.selection.devices);
    writeServices(sink, services);
    return { summary: { services: services.length }, partialErrors: [] };
  },
};
