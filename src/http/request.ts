/** What the routes share for reading a request: query parameters, the instance choice, 400 answers. */
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config-types.js';
import type { Deadline, DeadlineClock } from '../deadline.js';
import type { InstanceRuntime } from '../refresh/instance.js';
import type { Runtime } from '../refresh/runtime.js';
import { clip } from '../util/text.js';

/** A request the client must change: answered 400 with the message, never logged as a failure. */
export class BadRequest extends Error {
  readonly code = 'bad_request';

  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

/**
 * The route schema of query parameters that are each one string: Fastify validates them before the
 * handler (a parameter given twice is a 400) and types `request.query`.
 */
export function stringParams<const N extends string>(...names: readonly N[]) {
  return {
    querystring: {
      type: 'object',
      properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<N, { type: 'string' }>,
    },
  } as const;
}

/** A query parameter's value; an empty one (`?group=`) counts as not given. */
export function given(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** Every instance, or the one `?instance=` names. @throws BadRequest for an unknown name */
export function pickInstances(instances: readonly InstanceRuntime[], name: string | undefined): readonly InstanceRuntime[] {
  if (name === undefined) return instances;
  const found = instances.find((i) => i.instance.name === name);
  if (found === undefined) throw new BadRequest(`unknown instance "${quoted(name)}"; configured: ${instances.map((i) => i.instance.name).join(', ')}`);
  return [found];
}

/** A request that cannot be served now but may be later: answered 503 with `Retry-After`. */
export class Unavailable extends Error {
  readonly code = 'unavailable';

  constructor(message: string) {
    super(message);
    this.name = 'Unavailable';
  }
}

/** Answers a {@link BadRequest} with 400 and {@link Unavailable} with 503; anything else is rethrown for Fastify's 500. */
export async function badRequestOr(error: unknown, reply: FastifyReply): Promise<FastifyReply> {
  if (error instanceof BadRequest) return reply.code(400).type('text/plain; charset=utf-8').send(`${error.message}\n`);
  if (error instanceof Unavailable) return reply.code(503).header('retry-after', '60').type('text/plain; charset=utf-8').send(`${error.message}\n`);
  throw error;
}

/**
 * Whether one instance lists the device group a client asked for (`?group=`), checked within the
 * request's deadline so that an unknown name costs LibreNMS nothing (Inventory.admitGroup): the name
 * to scope by (LibreNMS's spelling), or `unlisted`.
 * @throws Unavailable when the list cannot be read and too many unchecked names were let through already
 */
export async function admitGroupIn(instance: InstanceRuntime, group: string, deadline: Deadline): Promise<{ readonly scope: string } | 'unlisted'> {
  const inventory = instance.inventory;
  const admission = await inventory.admitGroup(group, () => deadline.race(inventory.groupList().catch(() => undefined)));
  if (admission.verdict === 'unlisted') return 'unlisted';
  if (admission.verdict === 'limited') {
    throw new Unavailable(`cannot check device group "${quoted(group)}" now: LibreNMS ${instance.instance.name} does not list its device groups; retry later`);
  }
  return { scope: admission.verdict === 'listed' ? admission.name : group };
}

/**
 * The device group a client asked for, admitted by every instance (see {@link admitGroupIn}): the name
 * to scope by (LibreNMS's spelling when every instance lists it the same way, else the name as given).
 * @throws BadRequest for a name an instance does not list
 */
export async function admitGroup(instances: readonly InstanceRuntime[], group: string, deadline: Deadline): Promise<string> {
  const names = new Set<string>();
  for (const instance of instances) {
    const admitted = await admitGroupIn(instance, group, deadline);
    if (admitted === 'unlisted') throw new BadRequest(`unknown device group "${quoted(group)}" in LibreNMS ${instance.instance.name}`);
    names.add(admitted.scope);
  }
  const [only] = names;
  return names.size === 1 && only !== undefined ? only : group;
}

/** Most characters of a client-given name quoted in an answer or a log line. */
const MAX_QUOTED_CHARS = 100;

/** A client-given name cut for an answer or a log line. */
export function quoted(text: string): string {
  return clip(text, MAX_QUOTED_CHARS);
}

/** What every route reads: the configuration and the runtime (every LibreNMS, the exporter's metrics). */
export interface RouteContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly runtime: Runtime;
  /** The clock of each request's deadline (`http/deadline.ts`); the system's unless a test passes a fake one. */
  readonly deadlineClock?: DeadlineClock;
}
