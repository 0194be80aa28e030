/** `GET /probe?target=HOSTNAME`: one device, blackbox_exporter style (one target per device in Prometheus). */
import type { FastifyInstance } from 'fastify';
import { knownDevices, lastKnownDevices } from '../../inventory/selection.js';
import type { DeviceRecord } from '../../mapping/devices.js';
import { requestDeadline } from '../deadline.js';
import { BadRequest, badRequestOr, given, pickInstances, quoted, type RouteContext, stringParams } from '../request.js';
import { sendExposition } from '../send.js';

/** The hostname as LibreNMS spells it, when `target` names a device (LibreNMS matches case-insensitively). */
export function findHostname(devices: readonly DeviceRecord[], target: string): string | undefined {
  const wanted = target.toLowerCase();
  return devices.find((d) => d.hostname.toLowerCase() === wanted)?.hostname;
}

export function probeRoute(app: FastifyInstance, context: RouteContext): void {
  app.get<{ Querystring: { target?: string; instance?: string } }>('/probe', { schema: stringParams('target', 'instance') }, async (request, reply) => {
    const deadline = requestDeadline(request.headers, context.config, context.deadlineClock);
    try {
      const target = given(request.query.target);
      if (target === undefined) throw new BadRequest('missing ?target=<LibreNMS device hostname>');
      let unknownInventory = false;
      for (const instance of pickInstances(context.runtime.instances, given(request.query.instance))) {
        // The inventory check shares the scrape's deadline: what it spends, the refresh cannot.
        const devices =
          (await deadline.race(knownDevices(instance.inventory, context.config).catch(() => undefined))) ??
          lastKnownDevices(instance.inventory, context.config);
        if (devices === undefined) {
          unknownInventory = true;
          continue;
        }
        const hostname = findHostname(devices, target);
        if (hostname !== undefined) {
          const exposition = await context.runtime.expose([instance], { target: hostname }, { processMetrics: false }, deadline);
          return await sendExposition(request, reply, exposition, deadline);
        }
      }
      // LibreNMS cannot be asked which devices exist: say so as data, like a failed probe.
      if (unknownInventory) return await sendExposition(request, reply, context.runtime.down(), deadline);
      throw new BadRequest(`unknown target "${quoted(target)}": not a device hostname in LibreNMS`);
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });
}
