/**
 * The `ospf` collector: OSPF neighbours (`/api/v0/ospf`) and OSPF interfaces (`/api/v0/ospf_ports`)
 * of the selected devices. Each route is read at most once per CACHE_TTL_SECONDS for the whole
 * install, and each scope keeps its own devices' rows.
 */
import { asError } from '../errors.js';
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { mapOspfInterfaces, mapOspfNeighbors, type OspfInterfaceRecord, type OspfNeighborRecord } from '../mapping/ospf.js';
import { SharedValue } from '../util/single-flight.js';
import type { Collector } from './collector.js';

/** The install-wide reads of the ospf collector, kept between refreshes. */
class OspfReads {
  readonly neighbors: SharedValue<unknown[]>;
  readonly interfaces: SharedValue<unknown[]>;

  constructor(client: LibreNmsClient, ttlMs: number, now: () => number) {
    this.neighbors = new SharedValue(() => client.listOspfNeighbours(), ttlMs, now);
    this.interfaces = new SharedValue(() => client.listOspfPorts(), ttlMs, now);
  }
}

/** Writes the neighbour and interface families. */
export function writeOspf(sink: SampleSink, neighbors: readonly OspfNeighborRecord[], interfaces: readonly OspfInterfaceRecord[]): void {
  sampleEach(
    sink,
    'librenms_ospf_neighbor_state',
    neighbors,
    (n) => sink.labels(['hostname', 'neighbor_address', 'neighbor_router_id', 'vrf'], [n.device.hostname, n.neighborAddress, n.neighborRouterId, n.vrf]),
    (n) => n.state,
  );
  const id = labelsEach(sink, interfaces, ['hostname', 'address', 'area', 'vrf', 'port_id'], (i) => [i.device.hostname, i.address, i.area, i.vrf, i.portId]);
  sampleEach(sink, 'librenms_ospf_interface_state', interfaces, id, (i) => i.state);
  sampleEach(sink, 'librenms_ospf_interface_admin_status', interfaces, id, (i) => i.adminStatus);
  sampleEach(sink, 'librenms_ospf_interface_cost', interfaces, id, (i) => i.cost);
}

export const ospfCollector: Collector = {
  name: 'ospf',
  enabledByDefault: true,
  description: 'OSPF neighbour state, and OSPF interface state, admin status and cost by area',
  // A normal user's token is refused both up to 26.7 (routes/api.php, the can:global-read group).
  endpoints: ['/ospf', '/ospf_ports'],
  families: ['librenms_ospf_neighbor_state', 'librenms_ospf_interface_state', 'librenms_ospf_interface_admin_status', 'librenms_ospf_interface_cost'],
  async collect(input, sink) {
    const reads = input.memory(() => new OspfReads(input.client, input.config.cacheTtlMs, input.now));
    const neighbors = mapOspfNeighbors(await reads.neighbors.get(), input.selection.devices);
    const partialErrors: Error[] = [];
    let interfaces: OspfInterfaceRecord[] = [];
    try {
      interfaces = mapOspfInterfaces(await reads.interfaces.get(), input.selection.devices);
    } catch (error) {
      partialErrors.push(asError(error));
    }
    writeOspf(sink, neighbors, interfaces);
    return { summary: { ospf_neighbors: neighbors.length, ospf_interfaces: interfaces.length }, partialErrors };
  },
};
