/**
 * The LibreNMS API v0 client: the only code that speaks HTTP to LibreNMS.
 * Every request carries `X-Auth-Token`, goes through one concurrency cap, has a timeout covering
 * headers and body, has its body consumed, and has its envelope checked. Failures become
 * {@link LibreNmsError}s that say what LibreNMS did and carry the facts (code, endpoint, status,
 * errno, the timeout, the size limit); the client knows nothing of the settings behind its options,
 * so the setting to change is added where the error is reported (advice.ts).
 */

import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, type Dispatcher, request } from 'undici';
import type { Config, InstanceConfig } from '../config-types.js';
import { LibreNmsError, type LibreNmsErrorCode } from '../errors.js';
import { clip as clipText } from '../util/text.js';
import { PORT_COLUMNS } from './endpoints.js';
import { EnvelopeStream, EnvelopeSyntaxError } from './envelope-stream.js';

/** The health items LibreNMS serves by id from 26.7.0: processors, memory pools, storage. */
export type HealthKind = 'processor' | 'mempool' | 'storage';

export interface RequestObservation {
  /** Route template, e.g. `/devices/:hostname/ports`. */
  endpoint: string;
  /** HTTP status, or an error code such as `timeout` when LibreNMS did not answer. */
  code: string;
  durationSeconds: number;
}

export interface LibreNmsClientOptions {
  /** Base URL ending in `/api/v0/`. */
  baseUrl: URL;
  token: string;
  /** Most requests in flight at once, across all callers of this client. */
  concurrency: number;
  /** Timeout per request in ms, from sending it to the end of the body. */
  timeoutMs: number;
  /** Extra trusted CA (PEM) for HTTPS. */
  caCertificate?: string | undefined;
  /** Accept any certificate (self-signed LibreNMS). */
  tlsInsecure?: boolean;
  /**
   * Longest wait honoured from a `Retry-After` header, in seconds, on a 429 and on a 5xx; a longer
   * one is cut to it, so that one odd header cannot stop the exporter asking.
   */
  retryAfterCapSeconds?: { readonly rateLimited: number; readonly serverError: number };
  /** Largest response body read, in bytes; a longer one is abandoned. */
  maxResponseBytes: number;
  /** Called once per request, success or not. */
  onRequest?: (observation: RequestObservation) => void;
}

/** Options of a streamed list read. */
export interface StreamOptions {
  readonly columns?: readonly string[];
  /** Called after each piece of the body; a promise back holds reading until it settles. */
  readonly pause?: () => Promise<void> | undefined;
}

const MAX_ERROR_BODY_CHARS = 200;
/**
 * Most characters read from each end of a LibreNMS answer to word a message: an error page names its
 * error near its start (the title, PHP's message) or its end (PHP's message after cut-short output).
 * Whatever the size of the answer, a message costs work on at most twice this.
 */
export const MESSAGE_SOURCE_CHARS = 4096;
/** Most of an error answer (not 2xx) decoded whole: LibreNMS's JSON error envelopes are far smaller. */
export const ERROR_BODY_HEAD_BYTES = 64 * 1024;
/** Longest `Retry-After` honoured on a 429: five minutes (and never more than half the maximum age of served data). */
export const RETRY_AFTER_CAP_SECONDS = 300;
/** Longest `Retry-After` honoured on a 5xx: LibreNMS in trouble is asked again soon (and never past half the max age). */
export const RETRY_AFTER_5XX_CAP_SECONDS = 30;

/**
 * The `Retry-After` caps for a given maximum age of served data: at most half of it, so that at
 * least one more attempt comes before the last good data expires.
 */
export function retryAfterCaps(cacheMaxAgeMs: number): { rateLimited: number; serverError: number } {
  const half = Math.floor(cacheMaxAgeMs / 2000);
  return { rateLimited: Math.min(RETRY_AFTER_CAP_SECONDS, half), serverError: Math.min(RETRY_AFTER_5XX_CAP_SECONDS, half) };
}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** The client options of one configured LibreNMS: the same for the exporter and the doctor. */
export function clientOptions(
  instance: InstanceConfig,
  config: Pick<Config, 'concurrency' | 'requestTimeoutMs' | 'maxResponseBytes' | 'cacheMaxAgeMs'>,
  onRequest?: (observation: RequestObservation) => void,
): LibreNmsClientOptions {
  return {
    baseUrl: instance.url,
    token: instance.token,
    concurrency: config.concurrency,
    timeoutMs: config.requestTimeoutMs,
    caCertificate: instance.caCertificate,
    tlsInsecure: instance.tlsInsecure,
    maxResponseBytes: config.maxResponseBytes,
    retryAfterCapSeconds: retryAfterCaps(config.cacheMaxAgeMs),
    ...(onRequest === undefined ? {} : { onRequest }),
  };
}

export class LibreNmsClient {
  readonly baseUrl: URL;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #retryAfterCaps: { readonly rateLimited: number; readonly serverError: number };
  readonly #limit: LimitFunction;
  readonly #dispatcher: Dispatcher;
  readonly #onRequest: ((observation: RequestObservation) => void) | undefined;

  constructor(options: LibreNmsClientOptions) {
    this.baseUrl = options.baseUrl;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    this.#maxResponseBytes = options.maxResponseBytes;
    this.#retryAfterCaps = options.retryAfterCapSeconds ?? { rateLimited: RETRY_AFTER_CAP_SECONDS, serverError: RETRY_AFTER_5XX_CAP_SECONDS };
    this.#limit = pLimit(options.concurrency);
    this.#onRequest = options.onRequest;
    this.#dispatcher = new Agent({
      connections: options.concurrency,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: {
        timeout: options.timeoutMs,
        rejectUnauthorized: options.tlsInsecure !== true,
        ...(options.caCertificate === undefined ? {} : { ca: options.caCertificate }),
      },
    });
  }

  /** Every device (`GET /devices`): raw rows, SNMP credentials included, so never log them. */
  async listDevices(): Promise<unknown[]> {
    return this.#list('/devices', 'devices', 'devices');
  }

  /**
   * Every non-deleted port of the install in one request, handed to `onRow` one row at a time as the
   * body arrives: neither the body nor the list is ever held whole. Returns the number of rows.
   */
  async streamAllPorts(onRow: (row: unknown) => void, options: StreamOptions = {}): Promise<number> {
    const columns = options.columns ?? PORT_COLUMNS;
    return this.#observe('/ports', () => this.#stream('/ports', 'ports', { columns: columns.join(',') }, 'ports', onRow, options.pause));
  }

  /** The ports of one device by id (`GET /devices/:id/ports?columns=…`); a device without ports gives `[]`. */
  async listDevicePorts(deviceId: number, columns: readonly string[] = PORT_COLUMNS): Promise<unknown[]> {
    try {
      return await this.#list('/devices/:hostname/ports', `devices/${deviceId}/ports`, 'ports', { columns: columns.join(',') });
    } catch (error) {
      // LibreNMS answers 404 "No ports found" for a device without ports (since 2024-05).
      if (error instanceof LibreNmsError && error.status === 404) return [];
      throw error;
    }
  }

  /**
   * Open alerts (`GET /alerts?state=1,2,3,4,5`): active, acknowledged, worse, better, changed.
   * LibreNMS's default is state 1 only, which would hide acknowledged alerts.
   */
  async listAlerts(states: readonly number[] = [1, 2, 3, 4, 5]): Promise<unknown[]> {
    return this.#list('/alerts', 'alerts', 'alerts', { state: states.join(',') });
  }

  /** Every sensor (`GET /resources/sensors`); LibreNMS answers 404 "Sensors do not exist" when there are none. */
  async listSensors(): Promise<unknown[]> {
    try {
      return await this.#list('/resources/sensors', 'resources/sensors', 'sensors');
    } catch (error) {
      if (error instanceof LibreNmsError && error.status === 404) return [];
      throw error;
    }
  }

  /** Device ids of a device group by name or id (`GET /devicegroups/:name`). */
  async listGroupDevices(group: string): Promise<unknown[]> {
    return this.#list('/devicegroups/:name', `devicegroups/${encodeURIComponent(group)}`, 'devices');
  }

  /** Device groups (`GET /devicegroups`); LibreNMS answers 404 when there are none. */
  async listDeviceGroups(): Promise<unknown[]> {
    try {
      return await this.#list('/devicegroups', 'devicegroups', 'groups');
    } catch (error) {
      if (error instanceof LibreNmsError && error.status === 404) return [];
      throw error;
    }
  }

  // Routing and LibreNMS itself (the bgp, ospf, services and pollers collectors). Up to LibreNMS 26.7
  // /bgp, /ospf, /ospf_ports, /services and /pollers need the global-read role (routes/api.php, the
  // can:global-read group): a normal user's token gets 403, which is thrown like any failure.

  /**
   * Every BGP peer LibreNMS has polled (`GET /bgp`; peers with an empty state, never polled, are left
   * out by LibreNMS: list_bgp in includes/html/api_functions.inc.php).
   */
  async listBgpPeers(): Promise<unknown[]> {
    return this.#list('/bgp', 'bgp', 'bgp_sessions');
  }

  /** BGP prefix counters per peer and address family (`GET /routing/bgp/cbgp`); `[]` when LibreNMS has none. */
  async listBgpCounters(): Promise<unknown[]> {
    return this.#listOrEmpty('/routing/bgp/cbgp', 'routing/bgp/cbgp', 'bgp_counters', 'BGP counters does not exist');
  }

  /** VRFs with a name (`GET /routing/vrf`); `[]` when LibreNMS has none. */
  async listVrfs(): Promise<unknown[]> {
    return this.#listOrEmpty('/routing/vrf', 'routing/vrf', 'vrfs', 'VRFs do not exist');
  }

  /** OSPF neighbours (`GET /ospf`; LibreNMS leaves out rows with an empty state). */
  async listOspfNeighbours(): Promise<unknown[]> {
    return this.#list('/ospf', 'ospf', 'ospf_neighbours');
  }

  /** OSPF interfaces (`GET /ospf_ports`); `[]` when LibreNMS has none. */
  async listOspfPorts(): Promise<unknown[]> {
    return this.#listOrEmpty('/ospf_ports', 'ospf_ports', 'ospf_ports', 'Ospf ports do not exist');
  }

  /**
   * Every service check (`GET /services`). LibreNMS wraps the rows in one more list "for backwards
   * compat" (list_services: `$services = [dbFetchRows(...)]`), so `count` is always 1; the inner lists
   * are read, and a flat list too should a later LibreNMS drop the wrapper.
   */
  async listServices(): Promise<unknown[]> {
    return (await this.#list('/services', 'services', 'services')).flatMap((item) => (Array.isArray(item) ? item : [item]));
  }

  /**
   * LibreNMS's pollers (`GET /pollers`, LibreNMS 26.1.0 and later): the dispatcher's nodes with their
   * per-type `stats`, or, when no node ever reported, the poller-wrapper's rows (list_pollers).
   * @throws LibreNmsError 404 "This API route doesn't exist." before 26.1 (see {@link isMissingRouteAnswer})
   */
  async listPollers(): Promise<unknown[]> {
    return this.#list('/pollers', 'pollers', 'pollers');
  }

  /** A list whose emptiness LibreNMS answers with 404 and `emptyMessage`: that 404 is `[]`, any other is thrown. */
  async #listOrEmpty(endpoint: string, path: string, key: string, emptyMessage: string): Promise<unknown[]> {
    try {
      return await this.#list(endpoint, path, key);
    } catch (error) {
      if (error instanceof LibreNmsError && error.status === 404 && error.detail === emptyMessage) return [];
      throw error;
    }
  }

  /** `GET /system`: version information (one row). */
  async system(): Promise<Record<string, unknown>> {
    const rows = await this.#list('/system', 'system', 'system');
    const row = rows[0];
    return typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
  }

  // --- health and wireless (collectors/health.ts, collectors/wireless.ts) ---

  /**
   * What `GET /devices/:id/health` lists for a device: `{desc, name}` per sensor class, plus
   * `device_processor`, `device_storage` and `device_mempool` when the device has rows there.
   */
  async listHealthTypes(deviceId: number): Promise<unknown[]> {
    return this.#list('/devices/:hostname/health', `devices/${deviceId}/health`, 'graphs');
  }

  /**
   * The ids of one kind of a device's health items (`GET /devices/:id/health/device_<kind>`):
   * `{sensor_id, desc}` each, the id being a processor, mempool or storage id from 26.7.0, and the
   * list always empty before (includes/html/api_functions.inc.php, list_available_health_graphs).
   */
  async listHealthItems(deviceId: number, kind: HealthKind): Promise<unknown[]> {
    return this.#list('/devices/:hostname/health/:type', `devices/${deviceId}/health/device_${kind}`, 'graphs');
  }

  /**
   * One health item by id (`GET /devices/:id/health/device_<kind>/:id`): a list of 0 or 1 row. Before
   * 26.7.0 the row is the `sensors` row with that id, of any device: check what comes back.
   */
  async readHealthItem(deviceId: number, kind: HealthKind, id: number): Promise<unknown[]> {
    return this.#list('/devices/:hostname/health/:type/:id', `devices/${deviceId}/health/device_${kind}/${id}`, 'graphs');
  }

  /**
   * A device's wireless sensors (`GET /devices/:id/wireless-sensors`, 26.6.0 and later); LibreNMS
   * answers 404 "No wireless sensors found" for a device without any (or one the token may not see).
   * Older releases have no such route: they answer 500 (or 403), which is thrown.
   */
  async listDeviceWirelessSensors(deviceId: number): Promise<unknown[]> {
    try {
      return await this.#list('/devices/:hostname/wireless-sensors', `devices/${deviceId}/wireless-sensors`, 'wireless_sensors');
    } catch (error) {
      if (error instanceof LibreNmsError && error.status === 404 && /^No wireless sensors found/.test(error.detail ?? '')) return [];
      throw error;
    }
  }

  /** The wireless sensor classes of a device (`GET /devices/:id/wireless`): `{desc, name: device_wireless_<class>}` each. */
  async listWirelessClasses(deviceId: number): Promise<unknown[]> {
    return this.#list('/devices/:hostname/wireless', `devices/${deviceId}/wireless`, 'graphs');
  }

  /** A device's wireless sensors of one class (`GET /devices/:id/wireless/device_wireless_<class>`): `{sensor_id, desc}` each. */
  async listWirelessSensorIds(deviceId: number, sensorClass: string): Promise<unknown[]> {
    return this.#list('/devices/:hostname/wireless/:type', `devices/${deviceId}/wireless/device_wireless_${encodeURIComponent(sensorClass)}`, 'graphs');
  }

  /**
   * One wireless sensor row by id (`GET /devices/:id/wireless/device_wireless_<class>/:id`). LibreNMS
   * looks the id up alone, whatever the device, class or deleted flag (list_available_wireless_graphs):
   * check what comes back.
   */
  async readWirelessSensor(deviceId: number, sensorClass: string, id: number): Promise<unknown[]> {
    return this.#list(
      '/devices/:hostname/wireless/:type/:id',
      `devices/${deviceId}/wireless/device_wireless_${encodeURIComponent(sensorClass)}/${id}`,
      'graphs',
    );
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async #list(endpoint: string, path: string, key: string, query: Record<string, string> = {}): Promise<unknown[]> {
    const body = await this.getJson(endpoint, path, query, key);
    return body[key] as unknown[];
  }

  /**
   * GETs `path` (relative to `/api/v0/`) and returns the checked JSON envelope.
   * @param endpoint route template used in metrics and messages
   * @param listKey when given, the envelope must hold a list under this key
   * @throws {LibreNmsError} on any failure
   */
  async getJson(endpoint: string, path: string, query: Record<string, string> = {}, listKey?: string): Promise<Record<string, unknown>> {
    return this.#observe(endpoint, () => this.#fetch(endpoint, path, query, listKey));
  }

  /** Runs one request under the concurrency cap and reports it to `onRequest`. */
  async #observe<T>(endpoint: string, run: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      const started = performance.now();
      let code = 'error';
      try {
        const result = await run();
        code = '200';
        return result;
      } catch (error) {
        // A 2xx answer that could not be used (broken body, error envelope) counts by its error code, not as "200".
        code =
          error instanceof LibreNmsError ? (error.status !== undefined && error.status >= 200 && error.status < 300 ? error.code : error.metricCode) : 'error';
        throw error;
      } finally {
        this.#onRequest?.({ endpoint, code, durationSeconds: (performance.now() - started) / 1000 });
      }
    });
  }

  async #send(endpoint: string, path: string, query: Record<string, string>): Promise<Dispatcher.ResponseData> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      return await request(url, {
        method: 'GET',
        dispatcher: this.#dispatcher,
        signal,
        headers: { 'x-auth-token': this.#token, accept: 'application/json' },
      });
    } catch (error) {
      throw this.#transportError(endpoint, error);
    }
  }

  async #fetch(endpoint: string, path: string, query: Record<string, string>, listKey: string | undefined): Promise<Record<string, unknown>> {
    const response = await this.#send(endpoint, path, query);
    const status = response.statusCode;
    if (status < 200 || status >= 300) throw await this.#errorAnswer(endpoint, response);
    const text = await this.#readBody(endpoint, response);
    const parsed = parseJson(text);
    if (parsed === undefined) throw this.#notJson(endpoint, status, text, text.length);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw this.#notObject(endpoint, status);
    const envelope = parsed as Record<string, unknown>;
    this.#checkEnvelope(endpoint, status, envelope, listKey === undefined || Array.isArray(envelope[listKey]), listKey);
    return envelope;
  }

  /**
   * Like {@link #fetch} for a list, but the list's items go to `onItem` as the body arrives (see
   * envelope-stream.ts). An error answer (not 2xx) is read whole, as it is small and its text is the
   * message. Items may have been handed over before an error is thrown: the caller drops them then.
   */
  async #stream(
    endpoint: string,
    path: string,
    query: Record<string, string>,
    listKey: string,
    onItem: (item: unknown) => void,
    pause: (() => Promise<void> | undefined) | undefined,
  ): Promise<number> {
    const response = await this.#send(endpoint, path, query);
    const status = response.statusCode;
    if (status < 200 || status >= 300) throw await this.#errorAnswer(endpoint, response);
    const parser = new EnvelopeStream(listKey, onItem);
    // A fresh decoder per body: it keeps a character split between chunks, and drops a leading BOM.
    const decoder = new TextDecoder('utf-8');
    try {
      await this.#readChunks(endpoint, response, (chunk) => {
        parser.push(decoder.decode(chunk, { stream: true }));
        return pause?.();
      });
      parser.push(decoder.decode());
      const { envelope, listSeen } = parser.end();
      if (parser.notObject) throw this.#notObject(endpoint, status);
      this.#checkEnvelope(endpoint, status, envelope, listSeen, listKey);
      return parser.items;
    } catch (error) {
      if (error instanceof EnvelopeSyntaxError) throw this.#notJson(endpoint, status, parser.head, parser.length);
      throw error;
    }
  }

  #notJson(endpoint: string, status: number, text: string, length: number): LibreNmsError {
    const hint = this.#hint(text);
    const why = hint === undefined ? 'cut short or an error page?' : `PHP or the web server wrote: ${hint}`;
    return new LibreNmsError('invalid_response', `LibreNMS answered ${endpoint} with a body that is not JSON (${length} bytes, ${why})`, {
      endpoint,
      status,
    });
  }

  #notObject(endpoint: string, status: number): LibreNmsError {
    return new LibreNmsError('invalid_response', `LibreNMS answered ${endpoint} with JSON that is not an object`, { endpoint, status });
  }

  #checkEnvelope(endpoint: string, status: number, envelope: Record<string, unknown>, hasList: boolean, listKey: string | undefined): void {
    if (envelope['status'] !== 'ok') {
      const detail = this.#messageOf(envelope) ?? `status "${clip(this.#excerpt(String(envelope['status'])))}"`;
      throw new LibreNmsError('api_error', `LibreNMS reported an error on ${endpoint}: ${detail}`, { endpoint, status });
    }
    if (!hasList) {
      throw new LibreNmsError('invalid_response', `LibreNMS answered ${endpoint} without a "${listKey}" list`, { endpoint, status });
    }
  }

  /**
   * The error of an answer that is not 2xx. Its body is only read for a message: LibreNMS's JSON error
   * envelope is a few hundred bytes, so only the first {@link ERROR_BODY_HEAD_BYTES} and the last few KiB
   * are kept and decoded; the rest of a long error page is read (to keep the connection) and dropped.
   */
  async #errorAnswer(endpoint: string, response: Dispatcher.ResponseData): Promise<LibreNmsError> {
    const headLimit = ERROR_BODY_HEAD_BYTES;
    // The tail is kept a token longer than the excerpt needs, so that a token cut by its start is not quoted.
    const tailLimit = MESSAGE_SOURCE_CHARS + Buffer.byteLength(this.#token);
    const head: Buffer[] = [];
    let headSize = 0;
    let tail = Buffer.alloc(0);
    let skipped = 0;
    await this.#readChunks(endpoint, response, (chunk) => {
      let rest = chunk;
      if (headSize < headLimit) {
        const part = rest.subarray(0, headLimit - headSize);
        head.push(part);
        headSize += part.length;
        rest = rest.subarray(part.length);
      }
      if (rest.length === 0) return;
      const joined = tail.length === 0 ? rest : Buffer.concat([tail, rest]);
      skipped += Math.max(0, joined.length - tailLimit);
      // A copy: a view would keep the whole chunk alive.
      tail = Buffer.from(joined.subarray(Math.max(0, joined.length - tailLimit)));
    });
    const text = skipped === 0 ? UTF8.decode(Buffer.concat([...head, tail])) : `${UTF8.decode(Buffer.concat(head))}\n…\n${UTF8.decode(tail)}`;
    return this.#httpError(endpoint, response.statusCode, skipped === 0 ? parseJson(text) : undefined, text, response.headers);
  }

  /** The body as text (see {@link #readChunks}). */
  async #readBody(endpoint: string, response: Dispatcher.ResponseData): Promise<string> {
    const chunks: Buffer[] = [];
    const size = await this.#readChunks(endpoint, response, (chunk) => chunks.push(chunk));
    // Decoded as a browser would (WHATWG TextDecoder): a UTF-8 byte order mark, which some PHP setups
    // print before the JSON, is dropped rather than breaking JSON.parse.
    return UTF8.decode(Buffer.concat(chunks, size));
  }

  /**
   * Reads the body chunk by chunk into `onChunk`, abandoning it (the stream destroyed, its memory
   * released) as soon as it passes the size limit: a body that never ends costs at most the limit.
   * An error thrown by `onChunk` abandons the body too and is thrown as it is; a promise returned by it
   * is waited for before the next chunk.
   */
  async #readChunks(endpoint: string, response: Dispatcher.ResponseData, onChunk: (chunk: Buffer) => unknown): Promise<number> {
    const limit = this.#maxResponseBytes;
    const tooLarge = (): LibreNmsError =>
      new LibreNmsError('invalid_response', `LibreNMS answered ${endpoint} with more than ${limit} bytes; the rest was not read`, {
        endpoint,
        status: response.statusCode,
        detail: 'response too large',
        limitBytes: limit,
      });
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Destroyed before anything reads it, the body emits an abort error: without a listener that
      // error would be uncaught and end the process.
      response.body.on('error', () => undefined);
      response.body.destroy();
      throw tooLarge();
    }
    let size = 0;
    let consumerError: { error: unknown } | undefined;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) {
          response.body.destroy();
          throw tooLarge();
        }
        try {
          // A promise back means: wait before reading on (the socket is not read meanwhile).
          const wait = onChunk(chunk);
          if (wait instanceof Promise) await wait;
        } catch (error) {
          consumerError = { error };
          response.body.destroy();
          break;
        }
      }
    } catch (error) {
      if (error instanceof LibreNmsError) throw error;
      throw this.#transportError(endpoint, error, response.statusCode);
    }
    if (consumerError !== undefined) throw consumerError.error;
    return size;
  }

  /** LibreNMS text bound for a log line, with the token cut out should LibreNMS echo it. */
  #scrub(text: string): string {
    return this.#token === '' ? text : text.split(this.#token).join('[redacted]');
  }

  /**
   * What a message may quote of a LibreNMS text: at most {@link MESSAGE_SOURCE_CHARS} from each end,
   * cut where no token is split (a token cut in two would slip past the scrub), then scrubbed. Done
   * before anything else reads the text, so every later step (hint, clip) is bounded and token-free.
   */
  #excerpt(text: string): string {
    if (text.length <= 2 * MESSAGE_SOURCE_CHARS) return this.#scrub(text);
    const head = text.slice(0, cutOutside(text, MESSAGE_SOURCE_CHARS, this.#token));
    const tail = text.slice(cutOutside(text, text.length - MESSAGE_SOURCE_CHARS, this.#token));
    return `${this.#scrub(head)}\n…\n${this.#scrub(tail)}`;
  }

  /**
   * The gist of an error page (see {@link errorPageHint}) for a message: read from an excerpt, and
   * scrubbed again once tags are stripped (a token split by markup is whole again then), then clipped.
   */
  #hint(text: string): string | undefined {
    const hint = errorPageHint(this.#excerpt(text));
    return hint === undefined ? undefined : clip(this.#scrub(hint));
  }

  /** The envelope's `message`, excerpted, scrubbed and clipped; undefined when it has none. */
  #messageOf(body: Record<string, unknown>): string | undefined {
    const message = body['message'];
    return typeof message === 'string' && message !== '' ? clip(this.#excerpt(message)) : undefined;
  }

  #httpError(endpoint: string, status: number, parsed: unknown, text: string, headers: Record<string, string | string[] | undefined>): LibreNmsError {
    const apiMessage = typeof parsed === 'object' && parsed !== null ? this.#messageOf(parsed as Record<string, unknown>) : undefined;
    const detail = apiMessage ?? (text.trim() === '' ? 'empty body' : describeNonJson(this.#hint(text)));
    let code: LibreNmsErrorCode = 'http_error';
    let message = `LibreNMS answered HTTP ${status} on ${endpoint}: ${detail}`;
    let retryAfterSeconds: number | undefined;
    if (status === 401) {
      code = 'unauthorized';
      message = `LibreNMS rejected the API token (HTTP 401 on ${endpoint})`;
    } else if (status === 403) {
      code = 'forbidden';
      message = `LibreNMS refused access (HTTP 403 on ${endpoint}: ${detail})`;
    } else if (status === 404) {
      code = 'not_found';
    } else if (status >= 300 && status < 400) {
      // Undici does not follow redirects: a web server, or a base URL without the API behind it.
      const location = Array.isArray(headers['location']) ? headers['location'][0] : headers['location'];
      message = `LibreNMS redirected ${endpoint} (HTTP ${status})${location === undefined ? '' : ` to ${clip(this.#excerpt(location))}`}`;
    } else if (status === 429) {
      code = 'rate_limited';
      const asked = parseRetryAfter(headers['retry-after']);
      retryAfterSeconds = asked === undefined ? undefined : Math.min(asked, this.#retryAfterCaps.rateLimited);
      message = `LibreNMS is rate limiting (HTTP 429 on ${endpoint})${retryAfterSeconds === undefined ? '' : `: waiting ${retryAfterSeconds} s as asked`}${capNote(asked, retryAfterSeconds)}`;
    } else if (status >= 500) {
      code = 'server_error';
      // A 503 (maintenance mode) may say when to come back, like a 429.
      const asked = parseRetryAfter(headers['retry-after']);
      retryAfterSeconds = asked === undefined ? undefined : Math.min(asked, this.#retryAfterCaps.serverError);
      if (retryAfterSeconds !== undefined) message += ` (retrying after ${retryAfterSeconds} s as asked${capNote(asked, retryAfterSeconds)})`;
    }
    return new LibreNmsError(code, message, { endpoint, status, detail, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
  }

  #transportError(endpoint: string, error: unknown, status?: number): LibreNmsError {
    const where = this.baseUrl.origin;
    const errno = errorCode(error);
    const base = { endpoint, cause: error, ...(status === undefined ? {} : { status }), ...(errno === undefined ? {} : { errno }) };
    if (isTimeout(error)) {
      const timeoutSeconds = this.#timeoutMs / 1000;
      return new LibreNmsError('timeout', `LibreNMS did not answer ${endpoint} within ${timeoutSeconds} s`, { ...base, timeoutSeconds });
    }
    if (errno !== undefined && TLS_ERROR_CODES.has(errno)) {
      return new LibreNmsError('tls_error', `TLS to LibreNMS at ${where} failed (${errno})`, base);
    }
    if (status !== undefined) {
      return new LibreNmsError('connection_failed', `The connection to LibreNMS broke while reading ${endpoint} (${errno ?? describe(error)})`, base);
    }
    return new LibreNmsError('connection_failed', `Cannot connect to LibreNMS at ${where} (${errno ?? describe(error)})`, base);
  }
}

/** LibreNMS's answer to a route it does not have (api_not_found in includes/html/api_functions.inc.php). */
export const MISSING_ROUTE_MESSAGE = "This API route doesn't exist.";

/**
 * Whether an error is LibreNMS saying it has no such route (404 "This API route doesn't exist."): the
 * release is older than the route. Other 404s of the same routes mean "nothing there".
 */
export function isMissingRouteAnswer(error: unknown): boolean {
  return error instanceof LibreNmsError && error.status === 404 && error.detail === MISSING_ROUTE_MESSAGE;
}

const UTF8 = new TextDecoder('utf-8');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Where to cut `text` near `at` so that no occurrence of `secret` is split: `at`, or the start of the
 * occurrence that spans it. Looks only at the characters around `at`.
 */
function cutOutside(text: string, at: number, secret: string): number {
  if (secret === '') return at;
  const from = Math.max(0, at - secret.length + 1);
  const found = text.slice(from, at + secret.length - 1).indexOf(secret);
  return found === -1 || from + found >= at ? at : from + found;
}

function describeNonJson(hint: string | undefined): string {
  return `non-JSON body${hint === undefined ? '' : `: ${hint}`}`;
}

/**
 * The gist of an HTML or PHP error page: its title, or PHP's message (memory exhausted, fatal error,
 * warning), unclipped. Every pattern runs in time linear in the text, and the client passes it an
 * excerpt of at most 2 × {@link MESSAGE_SOURCE_CHARS} characters, never a whole body.
 */
export function errorPageHint(text: string): string | undefined {
  // PHP's error pages wrap the message in tags ("<b>Fatal error</b>:  Allowed memory size ..."): read it without them.
  // A tag is matched up to the next < or >, never across another <: a body of unclosed < stays linear.
  const plain = text.replace(/<[^<>]*>/g, '');
  const hint =
    /<title>([^<]*)<\/title>/i.exec(text)?.[1] ??
    /(Allowed memory size[^\n]*)/i.exec(plain)?.[1] ??
    /((?:PHP )?(?:Fatal error|Parse error|Warning|Notice|Deprecated)\s*:[^\n]*)/.exec(plain)?.[1];
  return hint === undefined || hint.trim() === '' ? undefined : hint.trim();
}

/** LibreNMS's text in a message: one line, at most {@link MAX_ERROR_BODY_CHARS} characters. */
function clip(text: string): string {
  return clipText(text, MAX_ERROR_BODY_CHARS);
}

/** Says so when a `Retry-After` was cut to the cap. */
function capNote(asked: number | undefined, honoured: number | undefined): string {
  return asked !== undefined && honoured !== undefined && honoured < asked ? `; it asked for ${asked} s, capped at ${honoured} s` : '';
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR_')) return code;
    current = current.cause;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (current.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return true;
    }
    current = current.cause;
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
