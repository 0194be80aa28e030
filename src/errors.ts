/**
 * Error types. Each concern has one class with a machine-readable `code` and, where there is one,
 * the underlying `cause`. Messages are written for an operator reading a log line at 3 a.m. and never
 * contain the API token: a ConfigError names the setting; a LibreNmsError says what LibreNMS did,
 * and advice.ts adds the setting to change where it is reported.
 */

/** The configuration is invalid. `problems` lists every problem found, not just the first. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type LibreNmsErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'http_error'
  | 'timeout'
  | 'connection_failed'
  | 'tls_error'
  | 'invalid_response'
  | 'api_error';

export interface LibreNmsErrorDetails {
  /** Route template, e.g. `/devices/:hostname/ports`; never carries the token. */
  endpoint: string;
  /** HTTP status when LibreNMS answered. */
  status?: number;
  /** Seconds LibreNMS asked us to wait (HTTP 429 `Retry-After`). */
  retryAfterSeconds?: number;
  /** The system or TLS error code of a transport failure, e.g. `ECONNREFUSED`, `CERT_HAS_EXPIRED`. */
  errno?: string;
  /** What LibreNMS said: its JSON `message`, or the gist of an error page; scrubbed of the token. */
  detail?: string;
  /** The request timeout that ran out, in seconds (code `timeout`). */
  timeoutSeconds?: number;
  /** The response size limit the body went past, in bytes; it was abandoned there. */
  limitBytes?: number;
  cause?: unknown;
}

/**
 * A request to LibreNMS failed: not reachable, not answering in time, refused, or answered nonsense.
 * The message says what happened in LibreNMS's terms; which setting of the exporter to change is
 * added where the error is reported (advice.ts), from the fields below.
 */
export class LibreNmsError extends Error {
  readonly code: LibreNmsErrorCode;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly errno: string | undefined;
  readonly detail: string | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly limitBytes: number | undefined;

  constructor(code: LibreNmsErrorCode, message: string, details: LibreNmsErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LibreNmsError';
    this.code = code;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.errno = details.errno;
    this.detail = details.detail;
    this.timeoutSeconds = details.timeoutSeconds;
    this.limitBytes = details.limitBytes;
  }

  /** The label value used for `librenms_exporter_api_requests_total{code}`: the HTTP status or the error code. */
  get metricCode(): string {
    return this.status === undefined ? this.code : String(this.status);
  }
}

/** Describes any thrown value in one line without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Any thrown value as an Error (a collector's partial failures are Errors). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
