/** `GET /metrics`: every device of every instance, or one device group (`?group=`), or one instance (`?instance=`). */
import type { FastifyInstance } from 'fastify';
import { requestDeadline } from '../deadline.js';
import { admitGroup, badRequestOr, given, pickInstances, type RouteContext, stringParams } from '../request.js';
import { sendExposition } from '../send.js';

export function metricsRoute(app: FastifyInstance, context: RouteContext): void {
  app.get<{ Querystring: { instance?: string; group?: string } }>('/metrics', { schema: stringParams('instance', 'group') }, async (request, reply) => {
    const deadline = requestDeadline(request.headers, context.config, context.deadlineClock);
    try {
      const selected = pickInstances(context.runtime.instances, given(request.query.instance));
      const asked = given(request.query.group);
      // The group check shares the scrape's deadline: what it spends, the refresh cannot. An unknown
      // name is refused before it costs a LibreNMS request or a cache.
      const group = asked === undefined ? undefined : await admitGroup(selected, asked, deadline);
      const exposition = await context.runtime.expose(selected, group === undefined ? {} : { group }, { processMetrics: true }, deadline);
      return await sendExposition(request, reply, exposition, deadline);
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });
}
