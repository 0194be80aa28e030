/**
 * `GET /sd`: Prometheus HTTP service discovery, one target per LibreNMS device (for `/probe` jobs).
 * Each instance is asked within the request's deadline; one that fails or is too slow leaves its
 * targets out (named in the `X-Librenms-Unavailable` header and the log) and the others are listed.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/types.js';
import type { Deadline } from '../../deadline.js';
import { describeError } from '../../errors.js';
import { matchesDeviceFilters, selectDevices } from '../../inventory/selection.js';
import { LogLimiter } from '../../log-limit.js';
import { type DeviceRecord, mapDevices } from '../../mapping/devices.js';
import type { InstanceRuntime } from '../../refresh/instance.js';
import { requestDeadline } from '../deadline.js';
import { BadRequest, badRequestOr, clip, param, pickInstances, type RouteContext } from '../request.js';

interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** The query's own filters on top of the configured ones. */
interface SdQuery {
  readonly group: string | undefined;
  readonly os: readonly string[] | undefined;
  readonly type: readonly string[] | undefined;
  readonly status: 'up' | 'down' | undefined;
}

function readQuery(query: unknown): SdQuery {
  const status = param(query, 'status');
  if (status !== undefined && status !== 'up' && status !== 'down') throw new BadRequest('status must be up or down');
  return { group: param(query, 'group'), os: param(query, 'os')?.split(','), type: param(query, 'type')?.split(','), status };
}

/** Prometheus HTTP SD target groups of one instance, filtered by the config and the query. */
async function discover(runtime: InstanceRuntime, query: SdQuery, config: Config, deadline: Deadline): Promise<TargetGroup[] | 'unknown group'> {
  let group: string | undefined;
  if (query.group !== undefined) {
    // An unknown name is refused before it costs a LibreNMS request (see Inventory.admitGroup).
    const inventory = runtime.inventory;
    const admission = await inventory.admitGroup(query.group, () => deadline.race(inventory.groupList().catch(() => undefined)));
    if (admission.verdict === 'unlisted') return 'unknown group';
    if (admission.verdict === 'limited') throw new Error('its device groups cannot be listed and too many unchecked group names were asked for; retry later');
    group = admission.verdict === 'listed' ? admission.name : query.group;
  }
  const rows = await runtime.inventory.devices();
  const known = mapDevices(rows, { includeDisabled: config.exportDisabledDevices, timeZone: config.librenmsTimezone });
  const selected = await selectDevices(known, config.filters, group === undefined ? {} : { group }, runtime.inventory);
  // Group labels are extra: when they cannot be read in time, the targets are still listed.
  const groupsByDevice = (await deadline.race(runtime.inventory.groupsByDevice().catch(() => undefined))) ?? new Map<number, string[]>();
  const kept = selected.filter(
    (d: DeviceRecord) =>
      matchesDeviceFilters(d, config.filters) &&
      (query.os === undefined || query.os.includes(d.os)) &&
      (query.type === undefined || query.type.includes(d.deviceType)) &&
      (query.status === undefined || (query.status === 'up' ? d.up === 1 : d.up === 0)),
  );
  return kept.map((d) => {
    const groups = groupsByDevice.get(d.deviceId) ?? [];
    const labels: Record<string, string> = {
      __meta_librenms_hostname: d.hostname,
      __meta_librenms_sysname: d.sysName,
      __meta_librenms_display: d.display,
      __meta_librenms_os: d.os,
      __meta_librenms_type: d.deviceType,
      __meta_librenms_location: d.location,
      // Separators at both ends, as Prometheus does for Consul tags, so `.*,core,.*` matches one group.
      __meta_librenms_groups: groups.length === 0 ? '' : `,${groups.join(',')},`,
      __meta_librenms_status: d.up === undefined ? 'unknown' : d.up === 1 ? 'up' : 'down',
    };
    if (config.multiInstance) labels['__meta_librenms_instance'] = runtime.instance.name;
    return { targets: [d.hostname], labels };
  });
}

export function sdRoute(app: FastifyInstance, context: RouteContext): void {
  const sdWarnings = new LogLimiter();
  app.get('/sd', async (request, reply) => {
    const deadline = requestDeadline(request.headers, context.config);
    try {
      const query = readQuery(request.query);
      const selected = pickInstances(context.runtime.instances, param(request.query, 'instance'));
      const outcomes = await Promise.all(
        selected.map(async (instance) => {
          try {
            const groups = await deadline.race(discover(instance, query, context.config, deadline));
            return groups === undefined ? { instance, error: 'no answer within the scrape timeout' } : { instance, groups };
          } catch (error) {
            return { instance, error: describeError(error) };
          }
        }),
      );
      const failed = outcomes.flatMap((o) => ('error' in o ? [o] : []));
      for (const f of failed) {
        // Every /sd request during an outage would say the same: once a minute per instance is enough.
        const { write, suppressed } = sdWarnings.allow(f.instance.instance.name);
        if (!write) continue;
        context.logger.warn(
          { error_code: 'sd_failed', librenms_instance: f.instance.instance.name, ...(suppressed > 0 ? { suppressed } : {}) },
          `service discovery left out LibreNMS ${f.instance.instance.name}: ${f.error}${suppressed > 0 ? ` (${suppressed} more like this not logged)` : ''}`,
        );
      }
      if (query.group !== undefined && outcomes.every((o) => 'groups' in o && o.groups === 'unknown group')) {
        throw new BadRequest(`unknown device group "${clip(query.group)}"`);
      }
      if (failed.length === outcomes.length) {
        // Nothing to list: a 503 makes Prometheus keep the targets it had, where an empty list would drop them all.
        return await reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(`LibreNMS inventory unavailable: ${failed.map((f) => f.error).join('; ')}\n`);
      }
      if (failed.length > 0) reply.header('x-librenms-unavailable', failed.map((f) => f.instance.instance.name).join(','));
      const groups = outcomes.flatMap((o) => ('groups' in o && Array.isArray(o.groups) ? o.groups : []));
      return await reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(groups));
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });
}
