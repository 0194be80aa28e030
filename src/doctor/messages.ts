/**
 * What the doctor says when a check fails: one sentence an operator can act on, and the exit code
 * that lets a script tell the reasons apart. docs/troubleshooting.md lists every one with its fix.
 */
import { adviceFor, describeFailure } from '../advice.js';
import type { Config, InstanceConfig } from '../config-types.js';
import { LibreNmsError } from '../errors.js';
import { MIN_LIBRENMS_VERSION } from '../librenms/endpoints.js';

/** Exit codes of `check`. Each reason has its own code so scripts can tell them apart. */
export const EXIT_CODES = {
  /** Ready: the exporter will serve LibreNMS data. */
  ready: 0,
  /** Another failure: LibreNMS server error, rate limiting, an unexpected answer. */
  failed: 1,
  /** The configuration is invalid (same code as the exporter's start). */
  config: 2,
  /** Wrong URL: nothing listens there, it times out, or it is not the LibreNMS API. */
  unreachable: 3,
  /** The token is rejected (401) or its user may not read what a collector needs (403). */
  token: 4,
  /** TLS: the certificate is not trusted, names another host, or https was used against http. */
  tls: 5,
  /** The web server in front of LibreNMS drops query strings (`columns=` is ignored). */
  queryStrings: 6,
  /** LibreNMS is older than {@link MIN_LIBRENMS_VERSION} or lacks port columns the exporter reads. */
  tooOld: 7,
} as const;

/** Ends the checks of one instance with a sentence and an exit code. */
export class DoctorStop extends Error {
  readonly exitCode: number;
  readonly reason: string;

  constructor(exitCode: number, reason: string) {
    super(reason);
    this.name = 'DoctorStop';
    this.exitCode = exitCode;
    this.reason = reason;
  }
}

/**
 * Something answers at the URL, but not LibreNMS's API: `what` it did, then `fix` (the general check of
 * LIBRENMS_URL unless the failure has its own advice).
 */
export function notLibreNms(
  instance: InstanceConfig,
  what: string,
  fix = 'Check LIBRENMS_URL: it is the address you open LibreNMS at in a browser, e.g. http://localhost:8000 (/api/v0 is added for you).',
): DoctorStop {
  return new DoctorStop(EXIT_CODES.unreachable, `${instance.url.href} is not the LibreNMS API: ${what}. ${fix}`);
}

/** A route LibreNMS refused a normal user's token: read by a collector, or (none named) for LIBRENMS_DEVICE_GROUPS. */
export interface Refusal {
  readonly endpoint: string;
  readonly collector?: string;
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * A normal user's token where collectors or the configured groups need a `can:global-read` route
 * (routes/api.php up to LibreNMS 26.7: /alerts, /bgp, /ospf, /ospf_ports, /services, /pollers,
 * /devicegroups).
 */
export function normalUserRefused(refusals: readonly Refusal[], config: Config): DoctorStop {
  const needs = refusals.map((r) => `${r.endpoint} (${r.collector === undefined ? 'LIBRENMS_DEVICE_GROUPS' : `the ${r.collector} collector`})`);
  const collectors = [...new Set(refusals.flatMap((r) => r.collector ?? []))];
  const fixes: string[] = [];
  if (collectors.length > 0) {
    const rest = [...config.collectors].filter((c) => !collectors.includes(c));
    fixes.push(`leave ${listOf(collectors)} out of COLLECTORS (COLLECTORS=${rest.join(',')})`);
  }
  if (refusals.some((r) => r.collector === undefined)) fixes.push('empty LIBRENMS_DEVICE_GROUPS (and scrape without ?group=)');
  return new DoctorStop(
    EXIT_CODES.token,
    `LibreNMS refuses this token ${listOf(needs)} (HTTP 403: only global-read and admin users may read ${needs.length > 1 ? 'them' : 'it'}), so the exporter would fail there. ` +
      `Give the token's user the global-read role in LibreNMS (Manage Users), or ${fixes.join(', and ')}: the exporter then serves only the devices that user was given.`,
  );
}

/** An admin's token: it works, but whoever holds it can change LibreNMS. */
export function adminTokenWarning(): string {
  return (
    'The token belongs to a LibreNMS admin (LibreNMS lets it read /poller_group, which only admins may): the exporter only reads, but whoever copies this token can add, change and delete devices, alert rules and users. ' +
    'Create the token for a user with the global-read role instead (docs/troubleshooting.md, "A read-only API token").'
  );
}

/**
 * Ports or sensors of devices that `/devices` does not list: a normal user given a device group or
 * single ports. LibreNMS's `/devices` lists only devices given directly (devices_perms:
 * includes/html/api_functions.inc.php, list_devices), while `/ports` and `/resources/sensors` also
 * answer for device groups and single ports (LibreNMS/Cache/PermissionsCache.php).
 */
export function unlistedDevicesWarning(count: number): string {
  return (
    `This token may read ports or sensors of ${count} device${count === 1 ? '' : 's'} that /devices does not list: LibreNMS lists a normal user only the devices given to it directly, not those of its device groups or single ports. ` +
    'The exporter leaves those ports and sensors out. Give the user those devices directly (Manage Users, Device Access), or the global-read role.'
  );
}

/** An advice clause (advice.ts) as a sentence. */
function sentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/**
 * Turns a failure into the sentence and exit code for it. What to change comes from advice.ts, as in
 * the exporter's log; the check adds what only it can say (the configured CA file, Docker's localhost).
 */
export function explain(error: unknown, config: Config, instance: InstanceConfig): DoctorStop {
  const origin = instance.url.origin;
  if (!(error instanceof LibreNmsError)) {
    return new DoctorStop(EXIT_CODES.failed, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cause = error.errno;
  const advice = adviceFor(error);
  const fix = advice === undefined ? '' : ` ${sentence(advice)}`;
  switch (error.code) {
    case 'connection_failed':
      if (error.status !== undefined) return new DoctorStop(EXIT_CODES.failed, describeFailure(error));
      return new DoctorStop(
        EXIT_CODES.unreachable,
        `Cannot connect to LibreNMS at ${origin}${cause === undefined ? '' : ` (${cause}${cause === 'ECONNREFUSED' ? ': nothing listens on that port' : cause === 'ENOTFOUND' ? ': the host name does not resolve' : ''})`}.${fix} ` +
          'In Docker, localhost is the container itself: use http://host.docker.internal:8000 or the LibreNMS service name.',
      );
    case 'timeout':
      return new DoctorStop(
        EXIT_CODES.unreachable,
        `LibreNMS at ${origin} did not answer ${error.endpoint} within ${error.timeoutSeconds ?? config.requestTimeoutMs / 1000} s.${fix}`,
      );
    case 'tls_error':
      return new DoctorStop(EXIT_CODES.tls, tlsSentence(instance, cause, fix));
    case 'unauthorized':
      return new DoctorStop(
        EXIT_CODES.token,
        `The API token was rejected (HTTP 401 on ${error.endpoint}).${fix} Copy the token again from LibreNMS (gear menu, API, API Settings at /api-access/).`,
      );
    case 'forbidden':
      return new DoctorStop(
        EXIT_CODES.token,
        `The API token works but its user may not read ${error.endpoint} (HTTP 403): it is probably a normal user.${fix} Or use a token of a global-read user.`,
      );
    case 'not_found':
      return notLibreNms(instance, `HTTP 404 on ${error.endpoint}`);
    case 'invalid_response':
      // Too large is a limit of ours, not a sign of something other than LibreNMS.
      if (error.limitBytes !== undefined) return new DoctorStop(EXIT_CODES.failed, `${error.message}.${fix}`);
      return notLibreNms(instance, error.message.replace(/^LibreNMS answered /, 'it answered '));
    case 'http_error':
      if (error.status !== undefined && error.status >= 300 && error.status < 400) {
        return notLibreNms(
          instance,
          `it answered with a redirect (HTTP ${error.status}) instead of JSON${instance.url.protocol === 'http:' ? ' (if LibreNMS redirects http to https, use https:// in LIBRENMS_URL)' : ''}`,
          fix.trim(),
        );
      }
      if (error.status === 400 && /Invalid columns/i.test(error.detail ?? '')) {
        return new DoctorStop(
          EXIT_CODES.tooOld,
          `LibreNMS rejected port columns the exporter reads (${error.detail ?? error.message}): this LibreNMS is too old. Upgrade LibreNMS to ${MIN_LIBRENMS_VERSION} or newer.`,
        );
      }
      return new DoctorStop(EXIT_CODES.failed, describeFailure(error));
    case 'server_error':
      return new DoctorStop(
        EXIT_CODES.failed,
        `${error.message}. LibreNMS itself failed: look at its log (storage/logs/laravel.log or librenms.log) and the web server's error log.`,
      );
    default:
      return new DoctorStop(EXIT_CODES.failed, describeFailure(error));
  }
}

/** What is wrong with LibreNMS's certificate, in the check's words, then `fix` (advice.ts); a CA file that does not help gets its own. */
function tlsSentence(instance: InstanceConfig, cause: string | undefined, fix: string): string {
  const head = `TLS problem with LibreNMS at ${instance.url.origin}${cause === undefined ? '' : ` (${cause})`}: `;
  if (cause === 'ERR_SSL_WRONG_VERSION_NUMBER' || cause === 'EPROTO') return `${head}the server does not speak TLS on that port.${fix}`;
  if (cause === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${head}the certificate does not name ${instance.url.hostname}.${fix}`;
  if (cause === 'CERT_HAS_EXPIRED') return `${head}the certificate has expired.${fix}`;
  if (instance.caCertificate !== undefined) {
    return `${head}the certificate is not trusted even with LIBRENMS_CA_FILE: that file is not the CA (or self-signed certificate) that signed it. Put the right PEM in LIBRENMS_CA_FILE.`;
  }
  return `${head}the certificate is not trusted (self-signed or from a private CA).${fix}`;
}
