/**
 * `GET /sd`: Prometheus HTTP service discovery, one target per LibreNMS device (for `/probe` jobs).
 * Each instance is asked within the request's SD budget (see `sdBudgetMs`); one that fails or is too
 * slow is listed from its last answer when it has one (named in `X-Librenms-Stale`), else left out
 * (named in `X-Librenms-Unavailable`), and the others are listed. Every text of the answer is bounded:
 * each label as `labelText` cuts it, the group list at {@link MAX_GROUPS_LABEL_CHARS}.
 */
import type { FastifyInstance } from 'fastify';
import { describeFailure } from '../../advice.js';
import type { Config } from '../../config-types.js';
import type { Deadline } from '../../deadline.js';
import { readSelection } from '../../inventory/selection.js';
import { LogLimiter } from '../../log-limit.js';
import type { DeviceRecord } from '../../mapping/devices.js';
import { labelText } from '../../mapping/text.js';
import type { InstanceRuntime } from '../../refresh/instance.js';
import { sdDeadline } from '../deadline.js';
import { admitGroupIn, BadRequest, badRequestOr, given, pickInstances, quoted, type RouteContext, stringParams } from '../request.js';

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

/** Time kept back from a discovery's wait for group labels, so that the targets make it in time (ms). */
const LABEL_WAIT_MARGIN_MS = 250;

/** Longest `__meta_librenms_groups`: the groups of a device past it are left out of the label. */
export const MAX_GROUPS_LABEL_CHARS = 4096;

/**
 * A hostname Prometheus cannot use as a target: with a line break, its default relabel regex `(.*)`
 * (whose `.` stops at `\n`) no longer matches, and the target is built wrong.
 */
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;

/** The query parameters of `/sd`, each one string (see {@link stringParams}). */
type SdParams = { group?: string; os?: string; type?: string; status?: string; instance?: string };

function readQuery(query: SdParams): SdQuery {
  const status = given(query.status);
  if (status !== undefined && status !== 'up' && status !== 'down') throw new BadRequest('status must be up or down');
  return { group: given(query.group), os: given(query.os)?.split(','), type: given(query.type)?.split(','), status };
}

/**
 * `__meta_librenms_groups`: the names with separators at both ends, as Prometheus does for Consul
 * tags, so `.*,core,.*` matches one group. Each name is cut like any label; names that would take the
 * label past {@link MAX_GROUPS_LABEL_CHARS} are left out.
 */
export function groupsLabel(names: readonly string[]): string {
  let label = ',';
  for (const name of names) {
    if (label.length + name.length + 1 > MAX_GROUPS_LABEL_CHARS) break;
    label += `${name},`;
  }
  return label === ',' ? '' : label;
}

/** What one instance's discovery gave: its targets and the hostnames left out as unusable. */
interface Discovered {
  readonly groups: TargetGroup[];
  readonly unusable: number;
}

/**
 * The target groups of one instance: the configured filters and `?group=`; the query's `os`, `type`
 * and `status` are applied after ({@link narrow}), so an unscoped answer can be kept whole.
 */
async function discover(runtime: InstanceRuntime, group: string | undefined, config: Config, deadline: Deadline): Promise<Discovered | 'unknown group'> {
  let scope: string | undefined;
  if (group !== undefined) {
    // An unknown name is refused before it costs a LibreNMS request.
    const admitted = await admitGroupIn(runtime, group, deadline);
    if (admitted === 'unlisted') return 'unknown group';
    scope = admitted.scope;
  }
  const { devices: selected } = await readSelection(runtime.inventory, config, scope === undefined ? {} : { group: scope });
  // Group labels are extra: when they cannot be read in time, the targets are still listed. Their
  // wait ends a little before the request's, so the targets are ready when the request's time is up.
  const labelDeadline = deadline.earlierBy(Math.min(LABEL_WAIT_MARGIN_MS, deadline.remainingMs() / 4));
  const groupsByDevice = (await labelDeadline.race(runtime.inventory.groupsByDevice().catch(() => undefined))) ?? new Map<number, string[]>();
  // Each group name is cleaned once, however many devices are in it.
  const cleaned = new Map<string, string>();
  const clean = (name: string): string => {
    const known = cleaned.get(name);
    if (known !== undefined) return known;
    const text = labelText(name);
    cleaned.set(name, text);
    return text;
  };
  let unusable = 0;
  const groups: TargetGroup[] = [];
  for (const d of selected) {
    if (LINE_BREAK.test(d.hostname)) {
      unusable++;
      continue;
    }
    const labels: Record<string, string> = {
      __meta_librenms_hostname: d.hostname,
      __meta_librenms_sysname: d.sysName,
      __meta_librenms_display: d.display,
      __meta_librenms_os: d.os,
      __meta_librenms_type: d.deviceType,
      __meta_librenms_location: d.location,
      __meta_librenms_groups: groupsLabel((groupsByDevice.get(d.deviceId) ?? []).map(clean)),
      __meta_librenms_status: statusOf(d),
    };
    if (config.multiInstance) labels['__meta_librenms_instance'] = runtime.instance.name;
    groups.push({ targets: [d.hostname], labels });
  }
  return { groups, unusable };
}

function statusOf(d: DeviceRecord): string {
  return d.up === undefined ? 'unknown' : d.up === 1 ? 'up' : 'down';
}

/** The query's `os`, `type` and `status` filters, read from the labels (so a kept answer can be narrowed too). */
function narrow(groups: readonly TargetGroup[], query: SdQuery): TargetGroup[] {
  return groups.filter(
    ({ labels }) =>
      (query.os === undefined || query.os.includes(labels['__meta_librenms_os'] ?? '')) &&
      (query.type === undefined || query.type.includes(labels['__meta_librenms_type'] ?? '')) &&
      (query.status === undefined || labels['__meta_librenms_status'] === query.status),
  );
}

type Outcome =
  | { readonly instance: InstanceRuntime; readonly groups: TargetGroup[]; readonly staleSeconds?: number; readonly error?: string }
  | { readonly instance: InstanceRuntime; readonly error: string }
  | { readonly instance: InstanceRuntime; readonly unknownGroup: true };

export function sdRoute(app: FastifyInstance, context: RouteContext): void {
  const sdWarnings = new LogLimiter();
  /** The last whole (unscoped) answer of each instance, and when: listed again while it is late or failing. */
  const lastAnswers = new Map<string, { readonly groups: TargetGroup[]; readonly at: number }>();
  const warn = (key: string, fields: Record<string, unknown>, message: string): void => {
    // Every /sd request during an outage would say the same: once a minute per instance and kind is enough.
    const { write, suppressed } = sdWarnings.allow(key);
    if (!write) return;
    context.logger.warn(
      { ...fields, ...(suppressed > 0 ? { suppressed } : {}) },
      `${message}${suppressed > 0 ? ` (${suppressed} more like this not logged)` : ''}`,
    );
  };

  app.get<{ Querystring: SdParams }>('/sd', { schema: stringParams('group', 'os', 'type', 'status', 'instance') }, async (request, reply) => {
    const deadline = sdDeadline(request.headers, context.config, context.deadlineClock);
    try {
      const query = readQuery(request.query);
      const selected = pickInstances(context.runtime.instances, given(request.query.instance));
      const outcomes = await Promise.all(
        selected.map(async (instance): Promise<Outcome> => {
          const name = instance.instance.name;
          let error: string;
          try {
            const found = await deadline.race(discover(instance, query.group, context.config, deadline));
            if (found === 'unknown group') return { instance, unknownGroup: true };
            if (found !== undefined) {
              if (found.unusable > 0) {
                warn(
                  `unusable:${name}`,
                  { error_code: 'sd_unusable_hostname', librenms_instance: name },
                  `service discovery left out ${found.unusable} device(s) of LibreNMS ${name} whose hostname holds a line break, which no Prometheus target can: correct the hostname in LibreNMS`,
                );
              }
              if (query.group === undefined) lastAnswers.set(name, { groups: found.groups, at: performance.now() });
              return { instance, groups: narrow(found.groups, query) };
            }
            error = `no answer within ${deadline.budgetMs / 1000} s`;
          } catch (failure) {
            error = describeFailure(failure);
          }
          // A target Prometheus no longer sees is dropped with its series: a LibreNMS that is late or
          // failing keeps its last listed targets (up to CACHE_MAX_AGE_SECONDS), and its probes say it is down.
          const last = query.group === undefined ? lastAnswers.get(name) : undefined;
          const ageMs = last === undefined ? Number.POSITIVE_INFINITY : performance.now() - last.at;
          if (last !== undefined && ageMs <= context.config.cacheMaxAgeMs) {
            return { instance, groups: narrow(last.groups, query), staleSeconds: Math.round(ageMs / 1000), error };
          }
          return { instance, error };
        }),
      );
      for (const o of outcomes) {
        if (!('error' in o)) continue;
        const name = o.instance.instance.name;
        const listed = 'groups' in o;
        warn(
          `${listed ? 'stale' : 'failed'}:${name}`,
          { error_code: listed ? 'sd_stale' : 'sd_failed', librenms_instance: name },
          listed
            ? `service discovery listed LibreNMS ${name} from its answer of ${o.staleSeconds} s ago: ${o.error}`
            : `service discovery left out LibreNMS ${name}: ${o.error}`,
        );
      }
      if (query.group !== undefined && outcomes.every((o) => 'unknownGroup' in o)) {
        throw new BadRequest(`unknown device group "${quoted(query.group)}"`);
      }
      const unavailable = outcomes.flatMap((o) => ('error' in o && !('groups' in o) ? [o.instance.instance.name] : []));
      const stale = outcomes.flatMap((o) => ('staleSeconds' in o ? [o.instance.instance.name] : []));
      if (unavailable.length === outcomes.length) {
        // Nothing to list: a 503 makes Prometheus keep the targets it had, where an empty list would drop them all.
        const reasons = outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
        return await reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(`LibreNMS inventory unavailable: ${reasons.join('; ')}\n`);
      }
      if (unavailable.length > 0) reply.header('x-librenms-unavailable', unavailable.join(','));
      if (stale.length > 0) reply.header('x-librenms-stale', stale.join(','));
      const groups = outcomes.flatMap((o) => ('groups' in o ? o.groups : []));
      return await reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(groups));
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });
}
