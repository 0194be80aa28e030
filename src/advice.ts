/**
 * What an operator should change when a request to LibreNMS fails. The client's errors say what
 * LibreNMS did and carry the facts (code, status, errno, timeout, size limit); this module adds the
 * setting to change, in one place, so that the refresh's log line and `check` give the same advice.
 * docs/troubleshooting.md quotes every sentence.
 */
import type { SettingName } from './config/settings.js';
import { describeError, LibreNmsError } from './errors.js';

/** A setting's name, checked against the settings table: renaming a setting breaks this file's build, not its advice. */
const setting = (name: SettingName): string => name;

/**
 * The clause telling the operator what to change for `error` (lower case, no final stop), or undefined
 * when no setting of the exporter helps (LibreNMS itself failed, or the fix is in LibreNMS).
 */
export function adviceFor(error: LibreNmsError): string | undefined {
  switch (error.code) {
    case 'unauthorized':
      return `check ${setting('LIBRENMS_TOKEN')} or ${setting('LIBRENMS_TOKEN_FILE')}`;
    case 'forbidden':
      return "give the token's user the global-read role in LibreNMS (Manage Users)";
    case 'timeout':
      return `raise ${setting('REQUEST_TIMEOUT_SECONDS')} for a slow LibreNMS, or check ${setting('LIBRENMS_URL')} and any firewall in between`;
    case 'connection_failed':
      // A connection that broke in the middle of an answer is LibreNMS's (or a proxy's) doing.
      return error.status === undefined ? `check ${setting('LIBRENMS_URL')} (host, port, http or https) and that LibreNMS is running` : undefined;
    case 'tls_error':
      return tlsAdvice(error.errno);
    case 'http_error':
      return error.status !== undefined && error.status >= 300 && error.status < 400
        ? `check ${setting('LIBRENMS_URL')}, the API must answer under <${setting('LIBRENMS_URL')}>/api/v0/`
        : undefined;
    case 'invalid_response':
      return error.limitBytes === undefined
        ? undefined
        : `raise ${setting('LIBRENMS_MAX_RESPONSE_BYTES')} for a very large install, or check what answers at ${setting('LIBRENMS_URL')}`;
    default:
      return undefined;
  }
}

/** By the TLS error code; every code not named is a certificate that is not trusted (self-signed, a private CA). */
function tlsAdvice(errno: string | undefined): string {
  if (errno === 'ERR_SSL_WRONG_VERSION_NUMBER' || errno === 'EPROTO') return `use http:// in ${setting('LIBRENMS_URL')}, or the HTTPS port`;
  if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID') return `use the host name the certificate was issued for in ${setting('LIBRENMS_URL')}`;
  if (errno === 'CERT_HAS_EXPIRED') return "renew the certificate of LibreNMS's web server";
  return `trust its CA with ${setting('LIBRENMS_CA_FILE')} (PEM, or the self-signed certificate itself), or set ${setting('LIBRENMS_TLS_INSECURE')}=true for a self-signed lab`;
}

/** One line for a log: what failed and, for a LibreNMS failure a setting can fix, `: ` and what to change. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof LibreNmsError)) return describeError(error);
  const advice = adviceFor(error);
  return advice === undefined ? error.message : `${error.message}: ${advice}`;
}
