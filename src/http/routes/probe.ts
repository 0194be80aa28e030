/** `GET /probe?target=HOSTNAME`: one device, blackbox_exporter style (one target per device in Prometheus). */
import type { FastifyInstance } from 'fastify';
import { labelText } from '../../mapping/text.js';
import { readText } from '../../mapping/values.js';
import { requestDeadline } from '../deadline.js';
import { BadRequest, badRequestOr, clip, param, pickInstances, type RouteContext } from '../request.js';
import { sendExposition } from '../send.js';

/** The hostname as LibreNMS spells it, when `target` names a device (LibreNMS matches case-insensitively). */
export function findHostname(rows: readonly unknown[], target: string): string | undefined {
  const wanted = target.toLowerCase();
  for (const row of rows) {
    // Read as the device mapping reads it (what /sd lists): an all-digit hostname may come as a JSON number.
    const hostname = labelText(readText((row as Record<string, unknown> | null)?.['hostname']));
    if (hostname !== '' && hostname.toLowerCase() === wanted) return hostname;
  }
  return undefined;
}

export function probeRoute(app: FastifyInstance, context: RouteContext): void {
  app.get('/probe', async (request, reply) => {
    const deadline = requestDeadline(request.headers, context.config, context.deadlineClock);
    try {
      const target = param(request.query, 'target');
      if (target === undefined) throw new BadRequest('missing ?target=<LibreNMS device hostname>');
      let unknownInventory = false;
      for (const instance of pickInstances(context.runtime.instances, param(request.query, 'instance'))) {
        // The inventory check shares the scrape's deadline: what it spends, the refresh cannot.
        const rows = (await deadline.race(instance.inventory.devices().catch(() => undefined))) ?? instance.inventory.lastDevices;
        if (rows === undefined) {
          unknownInventory = true;
          continue;
        }
        const hostname = findHostname(rows, target);
        if (hostname !== undefined) {
          const exposition = await context.runtime.expose([instance], { target: hostname }, { processMetrics: false }, deadline);
          return await sendExposition(request, reply, exposition, deadline);
        }
      }
      // LibreNMS cannot be asked which devices exist: say so as data, like a failed probe.
      if (unknownInventory) return await sendExposition(request, reply, context.runtime.down(), deadline);
      throw new BadRequest(`unknown target "${clip(target)}": not a device hostname in LibreNMS`);
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });
}
